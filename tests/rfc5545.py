"""RFC 5545's rules for what the site's calendars contain, as a checker of its own.

Written from the RFC, independent of the icalendar package the site writes with,
so that a mistake of that package (or of how the site calls it) shows here:

- 3.1: lines end in CRLF and are at most 75 octets long; a longer line is folded,
  its continuation starting with a space or a tab. Text is UTF-8 (3.1.4).
- 3.4, 3.6, 3.7: one VCALENDAR, with PRODID and VERSION:2.0; components nest
  with matching BEGIN and END.
- 3.6.1: every VEVENT has UID and DTSTAMP, and (as the site has no METHOD-less
  files) DTSTART; DTEND and DURATION never both. 3.8.7.2: DTSTAMP is in UTC.
- 3.8.2.2: DTEND has DTSTART's value type (DATE or DATE-TIME), is local time
  exactly when DTSTART is, and is later than DTSTART.
- 3.3.4, 3.3.5: a VALUE=DATE value is a date (YYYYMMDD); a DATE-TIME is
  YYYYMMDDTHHMMSS, UTC with a trailing Z, or local time with a TZID parameter.
- 3.2.19, 3.6.5: every TZID a property names has a VTIMEZONE of that TZID in
  the same file, with at least one STANDARD or DAYLIGHT part.
- 3.3.6: DURATION is a duration value (dur-week, or days and/or a time part).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

MAX_LINE_OCTETS = 75
DATE = re.compile(r"^\d{8}$")
DATE_TIME = re.compile(r"^\d{8}T\d{6}Z?$")
DURATION = re.compile(r"^[+-]?P(?:\d+W|(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+S)?)?)$")
# name *(";" param) ":" value, params possibly quoted (3.1).
CONTENT_LINE = re.compile(
    r'^(?P<name>[A-Za-z0-9-]+)(?P<params>(?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)*):(?P<value>.*)$'
)
PARAMETER = re.compile(r';([A-Za-z0-9-]+)=("[^"]*"|[^";:]*)')


@dataclass
class Property:
    name: str
    params: dict[str, str]
    value: str


@dataclass
class Component:
    name: str
    properties: list[Property] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)

    def all(self, name: str) -> list[Property]:
        return [prop for prop in self.properties if prop.name == name]

    def walk(self, name: str) -> list[Component]:
        found = [self] if self.name == name else []
        for child in self.children:
            found.extend(child.walk(name))
        return found


def _lines(data: bytes, problems: list[str]) -> list[str]:
    """The unfolded content lines, noting every break of 3.1's line rules."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.append(f"not UTF-8 at byte {error.start}")
        return []
    if not text.endswith("\r\n"):
        problems.append("the last line does not end in CRLF")
    physical = text.split("\r\n")[:-1] if text.endswith("\r\n") else text.split("\r\n")
    unfolded: list[str] = []
    for number, line in enumerate(physical, 1):
        if "\n" in line or "\r" in line:
            problems.append(f"line {number}: a line break that is not CRLF")
        if len(line.encode("utf-8")) > MAX_LINE_OCTETS:
            problems.append(f"line {number}: {len(line.encode('utf-8'))} octets, more than {MAX_LINE_OCTETS}")
        if line[:1] in (" ", "\t"):
            if not unfolded:
                problems.append(f"line {number}: a continuation with no line before it")
                continue
            unfolded[-1] += line[1:]
        else:
            unfolded.append(line)
    return unfolded


class _Reader:
    """Builds the component tree from content lines, noting what does not nest (3.4, 3.6)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        self.stack: list[Component] = []
        self.root: Component | None = None

    def begin(self, name: str) -> None:
        component = Component(name)
        if self.stack:
            self.stack[-1].children.append(component)
        elif self.root is None:
            self.root = component
        else:
            self.problems.append(f"a second top-level component: {name}")
        self.stack.append(component)

    def end(self, name: str) -> None:
        if not self.stack or self.stack[-1].name != name:
            self.problems.append(f"END:{name} does not close {self.stack[-1].name if self.stack else 'anything'}")
        else:
            self.stack.pop()

    def line(self, line: str) -> None:
        match = CONTENT_LINE.match(line)
        if match is None:
            self.problems.append(f"not a content line: {line[:60]!r}")
            return
        name, value = match["name"].upper(), match["value"]
        params = {key.upper(): raw.strip('"') for key, raw in PARAMETER.findall(match["params"])}
        if name == "BEGIN":
            self.begin(value.upper())
        elif name == "END":
            self.end(value.upper())
        elif not self.stack:
            self.problems.append(f"a property outside any component: {name}")
        else:
            self.stack[-1].properties.append(Property(name, params, value))


def parse(data: bytes, problems: list[str]) -> Component | None:
    """The VCALENDAR of ``data``, noting every break of the syntax rules in ``problems``."""
    reader = _Reader(problems)
    for line in _lines(data, problems):
        reader.line(line)
    if reader.stack:
        problems.append(f"{reader.stack[-1].name} is never closed")
    if reader.root is None or reader.root.name != "VCALENDAR":
        problems.append("the file is not a VCALENDAR")
        return None
    return reader.root


def _instant(prop: Property, label: str, problems: list[str]) -> dt.date | dt.datetime | None:
    """The value of a DTSTART/DTEND, aware when it names a zone, after checking its form."""
    if prop.params.get("VALUE", "DATE-TIME") == "DATE":
        if not DATE.match(prop.value):
            problems.append(f"{label}: {prop.name};VALUE=DATE is not a date: {prop.value}")
            return None
        return dt.datetime.strptime(prop.value, "%Y%m%d").date()
    if not DATE_TIME.match(prop.value):
        problems.append(f"{label}: {prop.name} is not a DATE-TIME (or lacks VALUE=DATE): {prop.value}")
        return None
    moment = dt.datetime.strptime(prop.value.rstrip("Z"), "%Y%m%dT%H%M%S")
    if prop.value.endswith("Z"):
        if "TZID" in prop.params:
            problems.append(f"{label}: {prop.name} is UTC and has a TZID")
        return moment.replace(tzinfo=dt.UTC)
    if "TZID" in prop.params:
        return moment.replace(tzinfo=ZoneInfo(prop.params["TZID"]))
    return moment  # floating


def _check_end(label: str, start_prop: Property, end_prop: Property, problems: list[str]) -> None:
    """3.8.2.2: DTEND has DTSTART's value type, is floating exactly when it is, and is later."""
    start, end = _instant(start_prop, label, problems), _instant(end_prop, label, problems)
    if start is None or end is None:
        return
    if isinstance(start, dt.datetime) != isinstance(end, dt.datetime):
        problems.append(f"{label}: DTEND and DTSTART have different value types (DATE and DATE-TIME)")
    elif (
        isinstance(start, dt.datetime)
        and isinstance(end, dt.datetime)
        and (start.tzinfo is None) != (end.tzinfo is None)
    ):
        problems.append(f"{label}: one of DTSTART and DTEND is local (floating) time, the other not")
    elif not end > start:  # type: ignore[operator]  # same types, checked above
        problems.append(f"{label}: DTEND {end_prop.value} is not later than DTSTART {start_prop.value}")


def _check_event(event: Component, problems: list[str]) -> None:
    uids = event.all("UID")
    label = f"VEVENT {uids[0].value}" if uids else "VEVENT without UID"
    for name in ("UID", "DTSTAMP", "DTSTART"):
        if len(event.all(name)) != 1:
            problems.append(f"{label}: {len(event.all(name))} {name} properties, not exactly one")
    problems.extend(
        f"{label}: DTSTAMP is not a UTC DATE-TIME: {stamp.value}"
        for stamp in event.all("DTSTAMP")
        if not (DATE_TIME.match(stamp.value) and stamp.value.endswith("Z"))
    )
    ends, durations = event.all("DTEND"), event.all("DURATION")
    if ends and durations:
        problems.append(f"{label}: both DTEND and DURATION")
    if len(ends) > 1 or len(durations) > 1:
        problems.append(f"{label}: more than one DTEND or DURATION")
    problems.extend(
        f"{label}: DURATION is not a duration: {duration.value}"
        for duration in durations
        if not DURATION.match(duration.value)
    )
    starts = event.all("DTSTART")
    if not starts:
        return
    if not ends:
        _instant(starts[0], label, problems)  # its form is checked all the same
    for end_prop in ends:
        _check_end(label, starts[0], end_prop, problems)


def problems(data: bytes) -> list[str]:
    """Every way ``data`` breaks the rules above; empty for a valid calendar."""
    found: list[str] = []
    calendar = parse(data, found)
    if calendar is None:
        return found
    for name in ("PRODID", "VERSION"):
        if len(calendar.all(name)) != 1:
            found.append(f"VCALENDAR: {len(calendar.all(name))} {name} properties, not exactly one")
    if [prop.value for prop in calendar.all("VERSION")] != ["2.0"]:
        found.append("VCALENDAR: VERSION is not 2.0")
    events = calendar.walk("VEVENT")
    if not events:
        found.append("VCALENDAR: no VEVENT")
    for event in events:
        _check_event(event, found)
    zones = {prop.value for zone in calendar.walk("VTIMEZONE") for prop in zone.all("TZID")}
    for zone in calendar.walk("VTIMEZONE"):
        if not any(part.name in ("STANDARD", "DAYLIGHT") for part in zone.children):
            found.append(f"VTIMEZONE {[prop.value for prop in zone.all('TZID')]}: no STANDARD or DAYLIGHT part")
    named = {prop.params["TZID"] for component in events for prop in component.properties if "TZID" in prop.params}
    found.extend(f"TZID={tzid} is used but the file has no VTIMEZONE for it" for tzid in sorted(named - zones))
    return found
