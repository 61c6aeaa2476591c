// The workshop's phase at this instant: the header's call to action for the phase, the live
// banner with the session now and the next one, and the news folded once its moment has passed.
// The server renders every phase with its window (templates/phase.html); this shows the right one.
import { formatClock, zoneAbbreviation } from "./time.js";

const at = (iso, otherwise) => (iso ? Date.parse(iso) : otherwise);

/** The program's sessions, from the page's schedule. */
function sessionsOf(root) {
  return [...root.querySelectorAll("#program .session")].map((element) => {
    const [start, end] = element.querySelectorAll(".session-time time");
    return {
      id: element.id.replace(/^session-/, ""),
      title: element.querySelector(".session-title")?.textContent ?? "",
      start: start.dateTime,
      end: end.dateTime,
    };
  });
}

function when(session, zone) {
  return `${formatClock(session.start, zone)}–${formatClock(session.end, zone)}`;
}

/** One line of the banner ("Now: ..."), rewritten only when its session changes (it is announced). */
function showSession(line, label, session, { venueZone, timeZone }) {
  const key = session ? `${session.id}|${timeZone}` : "";
  if (line.dataset.shown === key) {
    return;
  }
  line.dataset.shown = key;
  if (!session) {
    line.replaceChildren();
    return;
  }
  const title = document.createElement("strong");
  title.className = "live-title";
  title.textContent = session.title;
  const times = document.createElement("span");
  times.className = "live-when";
  times.textContent = `${when(session, venueZone)} ${zoneAbbreviation(session.start, venueZone)}`;
  const parts = [`${label}: `, title, " ", times];
  if (timeZone !== venueZone) {
    const local = document.createElement("span");
    local.className = "live-local";
    local.textContent = ` (${when(session, timeZone)} your time)`;
    parts.push(local);
  }
  line.replaceChildren(...parts);
}

/**
 * Show what `now` is about; returns the next instant (epoch ms) at which that changes, or null.
 */
export function showPhase(root, { now, timeZone }) {
  const changes = [];
  for (const element of root.querySelectorAll("[data-phase]")) {
    const from = at(element.dataset.from, -Infinity);
    const until = at(element.dataset.until, Infinity);
    element.hidden = !(from <= now && now < until);
    changes.push(from, until);
  }
  const news = root.querySelector("details.news[data-fresh-until]");
  if (news) {
    const stale = now >= Date.parse(news.dataset.freshUntil);
    // Folded once, when its moment passes: a visitor may open it again.
    if (stale && news.dataset.folded !== "true") {
      news.open = false;
      news.dataset.folded = "true";
    }
    changes.push(Date.parse(news.dataset.freshUntil));
  }
  const banner = root.querySelector("#live-banner");
  if (banner && !banner.hidden) {
    const sessions = sessionsOf(root);
    const current = sessions.find((s) => Date.parse(s.start) <= now && now < Date.parse(s.end));
    const upcoming = sessions.find((s) => Date.parse(s.start) > now);
    const zones = { venueZone: banner.dataset.venueZone, timeZone };
    showSession(banner.querySelector(".live-now"), "Now", current, zones);
    showSession(banner.querySelector(".live-next"), "Next", upcoming, zones);
    changes.push(...sessions.flatMap((s) => [Date.parse(s.start), Date.parse(s.end)]));
  }
  const next = Math.min(...changes.filter((instant) => instant > now));
  return Number.isFinite(next) ? next : null;
}
