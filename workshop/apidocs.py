"""The API for people: ``/api/``, rendered on the server from the endpoints of the OpenAPI document.

Every endpoint listed here comes from :func:`workshop.catalogue.api_endpoints`, the
list ``/api/v1/openapi.json`` is built from, so the page and the document cannot
drift apart. The stability promise and the changelog are the sections of
``docs/api.md`` (:data:`DOCS_FILE`), rendered with the site's Markdown renderer:
the promise has one text, in the repository and on the site.

The page needs no script and loads nothing from another site.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Response, render_template, url_for

from workshop import seo
from workshop.catalogue import JSON, TAGS, Endpoint, api_endpoints
from workshop.config import PROJECT_ROOT
from workshop.documents import Served
from workshop.httpresponses import serve
from workshop.model import Content
from workshop.richtext import markdown_tokens, render_markdown

DOCS_FILE = PROJECT_ROOT / "docs" / "api.md"
# The sections of docs/api.md the page shows, in this order.
PAGE_SECTIONS = ("Stability promise", "Changelog")

bp = Blueprint("apidocs", __name__)


@bp.get("/api/")
def page() -> Response:
    return serve(API_PAGE)


# --- docs/api.md ------------------------------------------------------------------------


@dataclass(frozen=True)
class DocSection:
    """A ``##`` section of docs/api.md (or a ``###`` one inside it), its Markdown rendered."""

    title: str
    anchor: str
    html: str
    subsections: tuple[DocSection, ...] = ()


def anchor_of(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _split(text: str, level: int) -> Iterator[tuple[str, str]]:
    """(title, body) of each part of ``text`` that starts with a heading of ``level``; first ("", the text before).

    The headings are markdown-it's, so a ``##`` line inside a code block is no heading.
    """
    tokens = markdown_tokens(text)
    headings = [
        (opening.map[0], title.content.strip())
        for opening, title in itertools.pairwise(tokens)
        if opening.type == "heading_open" and opening.tag == f"h{level}" and opening.map
    ]
    lines = text.splitlines(keepends=True)
    ends = [line for line, _ in headings[1:]] + [len(lines)]
    yield "", "".join(lines[: headings[0][0] if headings else len(lines)])
    for (line, title), end in zip(headings, ends, strict=True):
        yield title, "".join(lines[line + 1 : end])


def markdown_sections(text: str, titles: tuple[str, ...] = PAGE_SECTIONS) -> list[DocSection]:
    """The ``## <title>`` sections of a Markdown text, each with its ``###`` subsections."""
    found = {title: body for title, body in _split(text, 2) if title}
    missing = [title for title in titles if title not in found]
    if missing:
        raise LookupError(f"{DOCS_FILE.name} has no section {', '.join(missing)}.")
    sections = []
    for title in titles:
        intro, *parts = _split(found[title], 3)
        subsections = tuple(
            DocSection(sub_title, anchor_of(sub_title), render_markdown(body)) for sub_title, body in parts
        )
        sections.append(DocSection(title, anchor_of(title), render_markdown(intro[1]), subsections))
    return sections


def api_md_sections(path: Path = DOCS_FILE) -> list[DocSection]:
    """The sections of docs/api.md the page shows (read when the page is built, once per content version)."""
    return markdown_sections(path.read_text(encoding="utf-8"))


# --- Examples ---------------------------------------------------------------------------


def curl_example(site_url: str, endpoint: Endpoint) -> str:
    return f"curl -s {site_url}{endpoint.example_path}"


def fetch_example(site_url: str, endpoint: Endpoint) -> str:
    url = json.dumps(f"{site_url}{endpoint.example_path}")
    if endpoint.is_json:
        name, read = "data", "response.json()"
    else:
        name, read = "calendar", "response.text()"
    return "\n".join(
        [
            f"const response = await fetch({url});",
            "if (!response.ok) throw new Error((await response.json()).detail); // errors are problem+json",
            f"const {name} = await {read};",
        ]
    )


# --- The page -----------------------------------------------------------------------------


def api_page_html(content: Content, edition: None = None) -> str:
    endpoints = api_endpoints(content)
    groups = [(tag, [e for e in endpoints if e.tag == tag.name]) for tag in TAGS]
    return render_template(
        "api.html",
        content=content,
        site=content.current_edition.site,
        groups=[(tag, items) for tag, items in groups if items],
        endpoint_count=len(endpoints),
        site_url=seo.site_url(content.current_edition),
        openapi_url=url_for("api.openapi"),
        docs=api_md_sections(),
        curl_example=curl_example,
        fetch_example=fetch_example,
    )


API_PAGE = Served(
    "page/api", "text/html", api_page_html, alternates=lambda content, edition: ((url_for("api.openapi"), JSON),)
)
