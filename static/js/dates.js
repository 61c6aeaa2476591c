// Important dates in the visitor's own time zone, beside the AoE times the
// server rendered, and "passed" marks. Without JavaScript the page still shows
// every date in AoE.
import { formatInstant } from "./time.js";

/**
 * What the visitor should read for one date item of the API:
 * { prefix, instants: [iso, ...], joiner } in the visitor's zone.
 */
export function localWindow(item) {
  if (item.at) {
    return { prefix: "", instants: item.end ? [item.at, item.end] : [item.at], joiner: " – " };
  }
  if (item.date_options) {
    // The day is not fixed: say which stretch of local time the candidate days cover.
    return { prefix: "between ", instants: [item.starts_at, item.ends_at], joiner: " and " };
  }
  if (item.kind === "deadline") {
    return { prefix: "until ", instants: [item.ends_at], joiner: "" };
  }
  return { prefix: "", instants: [item.starts_at, item.ends_at], joiner: " – " };
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
  const { prefix, instants, joiner } = localWindow(item);
  target.replaceChildren(`Your time: ${prefix}`);
  instants.forEach((iso, index) => {
    if (index > 0) {
      target.append(joiner);
    }
    target.append(timeElement(iso, timeZone));
  });
  target.hidden = false;
}

function showStatus(listItem, item, now) {
  const status = slot(listItem, "date-status");
  const passed = hasPassed(item, now);
  listItem.classList.toggle("is-passed", passed);
  status.textContent = passed ? "Passed" : "";
  status.hidden = !passed;
}

/** Add local times and "passed" marks to the dates section, from the dates document. */
export function enhanceDates(section, dates, { now, timeZone }) {
  const zoneNote = section.querySelector(".local-zone");
  if (zoneNote) {
    zoneNote.textContent = `Your time is shown for ${timeZone}.`;
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
