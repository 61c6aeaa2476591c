// The program in venue time or in the visitor's time, by the visitor's choice
// (remembered), with a day marker when the local day differs, and "now" /
// "next" marks on the event day.
import { dayIn, daysBetween, formatClock, formatUnits, visitorTimeZone, writtenDay, zoneAbbreviation } from "./time.js";
import { text } from "./words.js";

const STORAGE_KEY = "workshop:time-mode";

export function storedMode() {
  try {
    return localStorage.getItem(STORAGE_KEY) === "local" ? "local" : "venue";
  } catch {
    return "venue"; // storage can be disabled; venue time is the safe default
  }
}

function storeMode(mode) {
  try {
    localStorage.setItem(STORAGE_KEY, mode);
  } catch {
    // Not remembered, but still applied.
  }
}

/** "+1 day" / "−1 day" between the venue day and the visitor's day of an instant, or "". */
export function dayShiftLabel(iso, timeZone) {
  const shift = daysBetween(writtenDay(iso), dayIn(iso, timeZone));
  if (shift === 0) {
    return "";
  }
  const sign = shift > 0 ? "+" : "\u2212";
  return `${sign}${formatUnits(Math.abs(shift), "day")}`;
}

function showTimes(schedule, mode, timeZone) {
  for (const time of schedule.querySelectorAll(".session-time time")) {
    time.dataset.venueText ??= time.textContent;
    time.textContent = mode === "local" ? formatClock(time.dateTime, timeZone) : time.dataset.venueText;
  }
  for (const session of schedule.querySelectorAll(".session")) {
    const start = session.querySelector(".session-time time");
    let marker = session.querySelector(".day-shift");
    const label = mode === "local" && start ? dayShiftLabel(start.dateTime, timeZone) : "";
    if (!label) {
      marker?.remove();
      continue;
    }
    if (!marker) {
      marker = document.createElement("span");
      marker.className = "day-shift";
      session.querySelector(".session-time").after(marker);
    }
    marker.textContent = label;
    marker.title = text(label.startsWith("+") ? "later_day" : "earlier_day");
  }
}

function showZoneNote(program, mode, timeZone) {
  const note = program.querySelector(".zone-note");
  const first = program.querySelector(".session-time time");
  if (!note || !first) {
    return;
  }
  note.dataset.venueHtml ??= note.innerHTML;
  if (mode === "local") {
    note.textContent = text("times_in_your_zone", { zone: timeZone, abbreviation: zoneAbbreviation(first.dateTime, timeZone) });
  } else {
    note.innerHTML = note.dataset.venueHtml;
  }
}

/** Mark the session under way and the next one, when the event is on. */
export function markNowAndNext(program, now) {
  const sessions = [...program.querySelectorAll(".session")].map((element) => {
    const [start, end] = element.querySelectorAll(".session-time time");
    return { element, start: Date.parse(start.dateTime), end: Date.parse(end.dateTime) };
  });
  const current = sessions.find((session) => session.start <= now && now < session.end);
  const upcoming = sessions.find((session) => session.start > now);
  // "Next" only on the event day: from 12 hours before the first session to the last one's end.
  const eventOn = sessions.length > 0 && now >= sessions[0].start - 12 * 3_600_000 && now < sessions.at(-1).end;
  for (const session of sessions) {
    const state = session === current ? "now" : session === upcoming && eventOn ? "next" : "";
    let badge = session.element.querySelector(".session-state");
    session.element.classList.toggle("is-now", state === "now");
    session.element.classList.toggle("is-next", state === "next");
    if (!state) {
      badge?.remove();
      continue;
    }
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "session-state";
      session.element.querySelector(".session-title").before(badge);
    }
    badge.textContent = text(state);
  }
}

export function enhanceSchedule(program, { now = Date.now(), timeZone = visitorTimeZone() } = {}) {
  const schedule = program.querySelector(".schedule");
  const switcher = program.querySelector(".time-mode");
  if (!schedule) {
    return;
  }
  const apply = (mode) => {
    for (const list of program.querySelectorAll(".schedule")) {
      showTimes(list, mode, timeZone);
    }
    showZoneNote(program, mode, timeZone);
  };
  if (switcher) {
    const mode = storedMode();
    for (const input of switcher.querySelectorAll("input[name=time-mode]")) {
      input.checked = input.value === mode;
      input.onchange = () => {
        storeMode(input.value);
        apply(input.value);
      };
    }
    switcher.hidden = false;
    apply(mode);
  }
  markNowAndNext(program, now);
}
