"""API v1: read-only JSON documents for the current edition and for every edition, and their calendars (.ics).

Every route here is described in /api/v1/openapi.json and on /api/ (workshop/openapi.py, ROUTES).
"""

from __future__ import annotations

from flask import Blueprint, Response

from workshop import calendar, documents, frab, newsfeed, openapi
from workshop.http import respond
from workshop.store import get_content

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/index.json")
def index() -> Response:
    return respond(openapi.api_index())


@bp.get("/openapi.json", endpoint="openapi")
def openapi_json() -> Response:
    return respond(openapi.openapi())


@bp.get("/status.json")
def status() -> Response:
    # Changes without a new content version (stale or not): never replayed, always revalidated.
    return respond(documents.status(), fresh_for=0, replayable=False)


@bp.get("/<resource>.json")
def current_resource(resource: str) -> Response:
    return respond(documents.api_resource(get_content().current, resource))


@bp.get("/editions/<edition>/<resource>.json")
def edition_resource(edition: str, resource: str) -> Response:
    return respond(documents.api_resource(edition, resource))


# iCalendar: the important dates (and the published program) for calendar applications.


@bp.get("/dates.ics")
def current_calendar() -> Response:
    return respond(calendar.feed(get_content().current))


@bp.get("/editions/<edition>/dates.ics")
def edition_calendar(edition: str) -> Response:
    return respond(calendar.feed(edition))


@bp.get("/editions/<edition>/dates/<item_id>.ics")
def date_calendar(edition: str, item_id: str) -> Response:
    return respond(calendar.date_file(edition, item_id))


@bp.get("/editions/<edition>/sessions/<session_id>.ics")
def session_calendar(edition: str, session_id: str) -> Response:
    return respond(calendar.session_file(edition, session_id))


# Formats other tools already read: frab/c3voc schedule JSON and XML, and a JSON Feed of the news.


@bp.get("/schedule.json")
def current_schedule() -> Response:
    return respond(frab.schedule(get_content().current))


@bp.get("/editions/<edition>/schedule.json")
def edition_schedule(edition: str) -> Response:
    return respond(frab.schedule(edition))


@bp.get("/schedule.xml")
def current_schedule_xml() -> Response:
    return respond(frab.schedule_as_xml(get_content().current))


@bp.get("/editions/<edition>/schedule.xml")
def edition_schedule_xml(edition: str) -> Response:
    return respond(frab.schedule_as_xml(edition))


@bp.get("/feed.json")
def current_feed() -> Response:
    return respond(newsfeed.feed(get_content().current))


@bp.get("/editions/<edition>/feed.json")
def edition_feed(edition: str) -> Response:
    return respond(newsfeed.feed(edition))
