"""When the workshop takes place: one answer for the page, its JSON-LD, the calendars and the schedule.

Until the program is published, dates.yaml's ``workshop`` item says when the
workshop is (a day, candidate days, or precise times). Once it is published,
the program is the more precise statement: its first session starts the
workshop and its last session ends it, and every output shows that span.
``check`` (content loading) refuses a ``workshop`` item that contradicts the
published program, so the two files never tell visitors two different things.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Sequence

from workshop.timeschemas import DateItem, Dates, Program, Session

# The id of the date item that says when the workshop itself takes place.
WORKSHOP_DATE_ID = "workshop"


def published_sessions(program: Program) -> tuple[Session, ...]:
    """The sessions visitors see: none until the program is published."""
    return program.sessions if program.status == "published" else ()


def program_span(program: Program) -> tuple[dt.datetime, dt.datetime] | None:
    """The published program's first start and last end, in the venue's zone (None before publication)."""
    sessions = published_sessions(program)
    if not sessions:
        return None
    return sessions[0].starts_at, max(session.ends_at for session in sessions)


def _workshop_date(dates: Dates) -> DateItem | None:
    return next((item for item in dates.items if item.id == WORKSHOP_DATE_ID), None)


def shown_date(program: Program, item: DateItem) -> DateItem:
    """A date item as the site shows it: the workshop's takes the published program's times."""
    span = program_span(program)
    if item.id != WORKSHOP_DATE_ID or span is None:
        return item
    start, end = span
    return dataclasses.replace(item, at=start, end=end, date=None, date_options=None, starts_at=start, ends_at=end)


def shown_dates(program: Program, dates: Dates) -> tuple[DateItem, ...]:
    """Every important date, in order, as the site shows it (see :func:`shown_date`)."""
    return tuple(shown_date(program, item) for item in dates.items)


def workshop_date(program: Program, dates: Dates) -> DateItem | None:
    """The ``workshop`` date item as the site shows it, or None when dates.yaml has none."""
    item = _workshop_date(dates)
    return None if item is None else shown_date(program, item)


def workshop_span(program: Program, dates: Dates) -> tuple[dt.datetime, dt.datetime] | None:
    """The workshop's first and last instant: the published program's, else its date item's (None: unknown)."""
    span = program_span(program)
    if span is not None:
        return span
    item = _workshop_date(dates)
    return None if item is None else (item.starts_at, item.ends_at)


# --- The check: dates.yaml against the published program ---------------------------------


def _days(start: dt.datetime, end: dt.datetime) -> list[dt.date]:
    return [start.date() + dt.timedelta(days=offset) for offset in range((end.date() - start.date()).days + 1)]


def _listed(days: Sequence[dt.date]) -> str:
    names = [day.isoformat() for day in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def contradictions(program: Program, dates: Dates) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(field path in dates.yaml, message) for each way the ``workshop`` item contradicts the published program.

    Precise times must be the program's first start and last end; a whole day
    must be the program's only day; candidate days must include every day the
    program runs on. Days are the venue's (the program's zone).
    """
    span = program_span(program)
    items = dates.items
    index = next((position for position, item in enumerate(items) if item.id == WORKSHOP_DATE_ID), None)
    if span is None or index is None:
        return
    item, (start, end) = items[index], span
    program_days = _days(start, end)
    said = f"The published program (program.yaml) runs from {start.isoformat()} to {end.isoformat()}"
    if item.at is not None:
        if item.at != start:
            yield ("items", index, "at"), f"{said}; 'at' says the workshop starts at {item.at.isoformat()}."
        if item.end is not None and item.end != end:
            yield ("items", index, "end"), f"{said}; 'end' says the workshop ends at {item.end.isoformat()}."
    elif item.date is not None:
        if program_days != [item.date]:
            yield (
                ("items", index, "date"),
                f"{said}, on {_listed(program_days)}; the workshop's date says {item.date.isoformat()}.",
            )
    else:
        missing = [day for day in program_days if day not in (item.date_options or ())]
        if missing:
            yield (
                ("items", index, "date_options"),
                f"{said}, on {_listed(program_days)}; {_listed(missing)} is not among the workshop's date_options.",
            )
