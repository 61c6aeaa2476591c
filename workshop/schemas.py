"""The single definition of every data file's shape.

Each schema loads (validates) one YAML file under ``data/<edition>/`` and dumps
the same data for the JSON API, so the files and the API cannot drift apart.
Fields marked ``dump_only`` are derived while loading (instants of date-only
items, photo URLs, rendered HTML) and are refused in data files. A load gives the
frozen dataclass declared above each schema (its ``model``): the content model's
sections and items, read by attribute (``site.venue.name``), dumped by the same schema.

``metadata["description"]`` on each field is the text of the field reference
(``data/README.md``) and of the API description. The fields they are built from are
in workshop/datafields.py; papers.yaml's schema in workshop/paperschemas.py, the people's
in workshop/peopleschemas.py, the venue's, the sponsors' and an edition's own sections' in
workshop/sectionschemas.py, site.yaml's theme in workshop/themeschemas.py.
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

from workshop import phases, uistrings, wording
from workshop.datafields import (
    Id,
    Items,
    Link,
    Markdown,
    SiteUrl,
    StrictSchema,
    Text,
    TimeZoneName,
    WebUrl,
)
from workshop.pagesections import CUSTOM_RESOURCE
from workshop.paperschemas import PapersSchema
from workshop.peopleschemas import CommitteeSchema, SpeakersSchema
from workshop.richtext import RichText
from workshop.sectionschemas import CustomSectionsSchema, SponsorsSchema, VenueDetailsSchema, sections_field
from workshop.themeschemas import Theme, ThemeSchema
from workshop.timeschemas import DatesSchema, ProgramSchema


@dataclass(frozen=True)
class LabelledLink:
    label: str
    href: str


class LinkSchema(StrictSchema):
    model = LabelledLink

    label = Text("Text of the link or button.")
    href = Link(required=True, metadata={"description": "An http(s) URL, or '#section' on the page."})


@dataclass(frozen=True)
class Venue:
    name: str
    city: str | None
    timezone: str


class VenueSchema(StrictSchema):
    model = Venue

    name = Text("The host conference or event and its year, shown as '<name> workshop'.")
    city = Text("Where the venue is.", load_default=None)
    timezone = TimeZoneName(
        required=True, metadata={"description": "IANA time zone of the venue (program times are in it)."}
    )


@dataclass(frozen=True)
class Site:
    """site.yaml: the workshop, its venue and its texts."""

    title: str
    venue: Venue
    rationale: RichText
    goal: RichText
    approach: RichText
    call_to_action: LabelledLink
    # Fixes the page's phase for good (workshop/phases.py); None: the dates and the program decide.
    phase: str | None
    theme: Theme
    language: str
    # Every built-in heading and menu label, by heading id (workshop/wording.py): the site's, else English.
    headings: Mapping[str, str]
    menu: Mapping[str, str]
    # Every other word the software writes on the pages, by id (workshop/uistrings.py): the site's, else English.
    wording: Mapping[str, str]
    # As site.yaml lists them (None: not listed); the page shows Edition.shown_sections.
    sections: tuple[str, ...] | None


class SiteSchema(StrictSchema):
    model = Site

    title = Text("Workshop title.")
    venue = fields.Nested(VenueSchema, required=True, metadata={"description": "The host conference."})
    rationale = Markdown("Why the workshop exists (Markdown).")
    goal = Markdown("The goal statement shown in bold (Markdown).")
    approach = Markdown("How the workshop pursues its goal (Markdown).")
    call_to_action = fields.Nested(
        LinkSchema,
        required=True,
        metadata={
            "description": "The button in the header and below the topics while abstracts are welcome (the call "
            "phase); later phases lead to the dates, the program or the stream instead."
        },
    )
    phase = phases.phase_field()
    theme = fields.Nested(
        ThemeSchema,
        load_default=lambda: ThemeSchema().load({}),
        metadata={"description": "The site's look: accent colour, header, logo and icon. Without it: the default."},
    )
    language = wording.language_field()
    headings = wording.headings_field()
    menu = wording.menu_field()
    sections = sections_field()
    wording = wording.wording_field()

    def derive(self, data: dict[str, Any]) -> dict[str, Any]:
        words = {"wording": uistrings.merged(data["wording"])}
        return data | wording.wording(data["headings"], data["menu"]) | words


@dataclass(frozen=True)
class Topic:
    id: str
    title: str


class TopicSchema(StrictSchema):
    model = Topic

    id = Id()
    title = Text("The open problem, one line.")


@dataclass(frozen=True)
class Topics:
    """topics.yaml: the open problems of the call."""

    intro: RichText
    items: tuple[Topic, ...]
    note: RichText


class TopicsSchema(StrictSchema):
    model = Topics

    intro = Markdown("Sentence before the list (Markdown).")
    items = Items(TopicSchema, "Open problems, in the order shown.")
    note = Markdown("Sentence after the list (Markdown).")

    unique_ids_in = ("items",)


@dataclass(frozen=True)
class Announcement:
    id: str
    published: dt.date
    title: str
    body: RichText | None


class AnnouncementSchema(StrictSchema):
    model = Announcement

    id = Id()
    published = fields.Date(required=True, metadata={"description": "Day it was announced (2023-05-12)."})
    title = Text("Headline.")
    body = Markdown("The announcement (Markdown).", load_default=None)


@dataclass(frozen=True)
class Announcements:
    """announcements.yaml: news, newest first."""

    announcements: tuple[Announcement, ...]


class AnnouncementsSchema(StrictSchema):
    model = Announcements

    announcements = fields.List(
        fields.Nested(AnnouncementSchema),
        required=True,
        metadata={"description": "News for visitors, newest first. May be empty."},
    )

    unique_ids_in = ("announcements",)


@dataclass(frozen=True)
class SubmissionFormat:
    kind: str
    style: str
    instructions_url: str
    style_files_url: str
    anonymized: bool
    max_pages: int
    references_excluded: bool


class SubmissionFormatSchema(StrictSchema):
    model = SubmissionFormat

    kind = Text("What authors submit, e.g. 'extended abstract'.")
    style = Text("Name of the required format, e.g. the host conference's template and year.")
    instructions_url = WebUrl("Author instructions for the format.")
    style_files_url = WebUrl("LaTeX style files.")
    anonymized = fields.Boolean(required=True, metadata={"description": "Whether submissions must be anonymized."})
    max_pages = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=1), metadata={"description": "Page limit."}
    )
    references_excluded = fields.Boolean(
        required=True, metadata={"description": "Whether references are outside the page limit."}
    )


@dataclass(frozen=True)
class ReviewOutcome:
    id: str
    title: str
    selection: str


class ReviewOutcomeSchema(StrictSchema):
    model = ReviewOutcome

    id = Id()
    title = Text("How accepted work is presented, e.g. 'Contributed talks'.")
    selection = Text("Which share of submissions, e.g. 'a limited set of submissions'.")


@dataclass(frozen=True)
class Review:
    kind: str
    outcomes: tuple[ReviewOutcome, ...]


class ReviewSchema(StrictSchema):
    model = Review

    kind = Text("Review model, e.g. 'double-blind'.")
    outcomes = Items(ReviewOutcomeSchema, "What review can lead to.")


@dataclass(frozen=True)
class Submission:
    system: str
    url: str
    deadline: str


class SubmissionSchema(StrictSchema):
    model = Submission

    system = Text("Submission system, e.g. 'CMT'.")
    url = WebUrl("Where to submit.")
    deadline = fields.String(
        required=True, metadata={"description": "Id of the deadline in dates.yaml, e.g. submission-deadline."}
    )


@dataclass(frozen=True)
class CallForAbstracts:
    """call-for-abstracts.yaml: who may submit what, how, and how it is reviewed."""

    intro: RichText
    format: SubmissionFormat
    review: Review
    proceedings: bool
    submission: Submission


class CallForAbstractsSchema(StrictSchema):
    model = CallForAbstracts

    intro = Markdown("Who may submit and what (Markdown).")
    format = fields.Nested(SubmissionFormatSchema, required=True, metadata={"description": "Submission format."})
    review = fields.Nested(ReviewSchema, required=True, metadata={"description": "Review process."})
    proceedings = fields.Boolean(
        required=True, metadata={"description": "Whether the workshop has formal proceedings."}
    )
    submission = fields.Nested(SubmissionSchema, required=True, metadata={"description": "How to submit."})


@dataclass(frozen=True)
class Faq:
    id: str
    question: str
    answer: RichText


class FaqSchema(StrictSchema):
    model = Faq

    id = Id()
    question = Text("The question.")
    answer = Markdown("The answer (Markdown).")


@dataclass(frozen=True)
class Registration:
    label: str
    url: str


class RegistrationSchema(StrictSchema):
    model = Registration

    label = Text("Sentence introducing the registration link.")
    url = WebUrl("Registration page.")


@dataclass(frozen=True)
class Contact:
    label: str
    email: str


class ContactSchema(StrictSchema):
    model = Contact

    label = Text("Sentence introducing the address.")
    email = fields.Email(required=True, metadata={"description": "Contact e-mail address."})


@dataclass(frozen=True)
class Logistics:
    """logistics.yaml: how the event runs, registration, contact and questions."""

    attendance: str
    description: RichText
    in_person: RichText | None
    online: RichText | None
    stream_url: str | None
    virtual_posters_url: str | None
    chat_url: str | None
    registration: Registration
    contact: Contact
    faqs: tuple[Faq, ...]


class LogisticsSchema(StrictSchema):
    model = Logistics

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
    chat_url = WebUrl("Where participants ask questions and chat during the event (Q&A).", load_default=None)
    registration = fields.Nested(RegistrationSchema, required=True, metadata={"description": "How to register."})
    contact = fields.Nested(ContactSchema, required=True, metadata={"description": "Who to write to."})
    faqs = fields.List(
        fields.Nested(FaqSchema), load_default=(), metadata={"description": "Questions and answers, in order."}
    )

    unique_ids_in = ("faqs",)


@dataclass(frozen=True)
class PosterSize:
    id: str
    title: str
    width_in: float
    height_in: float
    width_cm: float
    height_cm: float
    paper: str
    orientation: str


class PosterSizeSchema(StrictSchema):
    model = PosterSize

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


@dataclass(frozen=True)
class Posters:
    """posters.yaml: poster sizes and advice."""

    intro: str
    sizes: tuple[PosterSize, ...]
    notes: RichText


class PostersSchema(StrictSchema):
    model = Posters

    intro = Text("Sentence above the sizes.")
    sizes = Items(PosterSizeSchema, "Poster sizes.")
    notes = Markdown("Printing and hanging advice (Markdown).")

    unique_ids_in = ("sizes",)


@dataclass(frozen=True)
class Editions:
    """editions.yaml: what is about the whole site: the edition served at /, and the site's public URL."""

    current: str
    site_url: str | None


class EditionsSchema(StrictSchema):
    model = Editions

    current = fields.String(
        required=True, metadata={"description": "Folder name of the edition served at / (e.g. icml2023)."}
    )
    site_url = SiteUrl(
        "The site's public address: scheme and host, and its path when it is not served at the root of its "
        "domain (e.g. https://workshop.example.org). Absolute links (canonical links, link previews, feeds, "
        "calendars) are built on it, and calendar events' ids carry its host: keep it once published. "
        "The setting WORKSHOP_SITE_URL overrides it for one deployment; without either, the local "
        "address of `make run`.",
        load_default=None,
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
    "venue": VenueDetailsSchema,
    "logistics": LogisticsSchema,
    "dates": DatesSchema,
    "posters": PostersSchema,
    "committee": CommitteeSchema,
    "sponsors": SponsorsSchema,
}
# Data files an edition may leave out: a missing one loads as an empty file (every field has a default).
OPTIONAL_RESOURCES = frozenset({"venue", "sponsors"})
# Every resource the API serves: the data files', and the edition's own sections (sections/<id>.md).
SERVED_SCHEMAS: dict[str, type[StrictSchema]] = {**RESOURCE_SCHEMAS, CUSTOM_RESOURCE: CustomSectionsSchema}
