"""When the workshop takes place: one answer for the page, its JSON-LD, the calendars and the schedule.

Until the program is published, dates.yaml's ``workshop`` item says when the
workshop is (a day, candidate days, or precise times). Once it is published,
the program is the more precise statement: its first session starts the
workshop and its last session ends it, and every output shows that span.
``check`` (content loading) refuses a ``workshop`` item that contradicts the
published program, so the two files never tell visitors two different things.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Protocol

# The id of the date item that says when the workshop itself takes place.
WORKSHOP_DATE_ID = "workshop"


class Sections(Protocol):
    """An edition's sections by resource name: an Edition, or the dict being loaded."""

    def __getitem__(self, resource: str, /) -> Mapping[str, Any]: ...


def published_sessions(edition: Sections) -> Sequence[Mapping[str, Any]]:
    """The sessions visitors see: none until the program is published."""
    program = edition["program"]
    return program["sessions"] if program["status"] == "published" else ()


def program_span(edition: Sections) -> tuple[dt.datetime, dt.datetime] | None:
    """The published program's first start and last end, in the venue's zone (None before publication)."""
    sessions = published_sessions(edition)
    if not sessions:
        return None
    return sessions[0]["starts_at"], max(session["ends_at"] for session in sessions)


def _workshop_date(edition: Sections) -> Mapping[str, Any] | None:
    return next((item for item in edition["dates"]["items"] if item["id"] == WORKSHOP_DATE_ID), None)


def shown_date(edition: Sections, item: Mapping[str, Any]) -> Mapping[str, Any]:
    """A date item as the site shows it: the workshop's takes the published program's times."""
    span = program_span(edition)
    if item["id"] != WORKSHOP_DATE_ID or span is None:
        return item
    start, end = span
    shown = {**item, "at": start, "end": end, "date": None, "date_options": None, "starts_at": start, "ends_at": end}
    return MappingProxyType(shown)


def shown_dates(edition: Sections) -> list[Mapping[str, Any]]:
    """Every important date, in order, as the site shows it (see :func:`shown_date`)."""
    return [shown_date(edition, item) for item in edition["dates"]["items"]]


def workshop_date(edition: Sections) -> Mapping[str, Any] | None:
    """The ``workshop`` date item as the site shows it, or None when dates.yaml has none."""
    item = _workshop_date(edition)
    return None if item is None else shown_date(edition, item)


def workshop_span(edition: Sections) -> tuple[dt.datetime, dt.datetime] | None:
    """The workshop's first and last instant: the published program's, else its date item's (None: unknown)."""
    span = program_span(edition)
    if span is not None:
        return span
    item = _workshop_date(edition)
    return None if item is None else (item["starts_at"], item["ends_at"])


# --- The check: dates.yaml against the published program ---------------------------------


def _days(start: dt.datetime, end: dt.datetime) -> list[dt.date]:
    return [start.date() + dt.timedelta(days=offset) for offset in range((end.date() - start.date()).days + 1)]


def _listed(days: Sequence[dt.date]) -> str:
    names = [day.isoformat() for day in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def contradictions(edition: Sections) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(field path in dates.yaml, message) for each way the ``workshop`` item contradicts the published program.

    Precise times must be the program's first start and last end; a whole day
    must be the program's only day; candidate days must include every day the
    program runs on. Days are the venue's (the program's zone).
    """
    span = program_span(edition)
    items = edition["dates"]["items"]
    index = next((position for position, item in enumerate(items) if item["id"] == WORKSHOP_DATE_ID), None)
    if span is None or index is None:
        return
    item, (start, end) = items[index], span
    program_days = _days(start, end)
    said = f"The published program (program.yaml) runs from {start.isoformat()} to {end.isoformat()}"
    if item["at"] is not None:
        if item["at"] != start:
            yield ("items", index, "at"), f"{said}; 'at' says the workshop starts at {item['at'].isoformat()}."
        if item["end"] is not None and item["end"] != end:
            yield ("items", index, "end"), f"{said}; 'end' says the workshop ends at {item['end'].isoformat()}."
    elif item["date"] is not None:
        if program_days != [item["date"]]:
            yield (
                ("items", index, "date"),
                f"{said}, on {_listed(program_days)}; the workshop's date says {item['date'].isoformat()}.",
            )
    else:
        missing = [day for day in program_days if day not in item["date_options"]]
        if missing:
            yield (
                ("items", index, "date_options"),
                f"{said}, on {_listed(program_days)}; {_listed(missing)} is not among the workshop's date_options.",
            )
