"""``/api/v1/index.json`` and ``/api/v1/status.json``: the API's own documents, and where to start.

The index lists every edition and every document the API serves, with its URL and
media type, from the one list of routes (:mod:`workshop.catalogue`): a client needs no other.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import Response, url_for

from workshop import calendarfiles
from workshop.catalogue import JSON, Endpoint, Example, Route, Scope, api_endpoints
from workshop.documents import (
    API_RESOURCES,
    API_VERSION,
    Served,
    page_url,
    resource_url,
    status_document,
    status_payload,
)
from workshop.envelopes import index_schema, status_schema
from workshop.httpresponses import respond
from workshop.model import Content
from workshop.store import ContentStatus, get_store

EDITION_SEGMENT = "{edition}/"


def _listed(endpoint: Endpoint, url: str, name: str) -> dict[str, str]:
    return {"name": name, "url": url, "media_type": endpoint.media_type, "summary": endpoint.summary}


def _edition_listing(endpoints: list[Endpoint], edition: str) -> dict[str, list[dict[str, Any]]]:
    """The documents and URL templates of one edition: each endpoint under /api/v1/editions/{edition}/."""
    documents, templates = [], []
    for endpoint in endpoints:
        name = endpoint.path.split(EDITION_SEGMENT, 1)[1]
        path = endpoint.path.replace("{edition}", edition)
        variables = {p.name: p.description for p in endpoint.parameters if p.name != "edition"}
        if not variables:
            documents.append(_listed(endpoint, path, name))
        else:
            template = {"name": name, "url_template": path, "variables": variables}
            templates.append({**template, "media_type": endpoint.media_type, "summary": endpoint.summary})
    return {"documents": documents, "url_templates": templates}


def index_payload(content: Content) -> dict[str, Any]:
    """``/api/v1/index.json``: every edition, and every document the API serves with its media type."""
    endpoints = api_endpoints(content)
    prefix = "/api/v1/"

    def scoped(scope: Scope) -> list[Endpoint]:
        return [endpoint for endpoint in endpoints if endpoint.scope == scope]

    def listed(scope: Scope) -> list[dict[str, str]]:
        return [_listed(endpoint, endpoint.path, endpoint.path.removeprefix(prefix)) for endpoint in scoped(scope)]

    # Dumped through the schema the OpenAPI document shows: one description of the index.
    return index_schema(content)().dump(
        {
            "api_version": API_VERSION,
            "content_version": content.version,
            "current_edition": content.current,
            "editions": [
                {
                    "id": name,
                    "title": edition.title,
                    "current": name == content.current,
                    "html_url": page_url(name),
                    "resources": {resource: resource_url(name, resource) for resource in API_RESOURCES},
                    **_edition_listing(scoped("edition"), name),
                }
                for name, edition in content.editions.items()
            ],
            "current_resources": {
                resource: url_for("api.current_resource", resource=resource) for resource in API_RESOURCES
            },
            "documents": listed("api"),
            "current_documents": listed("current"),
        }
    )


INDEX = Served("api/index", JSON, lambda content, edition: index_payload(content))


def _describe_index(content: Content, route: Route) -> Iterator[Endpoint]:
    ((endpoint, rule),) = route.rules()
    yield Endpoint(
        route=endpoint,
        path=rule,
        scope="api",
        operation_id="getIndex",
        tag="Discovery",
        summary="API index: editions and every document, with its URL and media type",
        description="Every edition (id, title, whether it is current, its page) with the URL and media type of "
        "every document served for it (each resource, calendar, schedule and feed, and the URL templates of "
        "the per-item calendar files); the same for the current edition's URLs under /api/v1/; and the "
        "documents about the API itself (this index, status.json, openapi.json). Start here.",
        media_type=route.media_type,
        schema=index_schema(content),
        examples=(Example("index", "current", "The index of the content served now", lambda: index_payload(content)),),
    )


def _describe_status(content: Content, route: Route) -> Iterator[Endpoint]:
    ((endpoint, rule),) = route.rules()
    # loaded_at of the example: an instant of the content, so the document depends on the content only.
    example = status_payload(
        ContentStatus(content=content, loaded_at=calendarfiles.content_stamp(content.current_edition))
    )
    yield Endpoint(
        route=endpoint,
        path=rule,
        scope="api",
        operation_id="getStatus",
        tag="Discovery",
        summary="Whether the served content is current or stale, and why",
        description="'current' while the site serves what the data files say; 'stale' while an edit is "
        "invalid and the site keeps the last good content, with each problem's file, line, field and "
        "message. Revalidated on every request (Cache-Control: no-cache).",
        media_type=route.media_type,
        schema=status_schema(content),
        examples=(Example("status", "current", "Content served as the files say", lambda: example),),
        last_modified=False,
    )


def status_view() -> Response:
    # Changes without a new content version (stale or not): never replayed, always revalidated.
    return respond(status_document(get_store().status), fresh_for=0, replayable=False)


ROUTES = (
    Route("index", "index.json", INDEX, "api", describe=_describe_index),
    Route("status", "status.json", None, "api", describe=_describe_status, view=status_view, served_as=JSON),
)
