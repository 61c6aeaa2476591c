// The paper page: its session's time also in the visitor's time zone.
// The page is complete without JavaScript: it shows the venue time.
import { formatClock, formatInstant, visitorTimeZone } from "./time.js";

/** "Your time: Mon, Jul 29, 2030, 04:45 AM GMT+9 – 05:15 AM (Asia/Tokyo)" for each session. */
export function showVisitorTimes(root, timeZone = visitorTimeZone()) {
  for (const slot of root.querySelectorAll(".visitor-time[data-starts-at]")) {
    const start = formatInstant(slot.dataset.startsAt, timeZone);
    const end = formatClock(slot.dataset.endsAt, timeZone);
    slot.textContent = `Your time: ${start} \u2013 ${end} (${timeZone})`;
    slot.hidden = false;
  }
}

showVisitorTimes(document);
