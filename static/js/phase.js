// The phase now (templates/phase.html): call to action, countdown, live banner, news.
import { describeDuration, formatClock, formatInstant, timeUntil } from "./time.js";

const at = (iso, otherwise) => (iso ? Date.parse(iso) : otherwise);

function make(tag, text, className = "") {
  const made = document.createElement(tag);
  made.textContent = text;
  made.className = className;
  return made;
}

// A banner line, rewritten only when its session changes (it is announced).
function showSession(line, label, row, venueZone, timeZone) {
  const key = row?.id ?? "";
  if (line.dataset.shown !== key) {
    line.dataset.shown = key;
    line.replaceChildren();
    if (row) {
      const [start, end] = [...row.querySelectorAll(".session-time time")].map((time) => time.dateTime);
      const when = (zone) => `${formatClock(start, zone)}–${formatClock(end, zone)}`;
      const local = timeZone === venueZone ? "" : `, ${when(timeZone)} your time`;
      const title = make("strong", row.querySelector(".session-title").textContent);
      line.append(`${label}: `, title, ` (${when(venueZone)} venue time${local})`);
    }
  }
}

/** Show what `now` is about; returns when that changes next (epoch ms), or null. */
export function showPhase(root, { now, timeZone }) {
  const changes = [];
  for (const block of root.querySelectorAll("[data-phase]")) {
    const from = at(block.dataset.from, -Infinity);
    const until = at(block.dataset.until, Infinity);
    block.hidden = !(from <= now && now < until);
    changes.push(from, until);
  }
  const countdown = root.querySelector("#countdown");
  if (countdown) {
    const until = countdown.parentElement.dataset.until; // the deadline
    const left = make("strong", describeDuration(timeUntil(until, now)), "countdown-left");
    countdown.replaceChildren(left, ` left (until ${formatInstant(until, timeZone)}, your time).`);
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
    showSession(banner.querySelector(".live-now"), "Now", root.querySelector(".is-now"), zone, timeZone);
    showSession(banner.querySelector(".live-next"), "Next", root.querySelector(".is-next"), zone, timeZone);
    changes.push(...[...root.querySelectorAll(".session-time time")].map((time) => Date.parse(time.dateTime)));
  }
  const next = Math.min(...[fresh, ...changes].filter((instant) => instant > now));
  return next < Infinity ? next : null;
}
