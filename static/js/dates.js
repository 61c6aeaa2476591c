// Important dates in the visitor's own time zone, beside the AoE times the
// server rendered, and "passed" marks. Without JavaScript the page still shows
// every date in AoE.
import { formatInstant } from "./time.js";
import { pieces, text } from "./words.js";

/**
 * What the visitor should read for one date item of the API, in the visitor's zone:
 * { id, instants: [iso, ...] }: the text `id` with the instants as {start} and {end}, else an en dash between.
 */
export function localWindow(item) {
  if (item.at) {
    return { id: null, instants: item.end ? [item.at, item.end] : [item.at] };
  }
  if (item.date_options) {
    // The day is not fixed: say which stretch of local time the candidate days cover.
    return { id: "between", instants: [item.starts_at, item.ends_at] };
  }
  if (item.kind === "deadline") {
    return { id: "until", instants: [item.ends_at] };
  }
  return { id: null, instants: [item.starts_at, item.ends_at] };
}

/** True once the whole item lies in the past. */
export function hasPassed(item, now = Date.now()) {
  return now > Date.parse(item.ends_at);
}

function timeElement(iso, timeZone) {
  const element = document.createElement("time");
  element.dateTime = iso;
  element.textContent = formatInstant(iso, timeZone);
  return element;
}

// Made on first use, hidden, before the calendar links: the server sends none.
function slot(listItem, className) {
  let element = listItem.querySelector(`.${className}`);
  if (!element) {
    element = listItem.insertBefore(document.createElement("span"), listItem.querySelector(".calendar-links"));
    element.className = className;
    element.hidden = true;
  }
  return element;
}

function showLocalTime(listItem, item, timeZone) {
  const target = slot(listItem, "date-local");
  const { id, instants } = localWindow(item);
  const [start, end = start] = instants.map((iso) => timeElement(iso, timeZone));
  const span = document.createElement("span");
  span.append(...(id ? pieces(id, { start, end }) : end === start ? [start] : [start, " – ", end]));
  target.replaceChildren(...pieces("your_time", { time: span }));
  target.hidden = false;
}

function showStatus(listItem, item, now) {
  const status = slot(listItem, "date-status");
  const passed = hasPassed(item, now);
  listItem.classList.toggle("is-passed", passed);
  status.textContent = passed ? text("passed") : "";
  status.hidden = !passed;
}

/** Add local times and "passed" marks to the dates section, from the dates document. */
export function enhanceDates(section, dates, { now, timeZone }) {
  const zoneNote = section.querySelector(".local-zone");
  if (zoneNote) {
    zoneNote.textContent = text("your_time_zone_shown", { zone: timeZone });
    zoneNote.hidden = false;
  }
  for (const item of dates.items) {
    const listItem = document.getElementById(`date-${item.id}`);
    if (listItem) {
      showLocalTime(listItem, item, timeZone);
      showStatus(listItem, item, now);
    }
  }
  section.dataset.enhanced = "true";
}
