// The phase now (templates/phase.html): call to action, countdown, live banner, news.
import { describeDuration, formatClock, formatInstant, timeUntil } from "./time.js";
import { pieces, text } from "./words.js";

const at = (iso, otherwise) => (iso ? Date.parse(iso) : otherwise);

// As templates/phase.html writes it, with the visitor's time too in another zone; rewritten (announced) only when its session changes.
function showSession(line, label, row, venueZone, timeZone) {
  if (line.dataset.shown !== (row?.id ?? "")) {
    line.dataset.shown = row?.id ?? "";
    line.replaceChildren();
    if (row) {
      const times = [...row.querySelectorAll(".session-time time")];
      // The venue times as served (schedule.js keeps them while showing the visitor's).
      const venue = times.map((time) => time.dataset.venueText ?? time.textContent).join("–");
      const local = times.map((time) => formatClock(time.dateTime, timeZone)).join("–");
      const title = document.createElement("strong");
      title.textContent = row.querySelector(".session-title").textContent;
      const id = timeZone === venueZone ? "session_venue_time" : "session_both_times";
      line.append(...pieces(id, { label, title, venue, local }));
    }
  }
}

/** Shows what `now` is about; returns when that changes (epoch ms) or null. */
export function showPhase(root, { now, timeZone }) {
  const blocks = [...root.querySelectorAll("[data-phase]")];
  const changes = blocks.flatMap((block) => [at(block.dataset.from, -Infinity), at(block.dataset.until, Infinity)]);
  const holds = (block, index) => changes[2 * index] <= now && now < changes[2 * index + 1];
  // None holds if this clock is behind the server's: as served.
  if (blocks.some(holds)) {
    blocks.forEach((block, index) => (block.hidden = !holds(block, index)));
  }
  const countdown = root.querySelector("#countdown");
  if (countdown) {
    const until = countdown.parentElement.dataset.until; // the deadline
    const left = document.createElement("strong");
    left.className = "countdown-left";
    left.textContent = describeDuration(timeUntil(until, now));
    countdown.replaceChildren(...pieces("time_left", { left, deadline: formatInstant(until, timeZone) }));
    countdown.hidden = false;
  }
  const news = root.querySelector(".news[data-fresh-until]");
  const fresh = at(news?.dataset.freshUntil, Infinity);
  if (now >= fresh && !news.dataset.folded) {
    news.open = false; // once: a visitor may open it again
    news.dataset.folded = "true";
  }
  const banner = root.querySelector("#live-banner");
  if (banner && !banner.hidden) {
    const zone = banner.dataset.venueZone;
    showSession(banner.querySelector(".live-now"), text("now"), root.querySelector(".is-now"), zone, timeZone);
    showSession(banner.querySelector(".live-next"), text("next"), root.querySelector(".is-next"), zone, timeZone);
    changes.push(...[...root.querySelectorAll(".session-time time")].map((time) => Date.parse(time.dateTime)));
  }
  const next = Math.min(...[fresh, ...changes].filter((instant) => instant > now));
  return next < Infinity ? next : null;
}
