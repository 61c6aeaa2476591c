"""The rules of frab/c3voc schedule.xml that schedule apps rely on, as a checker of its own.

Written for this project's tests from the format's description (the c3voc wiki,
"schedule", and how frab writes it), not copied from any schema file:

- ``<schedule>`` holds ``<version>``, one ``<conference>``, then the ``<day>`` elements.
- ``<conference>`` has acronym, title, start and end (ISO dates, end not before start),
  days (the number of days from start to end), timeslot_duration (HH:MM) and
  time_zone_name.
- ``<day index date start end>``: index is a positive integer, the days numbered
  1, 2, 3... in order; date an ISO date; start and end ISO date-times with their
  offset, on that date for the start. A day holds ``<room name guid>`` elements.
- ``<event guid id>`` inside a room: guid a UUID and id an integer, both unique in
  the file; children date (ISO date-time, on its day), start (HH:MM, the date's
  time), duration (HH:MM), room (its parent room's name), slug, title (not
  empty), subtitle, track, type, language, abstract, description, persons
  (``<person id>`` with the name as text) and links (``<link href>``), each once.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from xml.etree.ElementTree import Element

HH_MM = re.compile(r"^\d{2}:[0-5]\d$")
INTEGER = re.compile(r"^\d+$")
CONFERENCE_FIELDS = ("acronym", "title", "start", "end", "days", "timeslot_duration", "time_zone_name")
EVENT_FIELDS = (
    "date",
    "start",
    "duration",
    "room",
    "slug",
    "title",
    "subtitle",
    "track",
    "type",
    "language",
    "abstract",
    "description",
    "persons",
    "links",
)


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text or "")
    except ValueError:
        return None


def _aware(text: str | None) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text or "")
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _is_uuid(text: str | None) -> bool:
    try:
        uuid.UUID(text or "")
    except ValueError:
        return False
    return True


def _conference_problems(schedule: Element) -> list[str]:
    found: list[str] = []
    conferences = schedule.findall("conference")
    if len(conferences) != 1 or not (schedule.findtext("version") or "").strip():
        return ["<schedule> needs one <version> and one <conference>"]
    conference = conferences[0]
    for name in CONFERENCE_FIELDS:
        if len(conference.findall(name)) != 1 or not (conference.findtext(name) or "").strip():
            found.append(f"<conference> needs one non-empty <{name}>")
    start, end = _date(conference.findtext("start")), _date(conference.findtext("end"))
    if start is None or end is None or end < start:
        found.append("<conference> start and end must be ISO dates, end not before start")
    elif conference.findtext("days") != str((end - start).days + 1):
        found.append(f"<conference><days> must be {(end - start).days + 1}, the days from start to end")
    if not HH_MM.match(conference.findtext("timeslot_duration") or ""):
        found.append("<timeslot_duration> must be HH:MM")
    return found


def _event_problems(event: Element, room: str, day: dt.date | None) -> list[str]:
    label = f"<event id={event.get('id')}>"
    found = [f"{label} needs exactly one <{name}>" for name in EVENT_FIELDS if len(event.findall(name)) != 1]
    if not INTEGER.match(event.get("id") or ""):
        found.append(f"{label}: id must be an integer")
    if not _is_uuid(event.get("guid")):
        found.append(f"{label}: guid must be a UUID")
    start = _aware(event.findtext("date"))
    if start is None or start.date() != day:
        found.append(f"{label}: <date> must be an ISO date-time with offset on its day {day}")
    elif event.findtext("start") != f"{start:%H:%M}":
        found.append(f"{label}: <start> must be HH:MM of its <date>")
    if not HH_MM.match(event.findtext("duration") or ""):
        found.append(f"{label}: <duration> must be HH:MM")
    if event.findtext("room") != room:
        found.append(f"{label}: <room> {event.findtext('room')!r} is not its parent room {room!r}")
    if not (event.findtext("title") or "").strip():
        found.append(f"{label}: <title> is empty")
    for person in event.iterfind("persons/person"):
        if not INTEGER.match(person.get("id") or "") or not (person.text or "").strip():
            found.append(f"{label}: every <person> needs an integer id and a name")
    for link in event.iterfind("links/link"):
        if not link.get("href"):
            found.append(f"{label}: every <link> needs an href")
    return found


def problems(schedule: Element) -> list[str]:
    """Every way ``schedule`` breaks the rules above; empty for a valid schedule.xml."""
    if schedule.tag != "schedule":
        return [f"the root element is <{schedule.tag}>, not <schedule>"]
    found = _conference_problems(schedule)
    days = schedule.findall("day")
    indexes = [day.get("index") or "" for day in days]
    if indexes != [str(number) for number in range(1, len(days) + 1)]:
        found.append(f"day indexes must be 1, 2, 3... in order, found {indexes}")
    guids: list[str] = []
    ids: list[str] = []
    for day in days:
        date, start, end = _date(day.get("date")), _aware(day.get("start")), _aware(day.get("end"))
        if date is None or start is None or end is None or start.date() != date or end < start:
            found.append(f"<day index={day.get('index')}>: date, start and end must be ISO, start on date")
        for room in day.findall("room"):
            name = room.get("name") or ""
            if not name or not _is_uuid(room.get("guid")):
                found.append(f"<room> of day {day.get('index')} needs a name and a UUID guid")
            for event in room.findall("event"):
                found.extend(_event_problems(event, name, date))
                guids.append(event.get("guid") or "")
                ids.append(event.get("id") or "")
    if len(set(guids)) != len(guids) or len(set(ids)) != len(ids):
        found.append("event guids and ids must be unique")
    return found
