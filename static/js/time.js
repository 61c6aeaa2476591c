// Time arithmetic and formatting in the browser, with the platform's Intl APIs.
// Instants are compared as epoch milliseconds, so DST changes cannot skew them;
// Intl applies each zone's rules (and their DST dates) when formatting, in the page's language.
import { pageLanguage } from "./words.js";

/** The visitor's IANA time zone, as the browser reports it. */
export function visitorTimeZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const instantOptions = {
  weekday: "short",
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZoneName: "short",
};

const clockOptions = { hour: "2-digit", minute: "2-digit" };
const zoneOptions = { timeZoneName: "short" };
const dayOptions = { year: "numeric", month: "2-digit", day: "2-digit" };

// Building an Intl.DateTimeFormat is far costlier than using one: keep each.
const formatters = new Map();

function formatter(locale = pageLanguage(), options, timeZone) {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formatters.set(key, found);
  }
  return found;
}

/** "Sat, May 20, 2023, 01:59 PM GMT+2" style text for an ISO instant, in `timeZone`. */
export function formatInstant(iso, timeZone, locale = undefined) {
  return formatter(locale, instantOptions, timeZone).format(new Date(iso));
}

/** "20:50" style clock time (the visitor's 12/24-hour convention) in `timeZone`. */
export function formatClock(iso, timeZone, locale = undefined) {
  return formatter(locale, clockOptions, timeZone).format(new Date(iso));
}

/** The short name of `timeZone` at an instant: "CEST", "GMT+9", "HST". */
export function zoneAbbreviation(iso, timeZone, locale = undefined) {
  const parts = formatter(locale, zoneOptions, timeZone).formatToParts(new Date(iso));
  return parts.find((part) => part.type === "timeZoneName")?.value ?? timeZone;
}

/** The calendar day ("2023-07-28") of an instant in `timeZone`. */
export function dayIn(iso, timeZone) {
  // en-CA formats dates as YYYY-MM-DD.
  return formatter("en-CA", dayOptions, timeZone).format(new Date(iso));
}

/** The calendar day an ISO string with offset names ("2023-07-28T08:50:00-10:00" -> "2023-07-28"). */
export function writtenDay(iso) {
  return iso.slice(0, 10);
}

/** Whole days between two YYYY-MM-DD days (positive when `later` is after `earlier`). */
export function daysBetween(earlier, later) {
  return Math.round((Date.parse(`${later}T00:00:00Z`) - Date.parse(`${earlier}T00:00:00Z`)) / 86_400_000);
}

/** Days, hours and minutes from `now` until `iso` (all zero once it has passed). */
export function timeUntil(iso, now = Date.now()) {
  const minutes = Math.max(0, Math.floor((Date.parse(iso) - now) / 60_000));
  return { days: Math.floor(minutes / 1440), hours: Math.floor((minutes % 1440) / 60), minutes: minutes % 60 };
}

/** "2 days", "2 jours": a count of a unit. */
export function formatUnits(count, unit, locale = pageLanguage()) {
  return new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "long" }).format(count);
}

/** "19 days, 11 hours, 59 minutes". */
export function describeDuration({ days, hours, minutes }, locale = pageLanguage()) {
  const units = [[days, "day"], [hours, "hour"], [minutes, "minute"]];
  return new Intl.ListFormat(locale, { type: "unit" }).format(units.map(([n, unit]) => formatUnits(n, unit, locale)));
}
