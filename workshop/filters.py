"""Template filters: how dates, times, sizes and numbers read on the page.

The page is rendered once per content version, so nothing here may depend on
the visitor or the current time; the browser adds local times and "passed".
Days are written in the page's language (site.yaml's ``language``), with CLDR's
month and weekday names and order (Babel); times as 24-hour HH:MM in every language.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from flask import Flask
from jinja2 import pass_context
from jinja2.runtime import Context

from workshop.datafields import AOE, AOE_NAME

DEFAULT_LANGUAGE = "en"


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


@lru_cache(maxsize=64)
def babel_locale(language: str) -> Locale:
    """CLDR's locale of a BCP 47 tag (pt-BR), else of its language (pt), else English's."""
    for tag in (language, language.split("-", maxsplit=1)[0]):
        try:
            return Locale.parse(tag, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse(DEFAULT_LANGUAGE)


@lru_cache(maxsize=64)
def _weekday_and_day_pattern(language: str) -> str:
    # CLDR's month-day-weekday pattern, with the weekday's full name ("E, MMMM d" -> "EEEE, MMMM d").
    return re.sub("E+", "EEEE", babel_locale(language).datetime_skeletons["MMMMEd"].pattern)


def long_date(day: dt.date, language: str = DEFAULT_LANGUAGE) -> str:
    """ "Friday, July 28, 2023"; "vendredi 28 juillet 2023"."""
    return str(format_date(day, "full", locale=babel_locale(language)))


def weekday_and_day(day: dt.date, language: str = DEFAULT_LANGUAGE) -> str:
    """ "Friday, July 28"; "vendredi 28 juillet"."""
    return str(format_date(day, _weekday_and_day_pattern(language), locale=babel_locale(language)))


def long_instant(moment: dt.datetime, venue_timezone: str | None = None, language: str = DEFAULT_LANGUAGE) -> str:
    return f"{long_date(moment.date(), language)}, {moment:%H:%M} {zone_label(moment, venue_timezone)}"


def instant_range(
    start: dt.datetime, end: dt.datetime, venue_timezone: str | None = None, language: str = DEFAULT_LANGUAGE
) -> str:
    """One day: "Friday, July 28, 2023, 08:00 - 17:00 HST" (with an en dash); across days, both in full."""
    if start.date() == end.date() and start.utcoffset() == end.utcoffset():
        day = long_date(start.date(), language)
        return f"{day}, {start:%H:%M} \u2013 {end:%H:%M} {zone_label(end, venue_timezone)}"
    return f"{long_instant(start, venue_timezone, language)} \u2013 {long_instant(end, venue_timezone, language)}"


def clock(moment: dt.datetime | dt.time) -> str:
    return f"{moment:%H:%M}"


def number(value: float) -> str:
    return f"{value:g}"


def page_language(context: Context) -> str:
    """The language of the page being rendered: its edition's (a template without one is English)."""
    edition = context.get("edition")
    return str(edition.site.language) if edition else DEFAULT_LANGUAGE


def _in_page_language(written: Callable[..., str]) -> Callable[..., str]:
    """The filter ``written`` in the page's language (macros that use it are imported with context)."""

    @pass_context
    def in_language(context: Context, *args: Any) -> str:
        return written(*args, language=page_language(context))

    in_language.__name__ = written.__name__
    return in_language


def init_app(app: Flask) -> None:
    for template_filter in (zone_label, zone_at, utc_offset, clock, number):
        app.add_template_filter(template_filter)
    for template_filter in (long_date, weekday_and_day, long_instant, instant_range):
        app.add_template_filter(_in_page_language(template_filter), template_filter.__name__)
