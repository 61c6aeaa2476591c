"""Template filters: how dates, times, sizes and numbers read on the page.

The page is rendered once per content version, so nothing here may depend on
the visitor or the current time; the browser adds local times and "passed".
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import Flask

from workshop.datafields import AOE, AOE_NAME


def zone_label(moment: dt.datetime, venue_timezone: str | None = None) -> str:
    """AoE, the venue zone's abbreviation (HST) when the offset is the venue's, else UTC±H."""
    offset = moment.utcoffset()
    if offset == AOE.utcoffset(None):
        return AOE_NAME
    if venue_timezone:
        at_venue = moment.astimezone(ZoneInfo(venue_timezone))
        if at_venue.utcoffset() == offset and at_venue.tzname():
            return at_venue.tzname() or ""
    name = moment.tzname() or ""
    if name and not name.startswith(("UTC", "+", "-")):
        return name
    return utc_offset(moment)


def utc_offset(moment: dt.datetime) -> str:
    """UTC-10, UTC+5:30: the offset of an aware datetime, written with a real minus sign (U+2212)."""
    offset = moment.utcoffset() or dt.timedelta()
    total_minutes = int(offset.total_seconds() // 60)
    sign = "+" if total_minutes >= 0 else "\u2212"
    hours, minutes = divmod(abs(total_minutes), 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def zone_at(moment: dt.datetime, timezone: str) -> str:
    """How a zone reads at a given moment: "HST, UTC-10" (abbreviations change with DST)."""
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local.tzname()}, {utc_offset(local)}"


def long_date(day: dt.date) -> str:
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"


def weekday_and_day(day: dt.date) -> str:
    return f"{day:%A}, {day:%B} {day.day}"


def long_instant(moment: dt.datetime, venue_timezone: str | None = None) -> str:
    return f"{long_date(moment.date())}, {moment:%H:%M} {zone_label(moment, venue_timezone)}"


def instant_range(start: dt.datetime, end: dt.datetime, venue_timezone: str | None = None) -> str:
    """One day: "Friday, July 28, 2023, 08:00 - 17:00 HST" (with an en dash); across days, both in full."""
    if start.date() == end.date() and start.utcoffset() == end.utcoffset():
        return f"{long_date(start.date())}, {start:%H:%M} \u2013 {end:%H:%M} {zone_label(end, venue_timezone)}"
    return f"{long_instant(start, venue_timezone)} \u2013 {long_instant(end, venue_timezone)}"


def clock(moment: dt.datetime | dt.time) -> str:
    return f"{moment:%H:%M}"


def number(value: float) -> str:
    return f"{value:g}"


def init_app(app: Flask) -> None:
    template_filters = (
        zone_label,
        zone_at,
        utc_offset,
        long_date,
        weekday_and_day,
        long_instant,
        instant_range,
        clock,
        number,
    )
    for template_filter in template_filters:
        app.add_template_filter(template_filter)
