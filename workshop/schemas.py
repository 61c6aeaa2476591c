"""The single definition of every data file's shape.

Each schema loads (validates) one YAML file under ``data/<edition>/`` and dumps
the same data for the JSON API, so the files and the API cannot drift apart.
Fields marked ``dump_only`` are derived while loading (instants of date-only
items, photo URLs, rendered HTML) and are refused in data files.

``metadata["description"]`` on each field is the text of the field reference
(``data/README.md``) and of the API description. The fields they are built from are
in workshop/datafields.py; papers.yaml's schema in workshop/paperschemas.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import (
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from workshop.datafields import (
    Id,
    Link,
    Markdown,
    StrictSchema,
    Text,
    TimeZoneName,
    WebUrl,
    initials,
    load_context,
)
from workshop.paperschemas import PapersSchema
from workshop.phases import PHASES
from workshop.storedfiles import (
    PHOTO_FOLDER,
    PHOTO_SUFFIXES,
    is_photo_name,
    photo_file,
)
from workshop.timeschemas import DatesSchema, ProgramSchema


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
    call_to_action = fields.Nested(
        LinkSchema,
        required=True,
        metadata={"description": "Button below the topics, and the header's while the call for abstracts is open."},
    )
    phase = fields.String(
        load_default=None,
        validate=validate.OneOf(PHASES),
        metadata={
            "description": f"Fixes the page's phase ({', '.join(PHASES)}) instead of following the dates and the "
            "program, e.g. during a postponement. Leave it out otherwise."
        },
    )


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
    chat_url = WebUrl("Where participants ask questions and chat during the event (Q&A).", load_default=None)
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
