// The paper page: its session's time also in the visitor's time zone.
// The page is complete without JavaScript: it shows the venue time.
import { formatClock, formatInstant, visitorTimeZone } from "./time.js";

/** "(Sat, Jul 29, 2023, 04:00 AM GMT+10 – 05:00 AM in your time zone)" for each session. */
export function showVisitorTimes(root, timeZone = visitorTimeZone()) {
  for (const slot of root.querySelectorAll(".visitor-time[data-starts-at]")) {
    const start = formatInstant(slot.dataset.startsAt, timeZone);
    const end = formatClock(slot.dataset.endsAt, timeZone);
    slot.textContent = `(${start} \u2013 ${end} in your time zone, ${timeZone})`;
    slot.hidden = false;
  }
}

showVisitorTimes(document);
