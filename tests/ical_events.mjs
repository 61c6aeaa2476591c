// Reads one iCalendar document on stdin, parses it with ical.js (the parser Thunderbird
// uses) and prints its events as JSON, for tests/test_calendar_rfc5545.py to compare with
// what the Python icalendar package reads. Usage: node tests/ical_events.mjs < file.ics
//
// Each event: uid, summary, all_day, start and end (an ISO date for a whole day, else the
// UTC instant), duration in seconds, and the zone its start is in ("UTC", an IANA name,
// or "floating"). The VTIMEZONEs of the file are the only zones ical.js knows: a TZID
// without its VTIMEZONE reads as floating time, and the comparison then fails.
import ICAL from "ical.js";

function read(stream) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    stream.on("data", (chunk) => chunks.push(chunk));
    stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    stream.on("error", reject);
  });
}

function moment(time) {
  if (time.isDate) {
    return time.toString(); // YYYY-MM-DD
  }
  return new Date(time.toUnixTime() * 1000).toISOString().replace(".000Z", "Z");
}

function zoneOf(time) {
  if (time.isDate) {
    return "floating";
  }
  return time.zone ? time.zone.tzid : "floating";
}

const calendar = new ICAL.Component(ICAL.parse(await read(process.stdin)));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  return {
    uid: event.uid,
    summary: event.summary,
    all_day: event.startDate.isDate,
    start: moment(event.startDate),
    end: moment(event.endDate),
    duration: event.duration.toSeconds(),
    timezone: zoneOf(event.startDate),
  };
});
process.stdout.write(JSON.stringify(events) + "\n");
