"""API v1: read-only JSON documents for the current edition and for every edition, and their calendars (.ics).

Every route here is described in /api/v1/openapi.json and on /api/ (workshop/openapi.py, ROUTES).
"""

from __future__ import annotations

from flask import Blueprint, Response

from workshop import calendar, documents, frab, newsfeed, openapi
from workshop.content import Edition
from workshop.http import respond, serve
from workshop.routing import current_edition
from workshop.store import get_store

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/index.json")
def index() -> Response:
    return serve(openapi.INDEX)


@bp.get("/openapi.json", endpoint="openapi")
def openapi_json() -> Response:
    return serve(openapi.OPENAPI)


@bp.get("/status.json")
def status() -> Response:
    # Changes without a new content version (stale or not): never replayed, always revalidated.
    return respond(documents.status_document(get_store().status), fresh_for=0, replayable=False)


@bp.get("/<resource>.json")
def current_resource(resource: str) -> Response:
    return serve(documents.RESOURCE, current_edition(), resource=documents.check_resource(resource))


@bp.get("/editions/<edition:edition>/<resource>.json")
def edition_resource(edition: Edition, resource: str) -> Response:
    return serve(documents.RESOURCE, edition, resource=documents.check_resource(resource))


# iCalendar: the important dates (and the published program) for calendar applications.


@bp.get("/dates.ics")
def current_calendar() -> Response:
    return serve(calendar.FEED, current_edition())


@bp.get("/editions/<edition:edition>/dates.ics")
def edition_calendar(edition: Edition) -> Response:
    return serve(calendar.FEED, edition)


@bp.get("/editions/<edition:edition>/dates/<item_id>.ics")
def date_calendar(edition: Edition, item_id: str) -> Response:
    return serve(calendar.DATE_FILE, edition, item_id=item_id)


@bp.get("/editions/<edition:edition>/sessions/<session_id>.ics")
def session_calendar(edition: Edition, session_id: str) -> Response:
    return serve(calendar.SESSION_FILE, edition, session_id=session_id)


# Formats other tools already read: frab/c3voc schedule JSON and XML, and a JSON Feed of the news.


@bp.get("/schedule.json")
def current_schedule() -> Response:
    return serve(frab.SCHEDULE, current_edition())


@bp.get("/editions/<edition:edition>/schedule.json")
def edition_schedule(edition: Edition) -> Response:
    return serve(frab.SCHEDULE, edition)


@bp.get("/schedule.xml")
def current_schedule_xml() -> Response:
    return serve(frab.SCHEDULE_XML, current_edition())


@bp.get("/editions/<edition:edition>/schedule.xml")
def edition_schedule_xml(edition: Edition) -> Response:
    return serve(frab.SCHEDULE_XML, edition)


@bp.get("/feed.json")
def current_feed() -> Response:
    return serve(newsfeed.FEED, current_edition())


@bp.get("/editions/<edition:edition>/feed.json")
def edition_feed(edition: Edition) -> Response:
    return serve(newsfeed.FEED, edition)
