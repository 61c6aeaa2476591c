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
