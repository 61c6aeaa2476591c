// A live countdown to a deadline (the element's data-deadline: the submission deadline, in
// the header while the call is open), in the visitor's time. A date-only deadline lasts until
// the end of its day AoE (the API's ends_at).
import { describeDuration, formatInstant, timeUntil } from "./time.js";

/** The deadline with the earliest end still in the future, or null. */
export function nextDeadline(items, now = Date.now()) {
  return (
    items
      .filter((item) => item.kind === "deadline" && Date.parse(item.ends_at) > now)
      .sort((a, b) => Date.parse(a.ends_at) - Date.parse(b.ends_at))[0] ?? null
  );
}

export function showCountdown(element, dates, { now, timeZone }) {
  const named = element.dataset.deadline;
  const deadline = nextDeadline(
    dates.items.filter((item) => !named || item.id === named),
    now,
  );
  if (!deadline) {
    element.hidden = true;
    element.replaceChildren();
    return;
  }
  const when = document.createElement("time");
  when.dateTime = deadline.ends_at;
  when.textContent = formatInstant(deadline.ends_at, timeZone);
  const left = document.createElement("strong");
  left.className = "countdown-left";
  left.textContent = describeDuration(timeUntil(deadline.ends_at, now));
  element.replaceChildren(`${deadline.title}: `, left, " left (until ", when, ", your time).");
  element.hidden = false;
}
