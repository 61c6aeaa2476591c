// Important dates in the visitor's own time zone, beside the AoE times the
// server rendered. Progressive enhancement: without this module (or if the
// API cannot be reached) the page still shows every date in AoE.

const formatterOptions = {
  weekday: "short",
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZoneName: "short",
};

/** The visitor's IANA time zone, as the browser reports it. */
export function visitorTimeZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** "Sat, May 20, 2023, 01:59 PM GMT+2" style text for an ISO instant, in `timeZone`. */
export function formatInstant(iso, timeZone, locale = undefined) {
  return new Intl.DateTimeFormat(locale, { ...formatterOptions, timeZone }).format(new Date(iso));
}

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

function showLocalTime(listItem, item, timeZone) {
  const target = listItem.querySelector(".date-local");
  if (!target) {
    return;
  }
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
  const status = listItem.querySelector(".date-status");
  const passed = hasPassed(item, now);
  listItem.classList.toggle("is-passed", passed);
  if (status) {
    status.textContent = passed ? "Passed" : "";
    status.hidden = !passed;
  }
}

export async function enhanceDates(section, { now = Date.now(), timeZone = visitorTimeZone() } = {}) {
  const response = await fetch(section.dataset.datesUrl, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    throw new Error(`${section.dataset.datesUrl}: HTTP ${response.status}`);
  }
  const { data } = await response.json();
  const zoneNote = section.querySelector(".local-zone");
  if (zoneNote) {
    zoneNote.textContent = `Your time is shown for ${timeZone}.`;
    zoneNote.hidden = false;
  }
  for (const item of data.items) {
    const listItem = document.getElementById(`date-${item.id}`);
    if (listItem) {
      showLocalTime(listItem, item, timeZone);
      showStatus(listItem, item, now);
    }
  }
  section.dataset.enhanced = "true";
}

const datesSection = document.querySelector("[data-dates-url]");
if (datesSection) {
  enhanceDates(datesSection).catch((error) => {
    // The AoE dates are already on the page; only the local view is missing.
    console.warn("Could not show local times:", error);
  });
}
