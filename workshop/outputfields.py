"""Fields of the documents the site writes (not the data files): each required and described.

The API's envelopes (workshop/envelopes.py), the frab schedule (workshop/frab.py) and the
JSON Feed (workshop/newsfeed.py) declare their shape with these; the OpenAPI document
shows each field's description.
"""

from __future__ import annotations

import re
from typing import Any

from marshmallow import fields, validate

from workshop.datafields import SLUG_PATTERN
from workshop.model import Content


def described(description: str, **kwargs: Any) -> dict[str, Any]:
    kwargs.setdefault("required", True)
    kwargs.setdefault("metadata", {})["description"] = description
    return kwargs


def text(description: str, **kwargs: Any) -> fields.String:
    return fields.String(**described(description, **kwargs))


def site_path(description: str, **kwargs: Any) -> fields.String:
    """A URL on this site, relative to its root (``/api/v1/...``, ``/icml2023/#dates``)."""
    kwargs = described(description, **kwargs)
    kwargs["metadata"]["format"] = "uri-reference"
    return fields.String(validate=validate.Regexp(r"^/"), **kwargs)


def absolute_url_field(description: str, **kwargs: Any) -> fields.Url:
    return fields.Url(**described(description, **kwargs))


def edition_id(content: Content, description: str) -> fields.String:
    """An edition's id: any folder name (the editions of ``content`` are examples, never a closed list)."""
    return text(
        description,
        validate=validate.Regexp(SLUG_PATTERN.pattern),
        metadata={"examples": list(content.editions)},
    )


def camel(name: str) -> str:
    """call-for-abstracts -> CallForAbstracts: names in operation ids and schema names."""
    return "".join(part.capitalize() for part in re.split(r"[-_]", name))
