"""The catalogue's entry for an edition's own sections: each as ``sections/<id>.json``
(workshop/catalogue.py says how an entry is read; the list is the ``sections`` resource)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from flask import url_for
from marshmallow import Schema
from werkzeug.exceptions import NotFound

from workshop.catalogue import Endpoint, Route, item_endpoint
from workshop.documents import API_VERSION, Served, page_url
from workshop.envelopes import item_document_schema
from workshop.model import Content, Edition
from workshop.sectionschemas import CustomSectionSchema


def section_document_schema(content: Content) -> type[Schema]:
    return item_document_schema(
        content,
        "SectionDocumentSchema",
        CustomSectionSchema,
        item="section",
        page="The section on the edition's page.",
        listed_in="sections.json",
    )


def section_payload(content: Content, edition: Edition, section_id: str) -> dict[str, Any]:
    section = edition.by_id.custom_sections.get(section_id)
    if section is None:
        shown = ", ".join(edition.by_id.custom_sections) or "none"
        raise NotFound(f"No section {section_id!r} of its own in {edition.name} (its own sections: {shown}).")
    return section_document_schema(content)().dump(
        {
            "api_version": API_VERSION,
            "content_version": content.version,
            "edition": edition.name,
            "url": url_for("api.section", edition=edition.name, section_id=section_id),
            "html_url": page_url(edition.name, section_id),
            "data": section,
        }
    )


SECTION = Served(
    "section",
    "application/json",
    lambda content, edition, section_id: section_payload(content, edition, section_id),  # noqa: PLW0108
    alternates=lambda content, edition, section_id: ((page_url(edition.name, section_id), "text/html"),),
)


def _section_ids(edition: Edition) -> Sequence[str]:
    return list(edition.by_id.custom_sections)


def _describe(content: Content, route: Route) -> Iterator[Endpoint]:
    yield item_endpoint(
        content,
        route,
        noun="section",
        listed_in="the id of an item of its sections.json",
        operation_id="getSection",
        tag="Any edition",
        summary="One of an edition's own sections",
        description="A section the organizers wrote in Markdown (sections/<id>.md): its title and its text, "
        "as Markdown and as sanitized HTML.",
        schema=section_document_schema(content),
        link=True,
    )


ROUTES: tuple[Route, ...] = (
    Route(
        "section",
        "sections/<section_id>.json",
        SECTION,
        "edition",
        describe=_describe,
        arguments={"section_id": _section_ids},
    ),
)
