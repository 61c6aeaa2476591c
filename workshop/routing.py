"""The ``<edition:...>`` URL converter: a URL names an edition, the view receives that Edition.

The edition is looked up in the content this request is served from (read once per
request), so a view and the builders it calls never fetch the content again. An
unknown name answers 404 with the editions that exist.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import BaseConverter

from workshop.documents import find_edition
from workshop.model import Edition
from workshop.store import get_content


class EditionConverter(BaseConverter):
    """One path segment naming an edition of the current content."""

    def to_python(self, value: str) -> Edition:
        return find_edition(get_content(), value)

    def to_url(self, value: Edition | str) -> str:
        return super().to_url(value.name if isinstance(value, Edition) else value)


def current_edition() -> Edition:
    """The edition the site's unprefixed URLs (``/``, ``/api/v1/<resource>.json``) serve."""
    return get_content().current_edition


def init_app(app: Flask) -> None:
    app.url_map.converters["edition"] = EditionConverter
