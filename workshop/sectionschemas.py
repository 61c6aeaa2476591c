"""The shapes of the venue (venue.yaml), the sponsors (sponsors.yaml) and an edition's own sections
(``sections/<id>.md``: Markdown under a front matter with its ``title``).

venue.yaml and sponsors.yaml may be left out: an edition without them has no venue details and no
sponsors, and the page shows neither section.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import fields, post_load, validates_schema

from workshop.datafields import Id, Markdown, StrictSchema, Text, WebUrl, check_photo, photo_url


def _inline(description: str) -> Markdown:
    return Markdown(f"{description} (Markdown, one paragraph).", inline=True, load_default=None)


class AccessibilitySchema(StrictSchema):
    step_free_access = _inline("Step-free access: entrances, lifts, ramps, accessible toilets")
    quiet_room = _inline("Where a quiet room is, and when it is open")
    transit = _inline("How to get there by public transport")
    parking = _inline("Parking, accessible spaces included")
    food = _inline("Food and drink: what is served, dietary needs, where to eat nearby")


class VenueDetailsSchema(StrictSchema):
    name = Text("The building or place, e.g. 'Hawaii Convention Center'.", load_default=None)
    room = Text("The room, e.g. 'Room 316 AB'.", load_default=None)
    address = Text("The street address, on one line.", load_default=None)
    map_url = WebUrl("A map of the place (e.g. an OpenStreetMap link).", load_default=None)
    accessibility = fields.Nested(
        AccessibilitySchema,
        load_default=None,
        metadata={"description": "How to get there and around: each item optional."},
    )


class SponsorSchema(StrictSchema):
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

    @post_load
    def _derive(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        data["logo_url"] = photo_url(data["logo"])
        return data


class SponsorsSchema(StrictSchema):
    sponsors = fields.List(
        fields.Nested(SponsorSchema),
        load_default=(),
        metadata={"description": "Sponsors, in the order shown (grouped by tier, tiers in order of appearance)."},
    )

    unique_ids_in = ("sponsors",)


class SectionFrontMatterSchema(StrictSchema):
    """The front matter of sections/<id>.md, between two '---' lines at the top."""

    title = Text("The section's heading, and its name in the navigation.")


class CustomSectionSchema(StrictSchema):
    id = Id("The section's id: its file name without .md, and its anchor on the page.")
    title = Text("The section's heading, and its name in the navigation.")
    body = Markdown("The section's text (Markdown), after its front matter.")


class CustomSectionsSchema(StrictSchema):
    sections = fields.List(
        fields.Nested(CustomSectionSchema),
        load_default=(),
        metadata={"description": "The edition's own sections the page shows, in its order. May be empty."},
    )
