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
    Colour,
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
from workshop.storedfiles import (
    PHOTO_FOLDER,
    PHOTO_SUFFIXES,
    is_photo_name,
    photo_file,
)
from workshop.theme import (
    DEFAULT_ACCENT,
    DEFAULT_HEADER_BACKGROUND,
    DEFAULT_HEADER_TEXT,
    contrast_problems,
)
from workshop.timeschemas import DatesSchema, ProgramSchema


class LinkSchema(StrictSchema):
    label = Text("Text of the link or button.")
    href = Link(required=True, metadata={"description": "An http(s) URL, or '#section' on the page."})


class VenueSchema(StrictSchema):
    name = Text("The host conference or event and its year, shown as '<name> workshop'.")
    city = Text("Where the venue is.", load_default=None)
    timezone = TimeZoneName(
        required=True, metadata={"description": "IANA time zone of the venue (program times are in it)."}
    )


def _theme_file(description: str) -> fields.String:
    return fields.String(load_default=None, metadata={"description": description})


def _file_url(description: str) -> fields.String:
    return fields.String(dump_only=True, allow_none=True, metadata={"description": description})


class HeaderSchema(StrictSchema):
    background = Colour(
        "Background colour of the header and its menu (a CSS colour, kept as #rrggbb); under the image, if any.",
        load_default=DEFAULT_HEADER_BACKGROUND,
    )
    text = Colour("Colour of the header's text, menu and button label.", load_default=DEFAULT_HEADER_TEXT)
    image = _theme_file(
        f"Background image of the header, a file in the edition's {PHOTO_FOLDER}/ folder (e.g. "
        f"{PHOTO_FOLDER}/header.jpg). Needs an overlay."
    )
    overlay = Colour(
        "With an image: a colour drawn over it, see-through or not (e.g. '#0b1026cc', 'rgb(0 0 0 / 60%)'). "
        "The text must keep its contrast on the overlay over the image's darkest and lightest pixels.",
        translucent=True,
        load_default=None,
    )
    image_url = _file_url("URL of the header's image, or null.")

    @validates_schema
    def _check_image(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        check_photo(data.get("image"), "image")
        if data.get("image") is not None and data.get("overlay") is None:
            raise ValidationError(
                "A header image needs an overlay colour that keeps the text readable on any part of the image, "
                "e.g. overlay: '#0b1026cc'.",
                "overlay",
            )

    @post_load
    def _derive(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        data["image_url"] = photo_url(data["image"])
        return data


class ThemeSchema(StrictSchema):
    accent = Colour(
        "Colour of links and buttons in light mode (a CSS colour, kept as #rrggbb); "
        "dark mode's is derived from it, lightened until it reads on the dark page.",
        load_default=DEFAULT_ACCENT,
    )
    header = fields.Nested(
        HeaderSchema,
        load_default=lambda: HeaderSchema().load({}),
        metadata={"description": "The header's colours, or its image; the same in light and dark mode."},
    )
    logo = _theme_file(f"Logo shown in the header, a file in the edition's {PHOTO_FOLDER}/ folder.")
    favicon = _theme_file(
        f"The icon browsers show in tabs and bookmarks, a file in the edition's {PHOTO_FOLDER}/ folder "
        "(.svg or .png). Without one, a plain icon."
    )
    logo_url = _file_url("URL of the logo, or null.")
    favicon_url = _file_url("URL of the icon, or null.")

    @validates_schema
    def _check(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        check_photo(data.get("logo"), "logo")
        check_photo(data.get("favicon"), "favicon")
        messages: dict[str, Any] = {}
        for path, problems in contrast_problems(data).items():
            *parents, name = path
            target = messages
            for parent in parents:
                target = target.setdefault(parent, {})
            target[name] = problems
        if messages:
            raise ValidationError(messages)

    @post_load
    def _derive(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        data["logo_url"] = photo_url(data["logo"])
        data["favicon_url"] = photo_url(data["favicon"])
        return data


class SiteSchema(StrictSchema):
    title = Text("Workshop title.")
    venue = fields.Nested(VenueSchema, required=True, metadata={"description": "The host conference."})
    rationale = Markdown("Why the workshop exists (Markdown).")
    goal = Markdown("The goal statement shown in bold (Markdown).")
    approach = Markdown("How the workshop pursues its goal (Markdown).")
    call_to_action = fields.Nested(LinkSchema, required=True, metadata={"description": "Button below the topics."})
    theme = fields.Nested(
        ThemeSchema,
        load_default=lambda: ThemeSchema().load({}),
        metadata={"description": "The site's look: accent colour, header, logo and icon. Without it: the default."},
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


def check_photo(photo: str | None, field_name: str) -> None:
    """A file the data names in the edition's photos/ folder is one the site serves (workshop/storedfiles.py)."""
    if photo is None:
        return
    folder, _, name = photo.partition("/")
    if folder != PHOTO_FOLDER or not is_photo_name(name):
        raise ValidationError(
            f"Must be an image in the edition's {PHOTO_FOLDER}/ folder, e.g. {PHOTO_FOLDER}/jane-doe.jpg, "
            f"ending in one of {', '.join(sorted(PHOTO_SUFFIXES))}, with no part of its path starting with '.'.",
            field_name,
        )
    context = load_context.get(None)
    if context is None:
        return
    where = f"{context.edition_dir.name}/{photo}"
    if not (context.edition_dir / photo).exists():
        raise ValidationError(f"No such file: {where}.", field_name)
    if photo_file(context.edition_dir.parent, context.edition_dir.name, name) is None:
        raise ValidationError(
            f"The site does not serve {where}: a photo is a regular image file, and a symbolic link "
            "must lead to one inside the data folder.",
            field_name,
        )


def photo_url(photo: str | None) -> str | None:
    """Where the site serves a file of the photos/ folder: ``/<edition>/photos/<name>``."""
    context = load_context.get(None)
    return f"/{context.edition}/{photo}" if photo and context else None


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
        check_photo(data.get("photo"), "photo")

    @post_load
    def _derive(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        data["photo_url"] = photo_url(data["photo"])
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
