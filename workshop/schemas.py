"""The single definition of every data file's shape.

Each schema loads (validates) one YAML file under ``data/<edition>/`` and dumps
the same data for the JSON API, so the files and the API cannot drift apart.
Fields marked ``dump_only`` are derived while loading (instants of date-only
items, photo URLs, rendered HTML) and are refused in data files.

``metadata["description"]`` on each field is the text of the field reference
(``data/README.md``) and of the API description.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from workshop.richtext import RichText
from workshop.storedfiles import (
    PAPER_FOLDER,
    PHOTO_FOLDER,
    PHOTO_SUFFIXES,
    is_photo_name,
    photo_file,
    stored_pdf_problem,
)
from workshop.textrules import VisibleText

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Papers' PDFs stored with an edition (workshop/storedfiles.py): papers/<name>.pdf.
PAPER_FILE_PATTERN = re.compile(rf"{PAPER_FOLDER}/[A-Za-z0-9][A-Za-z0-9_-]*\.pdf")
OPENREVIEW_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")

# Anywhere on Earth: the last place on Earth where a date is still current.
AOE_NAME = "AoE"
AOE = dt.timezone(dt.timedelta(hours=-12), AOE_NAME)


@dataclass(frozen=True)
class LoadContext:
    """What a schema needs to know about the file it is loading."""

    edition: str
    edition_dir: Path


# marshmallow 4 has no schema context; the loader sets this around each load.
load_context: ContextVar[LoadContext] = ContextVar("load_context")


def timezone_named(name: str) -> dt.tzinfo:
    """AoE or an IANA zone name (``Pacific/Honolulu``)."""
    if name == AOE_NAME:
        return AOE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(
            f"Unknown time zone {name!r}: use {AOE_NAME} or an IANA name such as Pacific/Honolulu."
        ) from error


def initials(name: str) -> str:
    # First letters of the first and last names: "Marc Huertas-Company" -> "MH".
    words = [word for word in name.split() if word[:1].isalpha()]
    if not words:
        return "?"
    chosen = [words[0], words[-1]] if len(words) > 1 else words[:1]
    return "".join(word[0].upper() for word in chosen)


# --- Fields -------------------------------------------------------------------


def _described(description: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Field options with a description; a field is required unless it has a default."""
    kwargs.setdefault("metadata", {})["description"] = description
    kwargs.setdefault("required", "load_default" not in kwargs)
    return kwargs


def Id(description: str = "Stable identifier: lower-case letters, digits and hyphens.", **kwargs: Any) -> fields.String:  # noqa: N802
    return fields.String(
        validate=validate.Regexp(
            SLUG_PATTERN, error="Must be lower-case letters, digits and single hyphens, e.g. 'camera-ready-paper'."
        ),
        **_described(description, kwargs),
    )


def Text(description: str, **kwargs: Any) -> fields.String:  # noqa: N802
    """One line of plain text (titles, names, labels): no line break, nothing invisible (workshop.textrules)."""
    return fields.String(
        validate=[validate.Length(min=1, max=2000), VisibleText(single_line=True)], **_described(description, kwargs)
    )


def WebUrl(description: str, **kwargs: Any) -> fields.Url:  # noqa: N802
    return fields.Url(schemes={"http", "https"}, **_described(description, kwargs))


class AwareDateTime(fields.AwareDateTime):
    """A date and time that says which UTC offset it is in: without it, a time is ambiguous."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "Not a valid date and time: write it as 2023-05-19T23:59:00-12:00.",
        "invalid_awareness": "Missing UTC offset: write it as 2023-05-19T23:59:00-12:00 (-12:00 is AoE).",
    }


# Markdown has lines and may indent with tabs; nothing invisible either.
MARKDOWN_TEXT = VisibleText(single_line=False)


class Markdown(fields.Field):
    """Markdown source in a data file; ``{"markdown": ..., "html": ...}`` in the API."""

    default_error_messages: ClassVar[dict[str, str]] = {"invalid": "Not a valid string of Markdown."}

    def __init__(self, description: str, *, inline: bool = False, **kwargs: Any) -> None:
        super().__init__(**_described(description, kwargs))
        self.inline = inline

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> RichText:
        if not isinstance(value, str) or not value.strip():
            raise self.make_error("invalid")
        MARKDOWN_TEXT(value)  # before rendering: what the source holds is served too
        return RichText.from_markdown(value, inline=self.inline)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> dict[str, str] | None:
        if value is None:
            return None
        return {"markdown": value.markdown, "html": value.html}


class Link(fields.String):
    """An http(s) URL, or ``#section`` for a place on the page itself."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid_link": "Not a valid link: use an http(s) URL or '#section-id'."
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if re.fullmatch(r"#[A-Za-z][\w-]*", text):
            return text
        try:
            validate.URL(schemes={"http", "https"})(text)
        except ValidationError as error:
            raise self.make_error("invalid_link") from error
        return text


class TimeZoneName(fields.String):
    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        name = super()._deserialize(value, attr, data, **kwargs)
        timezone_named(name)
        return name


def _unique_ids(items: list[Mapping[str, Any]], field_name: str) -> None:
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        if item["id"] in seen:
            raise ValidationError(
                {field_name: {index: {"id": [f"Duplicate id {item['id']!r} (also item {seen[item['id']]})."]}}}
            )
        seen[item["id"]] = index


# --- Schemas ------------------------------------------------------------------


class StrictSchema(Schema):
    """Unknown fields are errors: a typo must not silently drop content.

    ``unique_ids_in`` names the list fields whose items' ``id`` must be unique.
    """

    unique_ids_in: ClassVar[tuple[str, ...]] = ()

    class Meta:
        unknown = RAISE

    @validates_schema
    def _check_unique_ids(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        for field_name in self.unique_ids_in:
            _unique_ids(data[field_name], field_name)


class LinkSchema(StrictSchema):
    label = Text("Text of the link or button.")
    href = Link(required=True, metadata={"description": "An http(s) URL, or '#section' on the page."})


class VenueSchema(StrictSchema):
    name = Text("The host conference, e.g. 'ICML 2023'.")
    city = Text("Where the venue is.", load_default=None)
    timezone = TimeZoneName(
        required=True, metadata={"description": "IANA time zone of the venue (program times are in it)."}
    )


class SiteSchema(StrictSchema):
    title = Text("Workshop title.")
    venue = fields.Nested(VenueSchema, required=True, metadata={"description": "The host conference."})
    rationale = Markdown("Why the workshop exists (Markdown).")
    goal = Markdown("The goal statement shown in bold (Markdown).")
    approach = Markdown("How the workshop pursues its goal (Markdown).")
    call_to_action = fields.Nested(LinkSchema, required=True, metadata={"description": "Button below the topics."})


class TopicSchema(StrictSchema):
    id = Id()
    title = Text("The open problem, one line.")


class TopicsSchema(StrictSchema):
    intro = Markdown("Sentence before the list (Markdown).")
    items = fields.List(
        fields.Nested(TopicSchema),
        required=True,
        validate=validate.Length(min=1),
        metadata={"description": "Open problems, in the order shown."},
    )
    note = Markdown("Sentence after the list (Markdown).")

    unique_ids_in = ("items",)


class PersonSchema(StrictSchema):
    id = Id()
    name = Text("Full name as the person writes it.")
    affiliation = Text("Institution.")
    url = WebUrl("Personal or institutional web page.", load_default=None)
    photo = fields.String(
        load_default=None,
        metadata={
            "description": "Photo file in the edition's photos/ folder (e.g. photos/jane-doe.jpg). "
            "Without one, the page shows the person's initials."
        },
    )
    photo_url = fields.String(dump_only=True, allow_none=True, metadata={"description": "URL of the photo, or null."})
    initials = fields.String(dump_only=True, metadata={"description": "Initials for an avatar without a photo."})

    @validates_schema
    def _check_photo(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        photo = data.get("photo")
        if photo is None:
            return
        folder, _, name = photo.partition("/")
        if folder != PHOTO_FOLDER or not is_photo_name(name):
            raise ValidationError(
                f"Must be an image in the edition's {PHOTO_FOLDER}/ folder, e.g. {PHOTO_FOLDER}/jane-doe.jpg, "
                f"ending in one of {', '.join(sorted(PHOTO_SUFFIXES))}, with no part of its path starting with '.'.",
                "photo",
            )
        context = load_context.get(None)
        if context is None:
            return
        where = f"{context.edition_dir.name}/{photo}"
        if not (context.edition_dir / photo).exists():
            raise ValidationError(f"No such file: {where}.", "photo")
        if photo_file(context.edition_dir.parent, context.edition_dir.name, name) is None:
            raise ValidationError(
                f"The site does not serve {where}: a photo is a regular image file, and a symbolic link "
                "must lead to one inside the data folder.",
                "photo",
            )

    @post_load
    def _derive(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        context = load_context.get(None)
        photo = data["photo"]
        data["photo_url"] = f"/{context.edition}/{photo}" if photo and context else None
        data["initials"] = initials(data["name"])
        return data


class CommitteeMemberSchema(PersonSchema):
    role = fields.String(
        load_default="member",
        validate=validate.OneOf(["co-chair", "member"]),
        metadata={"description": "'co-chair' or 'member' (the default)."},
    )


class CommitteeSchema(StrictSchema):
    intro = Text("Sentence above the committee.")
    members = fields.List(
        fields.Nested(CommitteeMemberSchema),
        required=True,
        validate=validate.Length(min=1),
        metadata={"description": "Members, in the order shown."},
    )

    unique_ids_in = ("members",)


class SpeakerSchema(PersonSchema):
    role = fields.String(
        load_default="invited-speaker",
        validate=validate.OneOf(["invited-speaker", "panelist"]),
        metadata={"description": "'invited-speaker' (the default) or 'panelist'."},
    )


class SpeakersSchema(StrictSchema):
    speakers = fields.List(
        fields.Nested(SpeakerSchema),
        required=True,
        metadata={"description": "Invited speakers and panelists, in the order shown. May be empty."},
    )

    unique_ids_in = ("speakers",)


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
    starts_at = AwareDateTime(dump_only=True, metadata={"description": "Start, ISO 8601 with the venue's offset."})
    ends_at = AwareDateTime(dump_only=True, metadata={"description": "End, ISO 8601 with the venue's offset."})

    @validates_schema
    def _check_order(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        if data["end"] <= data["start"]:
            raise ValidationError("Must be after start.", "end")


class ProgramSchema(StrictSchema):
    unique_ids_in = ("sessions",)
    status = fields.String(
        required=True,
        validate=validate.OneOf(["to-be-announced", "published"]),
        metadata={"description": "'to-be-announced' shows the note; 'published' shows the sessions."},
    )
    note = Markdown("Shown while the program is not published (e.g. 'TBD').", inline=True, load_default=None)
    timezone = TimeZoneName(
        required=True, metadata={"description": "Time zone of the session times: the venue's (Pacific/Honolulu)."}
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

    @post_load
    def _derive_instants(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        zone = timezone_named(data["timezone"])
        for session in data["sessions"]:
            day = session["date"] or data["date"]
            session["starts_at"] = dt.datetime.combine(day, session["start"], zone)
            session["ends_at"] = dt.datetime.combine(day, session["end"], zone)
        return data


class AuthorSchema(StrictSchema):
    name = Text("Full name, as shown.")
    family = Text(
        "Family name, for citations (e.g. 'King' for 'Martin Luther King Jr.', '王' for '王小明'). "
        "Imported from CMT's 'Author Names'.",
        load_default=None,
    )
    affiliation = Text("Institution.", load_default=None)
    presenter = fields.Boolean(load_default=False, metadata={"description": "true for the author who presents."})


class PaperSourceSchema(StrictSchema):
    """Where an imported paper comes from: the next import finds it again by this, never by its title."""

    cmt = fields.Integer(
        load_default=None, strict=True, validate=validate.Range(min=1), metadata={"description": "CMT's Paper ID."}
    )
    openreview = fields.String(
        load_default=None,
        validate=validate.Regexp(OPENREVIEW_ID_PATTERN, error="Not an OpenReview note id."),
        metadata={"description": "OpenReview's note id."},
    )

    @validates_schema
    def _check_one(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        if (data.get("cmt") is None) == (data.get("openreview") is None):
            raise ValidationError("Give exactly one of 'cmt' or 'openreview'.")


class Label(fields.String):
    """A short label such as a poster board number: text, or a whole number written bare (12)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        return super()._deserialize(value, attr, data, **kwargs)


class PaperPdf(fields.String):
    """An http(s) URL, or a PDF stored with the edition (``papers/<id>.pdf``).

    A stored PDF is checked while loading and becomes the URL it is served at, ``/<edition>/papers/<id>.pdf``.
    """

    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid_pdf": f"Not a PDF link: use an http(s) URL, or a file in the edition's {PAPER_FOLDER}/ folder "
        f"such as {PAPER_FOLDER}/cmt-12.pdf."
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not text.startswith(f"{PAPER_FOLDER}/"):
            try:
                validate.URL(schemes={"http", "https"})(text)
            except ValidationError as error:
                raise self.make_error("invalid_pdf") from error
            return text
        if not PAPER_FILE_PATTERN.fullmatch(text):
            raise self.make_error("invalid_pdf")
        context = load_context.get(None)
        if context is not None:
            problem = stored_pdf_problem(
                context.edition_dir.parent, context.edition_dir.name, text.removeprefix(f"{PAPER_FOLDER}/")
            )
            if problem:
                raise ValidationError(f"{context.edition_dir.name}/{text}: {problem}")
            # In the API (and on the page) the field is the URL the file is served at.
            return f"/{context.edition}/{text}"
        return text


class PaperSchema(StrictSchema):
    id = Id()
    title = Text("Title of the contribution.")
    authors = fields.List(
        fields.Nested(AuthorSchema),
        required=True,
        validate=validate.Length(min=1),
        metadata={"description": "Authors in order; mark the presenter with presenter: true."},
    )
    abstract = Markdown("The abstract (Markdown).", load_default=None)
    keywords = fields.List(
        Text("A keyword or subject area."),
        load_default=(),
        metadata={"description": "Keywords or subject areas, e.g. [cosmology, simulation-based inference]."},
    )
    track = Text("The submission track, e.g. 'Extended abstracts'.", load_default=None)
    pdf = PaperPdf(
        load_default=None,
        metadata={
            "description": f"The PDF: an http(s) URL, or a file in the edition's {PAPER_FOLDER}/ folder "
            f"({PAPER_FOLDER}/cmt-12.pdf, which `import-papers --pdfs` writes). "
            f"The API gives the URL it is served at (/<edition>/{PAPER_FOLDER}/cmt-12.pdf).",
            "format": "uri-reference",
            "pattern": f"^(?:https?://|/|{PAPER_FOLDER}/)",
        },
    )
    openreview = WebUrl("The paper's OpenReview forum.", load_default=None)
    presentation = fields.String(
        load_default=None,
        metadata={"description": "Id of a review outcome in call-for-abstracts.yaml (contributed-talk, poster)."},
    )
    poster_board = Label(
        load_default=None,
        validate=validate.Length(min=1, max=2000),
        metadata={"description": "Where the poster hangs, e.g. 12 or 'A12'."},
    )
    video = WebUrl("A recording of the talk.", load_default=None)
    slides = WebUrl("The slides.", load_default=None)
    poster = WebUrl("The poster.", load_default=None)
    code = WebUrl("The code.", load_default=None)
    source = fields.Nested(
        PaperSourceSchema,
        load_default=None,
        metadata={
            "description": "Set by `import-papers`: the submission system and the paper's id there "
            "(cmt: 12, or openreview: <note id>). The next import finds the paper by it: keep it."
        },
    )

    @validates_schema
    def _check_presenter(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        if not any(author["presenter"] for author in data["authors"]):
            raise ValidationError("Mark who presents: 'presenter: true' on one author.", "authors")


class PapersSchema(StrictSchema):
    papers = fields.List(
        fields.Nested(PaperSchema),
        required=True,
        metadata={"description": "Accepted contributions, in the order shown. May be empty."},
    )

    unique_ids_in = ("papers",)


class AnnouncementSchema(StrictSchema):
    id = Id()
    published = fields.Date(required=True, metadata={"description": "Day it was announced (2023-05-12)."})
    title = Text("Headline.")
    body = Markdown("The announcement (Markdown).", load_default=None)


class AnnouncementsSchema(StrictSchema):
    announcements = fields.List(
        fields.Nested(AnnouncementSchema),
        required=True,
        metadata={"description": "News for visitors, newest first. May be empty."},
    )

    unique_ids_in = ("announcements",)


DATE_KINDS = ("deadline", "announcement", "event")


class PreviousDateSchema(StrictSchema):
    at = AwareDateTime(load_default=None, metadata={"description": "An earlier precise time, with offset."})
    date = fields.Date(load_default=None, metadata={"description": "An earlier whole day."})

    @validates_schema
    def _check_one(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        if (data.get("at") is None) == (data.get("date") is None):
            raise ValidationError("Give exactly one of 'at' or 'date'.")


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


class DatesSchema(StrictSchema):
    timezone = TimeZoneName(
        required=True,
        metadata={"description": "Zone of whole-day items: AoE (UTC-12) or an IANA name."},
    )
    preliminary = fields.Boolean(load_default=False, metadata={"description": "true while dates may still change."})
    note = Text("Sentence above the list.", load_default=None)
    items = fields.List(
        fields.Nested(DateItemSchema),
        required=True,
        validate=validate.Length(min=1),
        metadata={"description": "Important dates, in the order shown."},
    )

    unique_ids_in = ("items",)

    @post_load
    def _derive_instants(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        zone = timezone_named(data["timezone"])
        for item in data["items"]:
            if item["at"] is not None:
                item["starts_at"], item["ends_at"] = item["at"], item["end"] or item["at"]
            else:
                days = [item["date"]] if item["date"] is not None else item["date_options"]
                item["starts_at"] = dt.datetime.combine(days[0], dt.time.min, zone)
                item["ends_at"] = dt.datetime.combine(days[-1], dt.time(23, 59, 59), zone)
        return data


class SubmissionFormatSchema(StrictSchema):
    kind = Text("What authors submit, e.g. 'extended abstract'.")
    style = Text("Name of the required format, e.g. 'ICML 2023'.")
    instructions_url = WebUrl("Author instructions for the format.")
    style_files_url = WebUrl("LaTeX style files.")
    anonymized = fields.Boolean(required=True, metadata={"description": "Whether submissions must be anonymized."})
    max_pages = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=1), metadata={"description": "Page limit."}
    )
    references_excluded = fields.Boolean(
        required=True, metadata={"description": "Whether references are outside the page limit."}
    )


class ReviewOutcomeSchema(StrictSchema):
    id = Id()
    title = Text("How accepted work is presented, e.g. 'Contributed talks'.")
    selection = Text("Which share of submissions, e.g. 'a limited set of submissions'.")


class ReviewSchema(StrictSchema):
    kind = Text("Review model, e.g. 'double-blind'.")
    outcomes = fields.List(
        fields.Nested(ReviewOutcomeSchema),
        required=True,
        validate=validate.Length(min=1),
        metadata={"description": "What review can lead to."},
    )


class SubmissionSchema(StrictSchema):
    system = Text("Submission system, e.g. 'CMT'.")
    url = WebUrl("Where to submit.")
    deadline = fields.String(
        required=True, metadata={"description": "Id of the deadline in dates.yaml, e.g. submission-deadline."}
    )


class CallForAbstractsSchema(StrictSchema):
    intro = Markdown("Who may submit and what (Markdown).")
    format = fields.Nested(SubmissionFormatSchema, required=True, metadata={"description": "Submission format."})
    review = fields.Nested(ReviewSchema, required=True, metadata={"description": "Review process."})
    proceedings = fields.Boolean(
        required=True, metadata={"description": "Whether the workshop has formal proceedings."}
    )
    submission = fields.Nested(SubmissionSchema, required=True, metadata={"description": "How to submit."})


class FaqSchema(StrictSchema):
    id = Id()
    question = Text("The question.")
    answer = Markdown("The answer (Markdown).")


class RegistrationSchema(StrictSchema):
    label = Text("Sentence introducing the registration link.")
    url = WebUrl("Registration page.")


class ContactSchema(StrictSchema):
    label = Text("Sentence introducing the address.")
    email = fields.Email(required=True, metadata={"description": "Contact e-mail address."})


class LogisticsSchema(StrictSchema):
    attendance = fields.String(
        required=True,
        validate=validate.OneOf(["in-person", "hybrid", "online"]),
        metadata={"description": "'in-person', 'hybrid' or 'online'."},
    )
    description = Markdown("How the event runs (Markdown).")
    in_person = Markdown("How to take part on site (Markdown).", inline=True, load_default=None)
    online = Markdown("How to take part remotely (Markdown).", inline=True, load_default=None)
    stream_url = WebUrl("Where remote participants watch the talks, once known.", load_default=None)
    virtual_posters_url = WebUrl("Where remote participants see the posters, once known.", load_default=None)
    registration = fields.Nested(RegistrationSchema, required=True, metadata={"description": "How to register."})
    contact = fields.Nested(ContactSchema, required=True, metadata={"description": "Who to write to."})
    faqs = fields.List(
        fields.Nested(FaqSchema), load_default=(), metadata={"description": "Questions and answers, in order."}
    )

    unique_ids_in = ("faqs",)


class PosterSizeSchema(StrictSchema):
    id = Id()
    title = Text("e.g. 'Recommended size'.")
    width_in = fields.Float(required=True, validate=validate.Range(min=1), metadata={"description": "Width, inches."})
    height_in = fields.Float(required=True, validate=validate.Range(min=1), metadata={"description": "Height, inches."})
    width_cm = fields.Float(required=True, validate=validate.Range(min=1), metadata={"description": "Width, cm."})
    height_cm = fields.Float(required=True, validate=validate.Range(min=1), metadata={"description": "Height, cm."})
    paper = Text("Paper size name, e.g. 'A1'.")
    orientation = fields.String(
        required=True,
        validate=validate.OneOf(["portrait", "landscape"]),
        metadata={"description": "'portrait' or 'landscape'."},
    )

    @validates_schema
    def _check_orientation(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        portrait = data["height_cm"] > data["width_cm"]
        if portrait != (data["orientation"] == "portrait"):
            raise ValidationError(
                f"Does not match the size: {data['width_cm']} x {data['height_cm']} cm is "
                f"{'portrait' if portrait else 'landscape'}.",
                "orientation",
            )


class PostersSchema(StrictSchema):
    intro = Text("Sentence above the sizes.")
    sizes = fields.List(
        fields.Nested(PosterSizeSchema),
        required=True,
        validate=validate.Length(min=1),
        metadata={"description": "Poster sizes."},
    )
    notes = Markdown("Printing and hanging advice (Markdown).")

    unique_ids_in = ("sizes",)


class EditionsSchema(StrictSchema):
    current = fields.String(
        required=True, metadata={"description": "Folder name of the edition served at / (e.g. icml2023)."}
    )


# Resource name (URL and file name) -> schema, in page order. The JSON key of a
# resource inside site.json is its name with '-' replaced by '_'.
RESOURCE_SCHEMAS: dict[str, type[StrictSchema]] = {
    "site": SiteSchema,
    "announcements": AnnouncementsSchema,
    "topics": TopicsSchema,
    "program": ProgramSchema,
    "speakers": SpeakersSchema,
    "papers": PapersSchema,
    "call-for-abstracts": CallForAbstractsSchema,
    "logistics": LogisticsSchema,
    "dates": DatesSchema,
    "posters": PostersSchema,
    "committee": CommitteeSchema,
}
