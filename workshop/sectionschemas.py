"""The shapes of the venue (venue.yaml), the sponsors (sponsors.yaml) and an edition's own sections
(``sections/<id>.md``: Markdown under a front matter with its ``title``), each loaded into the frozen
dataclass declared above its schema (workshop/schemas.py says how).

venue.yaml and sponsors.yaml may be left out: an edition without them has no venue details and no
sponsors, and the page shows neither section. ``site.yaml``'s ``sections:`` list is checked here too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from workshop.datafields import (
    SLUG_PATTERN,
    Id,
    Markdown,
    StrictSchema,
    Text,
    WebUrl,
    check_photo,
    load_context,
    photo_url,
)
from workshop.pagesections import BUILT_IN, CUSTOM_FOLDER, CUSTOM_SUFFIX
from workshop.richtext import RichText


def _inline(description: str) -> Markdown:
    return Markdown(f"{description} (Markdown, one paragraph).", inline=True, load_default=None)


@dataclass(frozen=True)
class Accessibility:
    step_free_access: RichText | None
    quiet_room: RichText | None
    transit: RichText | None
    parking: RichText | None
    food: RichText | None


class AccessibilitySchema(StrictSchema):
    model = Accessibility

    step_free_access = _inline("Step-free access: entrances, lifts, ramps, accessible toilets")
    quiet_room = _inline("Where a quiet room is, and when it is open")
    transit = _inline("How to get there by public transport")
    parking = _inline("Parking, accessible spaces included")
    food = _inline("Food and drink: what is served, dietary needs, where to eat nearby")


@dataclass(frozen=True)
class VenueDetails:
    """venue.yaml: where the workshop takes place and how to get there and around (site.yaml's
    ``venue`` is the host conference)."""

    name: str | None
    room: str | None
    address: str | None
    map_url: str | None
    accessibility: Accessibility | None

    @property
    def has_details(self) -> bool:
        """Whether the page has anything to show of the venue (its section is left out otherwise)."""
        return any(getattr(self, field.name) is not None for field in dataclasses.fields(self))


class VenueDetailsSchema(StrictSchema):
    model = VenueDetails

    name = Text("The building or place, e.g. 'Example Convention Center'.", load_default=None)
    room = Text("The room, e.g. 'Room 316 AB'.", load_default=None)
    address = Text("The street address, on one line.", load_default=None)
    map_url = WebUrl("A map of the place (e.g. an OpenStreetMap link).", load_default=None)
    accessibility = fields.Nested(
        AccessibilitySchema,
        load_default=None,
        metadata={"description": "How to get there and around: each item optional."},
    )


@dataclass(frozen=True)
class Sponsor:
    id: str
    name: str
    url: str | None
    logo: str | None
    logo_url: str | None
    tier: str | None


class SponsorSchema(StrictSchema):
    model = Sponsor

    id = Id()
    name = Text("The sponsor's name, as shown.")
    url = WebUrl("The sponsor's site.", load_default=None)
    logo = fields.String(
        load_default=None,
        metadata={
            "description": "Logo file in the edition's photos/ folder (e.g. photos/astro-data-lab.png). "
            "Without one, the page shows the name."
        },
    )
    logo_url = fields.String(dump_only=True, allow_none=True, metadata={"description": "URL of the logo, or null."})
    tier = Text("The sponsorship level, e.g. 'Gold'; the page groups sponsors by it.", load_default=None)

    @validates_schema
    def _check_logo(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        check_photo(data.get("logo"), "logo")

    def derive(self, data: dict[str, Any]) -> dict[str, Any]:
        data["logo_url"] = photo_url(data["logo"])
        return data


@dataclass(frozen=True)
class Sponsors:
    """sponsors.yaml: who supports the workshop."""

    sponsors: tuple[Sponsor, ...]


class SponsorsSchema(StrictSchema):
    model = Sponsors

    sponsors = fields.List(
        fields.Nested(SponsorSchema),
        load_default=(),
        metadata={"description": "Sponsors, in the order shown (grouped by tier, tiers in order of appearance)."},
    )

    unique_ids_in = ("sponsors",)


@dataclass(frozen=True)
class SectionFrontMatter:
    title: str


class SectionFrontMatterSchema(StrictSchema):
    """The front matter of sections/<id>.md, between two '---' lines at the top."""

    model = SectionFrontMatter

    title = Text("The section's heading, and its name in the navigation.")


@dataclass(frozen=True)
class CustomSection:
    """One of an edition's own sections (sections/<id>.md)."""

    id: str
    title: str
    body: RichText


class CustomSectionSchema(StrictSchema):
    model = CustomSection

    id = Id("The section's id: its file name without .md, and its anchor on the page.")
    title = Text("The section's heading, and its name in the navigation.")
    # Shown under the section's h2: its headings (# and ## alike) start at h3.
    body = Markdown(
        "The section's text (Markdown), after its front matter. Its headings are shown under the "
        "section's title: # and ## as the first level below it, ### and deeper below those.",
        headings_under=2,
    )


@dataclass(frozen=True)
class CustomSections:
    """The edition's own sections the page shows, in its order."""

    sections: tuple[CustomSection, ...]


class CustomSectionsSchema(StrictSchema):
    model = CustomSections

    sections = fields.List(
        fields.Nested(CustomSectionSchema),
        load_default=(),
        metadata={"description": "The edition's own sections the page shows, in its order. May be empty."},
    )


def section_order_problems(listed: Sequence[str]) -> dict[int, list[str]]:
    """What is wrong with site.yaml's ``sections:`` list, by item: an id listed twice, or one that is
    neither built in nor an own section's file of the edition being loaded."""
    context = load_context.get(None)
    problems: dict[int, list[str]] = {}
    first: dict[str, int] = {}
    for index, section_id in enumerate(listed):
        if section_id in first:
            problems[index] = [f"Listed twice (also item {first[section_id]}): list a section once."]
        elif section_id not in BUILT_IN and (
            not SLUG_PATTERN.match(section_id)
            or (context and not (context.edition_dir / CUSTOM_FOLDER / f"{section_id}{CUSTOM_SUFFIX}").is_file())
        ):
            own = f"{CUSTOM_FOLDER}/{section_id}{CUSTOM_SUFFIX}"
            where = f"{context.edition_dir.name}/{own}" if context else own
            problems[index] = [
                f"No section {section_id!r}: the built-in sections are {', '.join(BUILT_IN)}, "
                f"and an edition's own section is a Markdown file; {where} does not exist."
            ]
        first.setdefault(section_id, index)
    return problems


class SectionList(fields.List):
    """site.yaml's ``sections:`` list, its problems reported by item (:func:`section_order_problems`)."""

    def _validate(self, value: Any) -> None:
        super()._validate(value)
        problems = section_order_problems(value)
        if problems:
            raise ValidationError(problems)


def sections_field() -> SectionList:
    return SectionList(
        fields.String(),
        load_default=None,
        validate=validate.Length(min=1),
        metadata={
            "description": "The page's sections, in order: built-in ids "
            f"({', '.join(BUILT_IN)}) and the ids of the edition's own sections "
            f"({CUSTOM_FOLDER}/<id>{CUSTOM_SUFFIX}). A section left out is not shown. Without this list: the "
            "built-in order, then the edition's own sections. In the API: the sections the page shows, in order."
        },
    )
