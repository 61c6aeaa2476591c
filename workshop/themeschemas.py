"""site.yaml's ``theme:``: the accent colour, the header's colours or image, the logo and the icon.

Part of the single definition of the data files' shapes (workshop/schemas.py). The colours'
contrast is measured, and the stylesheet written, by workshop/theme.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError, fields, validates_schema

from workshop.datafields import Colour, StrictSchema, check_photo, photo_url
from workshop.storedfiles import PHOTO_FOLDER
from workshop.theme import (
    DEFAULT_ACCENT,
    DEFAULT_HEADER_BACKGROUND,
    DEFAULT_HEADER_TEXT,
    contrast_problems,
)


def _theme_file(description: str) -> fields.String:
    return fields.String(load_default=None, metadata={"description": description})


def _file_url(description: str) -> fields.String:
    return fields.String(dump_only=True, allow_none=True, metadata={"description": description})


@dataclass(frozen=True)
class Header:
    background: str
    text: str
    image: str | None
    overlay: str | None
    image_url: str | None


class HeaderSchema(StrictSchema):
    model = Header

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

    def derive(self, data: dict[str, Any]) -> dict[str, Any]:
        data["image_url"] = photo_url(data["image"])
        return data


@dataclass(frozen=True)
class Theme:
    """site.yaml's theme: the site's look."""

    accent: str
    header: Header
    logo: str | None
    favicon: str | None
    logo_url: str | None
    favicon_url: str | None


class ThemeSchema(StrictSchema):
    model = Theme

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
        for path, problems in contrast_problems(data["accent"], data["header"]).items():
            *parents, name = path
            target = messages
            for parent in parents:
                target = target.setdefault(parent, {})
            target[name] = problems
        if messages:
            raise ValidationError(messages)

    def derive(self, data: dict[str, Any]) -> dict[str, Any]:
        data["logo_url"] = photo_url(data["logo"])
        data["favicon_url"] = photo_url(data["favicon"])
        return data
