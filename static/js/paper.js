// The paper page: its session's time also in the visitor's time zone.
// The page is complete without JavaScript: it shows the venue time.
import { dayIn, formatClock, formatInstant, visitorTimeZone } from "./time.js";
import { text } from "./words.js";

/** "Your time: Mon, Jul 29, 2030, 04:45 AM GMT+9 – 05:15 AM (Asia/Tokyo)" for each session;
 * the end's day too when it is another day in the visitor's zone. */
export function showVisitorTimes(root, timeZone = visitorTimeZone()) {
  for (const slot of root.querySelectorAll(".visitor-time[data-starts-at]")) {
    const { startsAt, endsAt } = slot.dataset;
    const sameDay = dayIn(startsAt, timeZone) === dayIn(endsAt, timeZone);
    const end = sameDay ? formatClock(endsAt, timeZone) : formatInstant(endsAt, timeZone);
    slot.textContent = text("visitor_session_time", { start: formatInstant(startsAt, timeZone), end, zone: timeZone });
    slot.hidden = false;
  }
}

showVisitorTimes(document);
