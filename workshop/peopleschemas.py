"""speakers.yaml and committee.yaml: people, their photos and initials.

Part of the single definition of the data files' shapes (workshop/schemas.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import (
    fields,
    validate,
    validates_schema,
)

from workshop.datafields import (
    Id,
    Items,
    StrictSchema,
    Text,
    WebUrl,
    check_photo,
    initials,
    photo_url,
)


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    affiliation: str
    url: str | None
    photo: str | None
    photo_url: str | None
    initials: str


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

    def derive(self, data: dict[str, Any]) -> dict[str, Any]:
        data["photo_url"] = photo_url(data["photo"])
        data["initials"] = initials(data["name"])
        return data


@dataclass(frozen=True)
class CommitteeMember(Person):
    role: str


class CommitteeMemberSchema(PersonSchema):
    model = CommitteeMember

    role = fields.String(
        load_default="member",
        validate=validate.OneOf(["co-chair", "member"]),
        metadata={"description": "'co-chair' or 'member' (the default)."},
    )


@dataclass(frozen=True)
class Committee:
    """committee.yaml: who organizes the workshop."""

    intro: str
    members: tuple[CommitteeMember, ...]


class CommitteeSchema(StrictSchema):
    model = Committee

    intro = Text("Sentence above the committee.")
    members = Items(CommitteeMemberSchema, "Members, in the order shown.")

    unique_ids_in = ("members",)


@dataclass(frozen=True)
class Speaker(Person):
    role: str


class SpeakerSchema(PersonSchema):
    model = Speaker

    role = fields.String(
        load_default="invited-speaker",
        validate=validate.OneOf(["invited-speaker", "panelist"]),
        metadata={"description": "'invited-speaker' (the default) or 'panelist'."},
    )


@dataclass(frozen=True)
class Speakers:
    """speakers.yaml: invited speakers and panelists."""

    speakers: tuple[Speaker, ...]


class SpeakersSchema(StrictSchema):
    model = Speakers

    speakers = fields.List(
        fields.Nested(SpeakerSchema),
        required=True,
        metadata={"description": "Invited speakers and panelists, in the order shown. May be empty."},
    )
