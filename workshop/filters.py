"""Template filters: how dates, sizes and numbers read on the page.

The page is rendered once per content version, so nothing here may depend on
the visitor or the current time; the browser adds local times and "passed".
"""

from __future__ import annotations

import datetime as dt

from flask import Flask

from workshop.schemas import AOE_NAME


def zone_label(moment: dt.datetime) -> str:
    offset = moment.utcoffset()
    if offset == dt.timedelta(hours=-12):
        return AOE_NAME
    name = moment.tzname() or ""
    if name and not name.startswith(("UTC", "+", "-")):
        return name
    total_minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if total_minutes >= 0 else "\u2212"
    hours, minutes = divmod(abs(total_minutes), 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def long_date(day: dt.date) -> str:
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"


def long_instant(moment: dt.datetime) -> str:
    return f"{long_date(moment.date())}, {moment:%H:%M} {zone_label(moment)}"


def weekday_and_day(day: dt.date) -> str:
    return f"{day:%A}, {day:%B} {day.day}"


def number(value: float) -> str:
    return f"{value:g}"


def init_app(app: Flask) -> None:
    app.add_template_filter(long_date)
    app.add_template_filter(long_instant)
    app.add_template_filter(weekday_and_day)
    app.add_template_filter(number)
    app.add_template_filter(zone_label)
