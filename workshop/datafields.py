"""The building blocks of the data files' schemas: fields, patterns, zones and the strict base schema.

Each field carries its ``metadata["description"]``, the text of the field reference
(``data/README.md``) and of the API description. The schemas of each file are in
workshop/schemas.py (papers.yaml's in workshop/paperschemas.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit
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
from workshop.staticfiles import file_version
from workshop.storedfiles import (
    PAPER_FOLDER,
    PHOTO_FOLDER,
    PHOTO_SUFFIXES,
    is_photo_name,
    photo_file,
    versioned_photo_url,
)
from workshop.textrules import VisibleText
from workshop.theme import ColourError, css_colour, parse_colour

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


def check_photo(photo: str | None, field_name: str) -> None:
    """A photo, logo or image a data file names: an image in the edition's photos/ folder that the site serves
    (workshop/storedfiles.py)."""
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
    """The URL of a photo the data file names (checked by :func:`check_photo`), or None.

    ``/<edition>/photos/<version>/<name>``: the version is a hash of the file's bytes, so the URL is
    cached for good and changes with the file (workshop/pages.py serves it; the plain URL keeps working).
    """
    context = load_context.get(None)
    if not photo or context is None:
        return None
    name = photo.partition("/")[2]
    path = photo_file(context.edition_dir.parent, context.edition, name)
    if path is None:  # refused by check_photo, which names the problem
        return f"/{context.edition}/{photo}"
    return versioned_photo_url(context.edition, name, file_version(path))


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


def Items(item_schema: type[Schema], description: str) -> fields.List:  # noqa: N802
    """A required list of at least one item, each validated by ``item_schema``."""
    return fields.List(
        fields.Nested(item_schema), validate=validate.Length(min=1), **_described(description, {"required": True})
    )


def WebUrl(description: str, **kwargs: Any) -> fields.Url:  # noqa: N802
    return fields.Url(schemes={"http", "https"}, **_described(description, kwargs))


class SiteUrl(fields.Url):
    """A site's public address: an http(s) URL with no query or fragment, kept without a trailing '/'
    (absolute links add their path, starting with '/')."""

    def __init__(self, description: str, **kwargs: Any) -> None:
        super().__init__(schemes={"http", "https"}, **_described(description, kwargs))

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        url = super()._deserialize(value, attr, data, **kwargs)
        if urlsplit(url).query or urlsplit(url).fragment:
            raise ValidationError("Write the address alone: no query (?...) or fragment (#...).")
        return url.rstrip("/")


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

    def __init__(
        self, description: str, *, inline: bool = False, headings_under: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**_described(description, kwargs))
        self.inline = inline
        # The level of the heading the text is shown under: its own headings nest below it
        # (workshop/richtext.py). None: a heading in the text is shown as a paragraph's text.
        self.headings_under = headings_under

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> RichText:
        if not isinstance(value, str) or not value.strip():
            raise self.make_error("invalid")
        MARKDOWN_TEXT(value)  # before rendering: what the source holds is served too
        return RichText.from_markdown(value, inline=self.inline, headings_under=self.headings_under)

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


class Colour(fields.String):
    """A CSS colour in sRGB, kept as ``#rrggbb`` (``#rrggbbaa`` when ``translucent`` allows a see-through one)."""

    def __init__(self, description: str, *, translucent: bool = False, **kwargs: Any) -> None:
        super().__init__(**_described(description, kwargs))
        self.translucent = translucent

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return css_colour(parse_colour(text, translucent=self.translucent))
        except ColourError as error:
            raise ValidationError(str(error)) from None


def _unique_ids(items: list[Any], field_name: str) -> None:
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        # An item is its frozen dataclass, or its fields while its list's schema builds it (sessions, dates).
        item_id = item["id"] if isinstance(item, Mapping) else item.id
        if item_id in seen:
            raise ValidationError(
                {field_name: {index: {"id": [f"Duplicate id {item_id!r} (also item {seen[item_id]})."]}}}
            )
        seen[item_id] = index


# --- Schemas ------------------------------------------------------------------


class StrictSchema(Schema):
    """Unknown fields are errors: a typo must not silently drop content.

    ``unique_ids_in`` names the list fields whose items' ``id`` must be unique. A load gives
    ``model``, the frozen dataclass of the schema's fields (lists as tuples), with what
    :meth:`derive` computes from them; without a model, the fields (a schema whose values its
    parent completes: a session's instants need the program's day and zone).
    """

    unique_ids_in: ClassVar[tuple[str, ...]] = ()
    model: ClassVar[Callable[..., Any] | None] = None

    class Meta:
        unknown = RAISE

    @validates_schema
    def _check_unique_ids(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        for field_name in self.unique_ids_in:
            _unique_ids(data[field_name], field_name)

    def derive(self, data: dict[str, Any]) -> dict[str, Any]:
        """The loaded fields with the values derived from them (the dump_only fields)."""
        return data

    @post_load
    def _build(self, data: dict[str, Any], **kwargs: Any) -> Any:
        values = self.derive({name: tuple(value) if isinstance(value, list) else value for name, value in data.items()})
        return values if self.model is None else self.model(**values)
