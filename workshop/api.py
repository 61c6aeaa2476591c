"""JSON API v1: read-only documents for the current edition and for every edition."""

from __future__ import annotations

from flask import Blueprint, Response

from workshop import documents
from workshop.http import respond
from workshop.store import get_content

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/index.json")
def index() -> Response:
    return respond(documents.api_index())


@bp.get("/status.json")
def status() -> Response:
    return respond(documents.status(), fresh_for=0)


@bp.get("/<resource>.json")
def current_resource(resource: str) -> Response:
    return respond(documents.api_resource(get_content().current, resource))


@bp.get("/editions/<edition>/<resource>.json")
def edition_resource(edition: str, resource: str) -> Response:
    return respond(documents.api_resource(edition, resource))
