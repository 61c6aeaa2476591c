"""program.yaml and dates.yaml: when things happen, in the venue's zone and as instants.

Part of the single definition of the data files' shapes (workshop/schemas.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import (
    ValidationError,
    fields,
    validate,
    validates_schema,
)

from workshop.datafields import (
    AwareDateTime,
    Id,
    Items,
    Markdown,
    StrictSchema,
    Text,
    TimeZoneName,
    WebUrl,
    timezone_named,
)
from workshop.richtext import RichText

SESSION_KINDS = (
    "welcome",
    "keynote",
    "talk",
    "spotlight",
    "break",
    "poster-session",
    "panel",
    "closing",
)


@dataclass(frozen=True)
class SessionPresenter:
    paper: str
    name: str


class SessionPresenterSchema(StrictSchema):
    model = SessionPresenter

    paper = fields.String(required=True, metadata={"description": "Id of one of the session's papers."})
    name = Text("The presenter's name, as papers.yaml writes it among the paper's authors.")


@dataclass(frozen=True)
class Session:
    id: str
    kind: str
    title: str
    start: dt.time
    end: dt.time
    date: dt.date | None
    speakers: tuple[str, ...]
    papers: tuple[str, ...]
    presenters: tuple[SessionPresenter, ...]
    recording: str | None
    slides: str | None
    # In the venue's zone, on the session's day (ProgramSchema makes a session: it knows the program's day).
    starts_at: dt.datetime
    ends_at: dt.datetime


class SessionSchema(StrictSchema):
    id = Id()
    kind = fields.String(
        required=True,
        validate=validate.OneOf(SESSION_KINDS),
        metadata={"description": f"One of: {', '.join(SESSION_KINDS)}."},
    )
    title = Text("Title of the slot.")
    start = fields.Time(required=True, metadata={"description": "Start, venue time, e.g. '09:00'."})
    end = fields.Time(required=True, metadata={"description": "End, venue time, e.g. '09:45'."})
    date = fields.Date(
        load_default=None, metadata={"description": "The day, when it is not the program's 'date' (multi-day events)."}
    )
    speakers = fields.List(
        fields.String(),
        load_default=(),
        metadata={"description": "Ids of people in speakers.yaml who speak in this slot (panelists of a panel)."},
    )
    papers = fields.List(
        fields.String(),
        load_default=(),
        metadata={"description": "Ids of accepted contributions in papers.yaml presented in this slot."},
    )
    presenters = fields.List(
        fields.Nested(SessionPresenterSchema),
        load_default=(),
        metadata={
            "description": "Who presents a paper in this slot, when it is not the author marked presenter: true "
            "in papers.yaml (e.g. [{paper: fast-emulators, name: Alan Example}]). Must be one of the paper's authors."
        },
    )
    recording = WebUrl("The session's recording, once published (shown in the program).", load_default=None)
    slides = WebUrl("The session's slides, once published (shown in the program).", load_default=None)
    starts_at = AwareDateTime(dump_only=True, metadata={"description": "Start, ISO 8601 with the venue's offset."})
    ends_at = AwareDateTime(dump_only=True, metadata={"description": "End, ISO 8601 with the venue's offset."})

    @validates_schema
    def _check_order(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        if data["end"] <= data["start"]:
            raise ValidationError("Must be after start.", "end")


@dataclass(frozen=True)
class Program:
    """program.yaml: the sessions, once published."""

    status: str
    note: RichText | None
    timezone: str
    date: dt.date | None
    sessions: tuple[Session, ...]


class ProgramSchema(StrictSchema):
    model = Program
    unique_ids_in = ("sessions",)
    status = fields.String(
        required=True,
        validate=validate.OneOf(["to-be-announced", "published"]),
        metadata={"description": "'to-be-announced' shows the note; 'published' shows the sessions."},
    )
    note = Markdown("Shown while the program is not published (e.g. 'TBD').", inline=True, load_default=None)
    timezone = TimeZoneName(
        required=True,
        metadata={"description": "Time zone of the session times: the venue's (IANA name, e.g. Europe/Paris)."},
    )
    date = fields.Date(load_default=None, metadata={"description": "Day of the sessions (2023-07-28)."})
    sessions = fields.List(
        fields.Nested(SessionSchema),
        load_default=(),
        metadata={"description": "The schedule, in time order."},
    )

    @validates_schema
    def _check_sessions(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        if data["status"] == "published" and not data["sessions"]:
            raise ValidationError("A published program needs at least one session.", "sessions")
        if data["status"] == "to-be-announced" and data["note"] is None:
            raise ValidationError("Say what visitors should expect while the program is not published.", "note")
        for index, session in enumerate(data["sessions"]):
            if session["date"] is None and data["date"] is None:
                raise ValidationError({"sessions": {index: {"date": ["Give the program's 'date' or this one."]}}})
        days = [(session["date"] or data["date"], session["start"]) for session in data["sessions"]]
        for index in range(1, len(days)):
            if days[index] < days[index - 1]:
                raise ValidationError({"sessions": {index: {"start": ["Sessions must be in time order."]}}})

    def derive(self, data: dict[str, Any]) -> dict[str, Any]:
        zone = timezone_named(data["timezone"])
        data["sessions"] = tuple(
            Session(
                **session,
                starts_at=dt.datetime.combine(session["date"] or data["date"], session["start"], zone),
                ends_at=dt.datetime.combine(session["date"] or data["date"], session["end"], zone),
            )
            for session in data["sessions"]
        )
        return data


DATE_KINDS = ("deadline", "announcement", "event")


@dataclass(frozen=True)
class PreviousDate:
    at: dt.datetime | None
    date: dt.date | None


class PreviousDateSchema(StrictSchema):
    model = PreviousDate

    at = AwareDateTime(load_default=None, metadata={"description": "An earlier precise time, with offset."})
    date = fields.Date(load_default=None, metadata={"description": "An earlier whole day."})

    @validates_schema
    def _check_one(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        if (data.get("at") is None) == (data.get("date") is None):
            raise ValidationError("Give exactly one of 'at' or 'date'.")


@dataclass(frozen=True)
class DateItem:
    id: str
    title: str
    kind: str
    at: dt.datetime | None
    end: dt.datetime | None
    date: dt.date | None
    date_options: tuple[dt.date, ...] | None
    details: RichText | None
    previously: tuple[PreviousDate, ...]
    # The first and last instant the item covers (DatesSchema makes an item: it knows the file's zone).
    starts_at: dt.datetime
    ends_at: dt.datetime


class DateItemSchema(StrictSchema):
    id = Id()
    title = Text("What happens, e.g. 'Submission deadline'.")
    kind = fields.String(
        required=True,
        validate=validate.OneOf(DATE_KINDS),
        metadata={"description": f"One of: {', '.join(DATE_KINDS)}."},
    )
    at = AwareDateTime(
        load_default=None,
        metadata={"description": "A precise time, ISO 8601 with offset (2023-05-19T23:59:00-12:00)."},
    )
    end = AwareDateTime(
        load_default=None, metadata={"description": "With 'at': when an event ends, ISO 8601 with offset."}
    )
    date = fields.Date(load_default=None, metadata={"description": "A whole day (2023-06-16) in the file's time zone."})
    date_options = fields.List(
        fields.Date(),
        load_default=None,
        metadata={"description": "Two or more possible days while the day is not fixed ([2023-07-28, 2023-07-29])."},
    )
    details = Markdown("A short addition shown after the date (Markdown).", inline=True, load_default=None)
    previously = fields.List(
        fields.Nested(PreviousDateSchema),
        load_default=(),
        metadata={
            "description": "Earlier values of a date that moved (an extended deadline), oldest first. "
            "The page shows them struck through."
        },
    )
    starts_at = AwareDateTime(dump_only=True, metadata={"description": "First instant the item covers, with offset."})
    ends_at = AwareDateTime(
        dump_only=True,
        metadata={"description": "Last instant the item covers, with offset: for a whole day, its last second."},
    )

    @validates_schema
    def _check_when(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        given = [name for name in ("at", "date", "date_options") if data.get(name) is not None]
        if len(given) != 1:
            raise ValidationError(
                f"Give exactly one of 'at', 'date' or 'date_options' (found {', '.join(given) or 'none'})."
            )
        if data.get("end") is not None:
            if data.get("at") is None:
                raise ValidationError("'end' goes with 'at'.", "end")
            if data["end"] <= data["at"]:
                raise ValidationError("Must be after 'at'.", "end")
        options = data.get("date_options")
        if options is not None:
            if len(options) < 2:
                raise ValidationError("Give at least two days; use 'date' for one.", "date_options")
            if list(options) != sorted(set(options)):
                raise ValidationError("Days must be distinct and in order.", "date_options")


@dataclass(frozen=True)
class Dates:
    """dates.yaml: the important dates, in the order shown."""

    timezone: str
    preliminary: bool
    note: str | None
    items: tuple[DateItem, ...]


class DatesSchema(StrictSchema):
    model = Dates

    timezone = TimeZoneName(
        required=True,
        metadata={"description": "Zone of whole-day items: AoE (UTC-12) or an IANA name."},
    )
    preliminary = fields.Boolean(load_default=False, metadata={"description": "true while dates may still change."})
    note = Text("Sentence above the list.", load_default=None)
    items = Items(DateItemSchema, "Important dates, in the order shown.")

    unique_ids_in = ("items",)

    def derive(self, data: dict[str, Any]) -> dict[str, Any]:
        zone = timezone_named(data["timezone"])
        data["items"] = tuple(DateItem(**item, **_instants(item, zone)) for item in data["items"])
        return data


def _instants(item: Mapping[str, Any], zone: dt.tzinfo) -> dict[str, dt.datetime]:
    """The first and last instant a date item covers: a whole day's are its first and last second."""
    if item["at"] is not None:
        return {"starts_at": item["at"], "ends_at": item["end"] or item["at"]}
    days = [item["date"]] if item["date"] is not None else item["date_options"]
    return {
        "starts_at": dt.datetime.combine(days[0], dt.time.min, zone),
        "ends_at": dt.datetime.combine(days[-1], dt.time(23, 59, 59), zone),
    }
