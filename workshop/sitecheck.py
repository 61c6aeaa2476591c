"""What ``python -m workshop check`` builds: every URL of the site, so that a 500 is caught before it ships.

Every URL of :func:`workshop.export.site_urls` is routed by the app. The first URL of each route
is requested through the whole app (routing, view, headers, compression, the fast path). When
its view answered with a document built for the URL's own arguments (``httpresponses.serve``
records which), the route's other URLs differ from it only in those arguments: their documents
are built directly, by the same builder with the same arguments, without the request around
each (with 300 papers, 900 requests fewer). A direct build that fails is requested after all,
so its line says what a visitor would get.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from flask import Flask, request
from flask.testing import FlaskClient
from werkzeug.exceptions import HTTPException
from werkzeug.routing import MapAdapter

from workshop.documents import Served
from workshop.export import site_urls
from workshop.httpresponses import SERVED, ServedCall
from workshop.model import Edition
from workshop.store import get_content


class Routed(NamedTuple):
    """A URL of the site, with the route that answers it and its arguments (None: no route)."""

    url: str
    endpoint: str | None
    arguments: dict[str, Any]


def _route(adapter: MapAdapter, url: str) -> Routed:
    try:
        endpoint, arguments = adapter.match(url, method="GET")
    except HTTPException:  # a redirect or no route: requested, and the answer says
        return Routed(url, None, {})
    return Routed(url, str(endpoint), arguments)


def _built_for_its_arguments(call: ServedCall | None, routed: Routed) -> Served | None:
    """The document the view served, if it was built for the URL's edition and other arguments, as they are."""
    if call is None:
        return None
    edition = routed.arguments.get("edition")
    others = {name: value for name, value in routed.arguments.items() if name != "edition"}
    same_edition = (call.edition is None and edition is None) or (
        isinstance(edition, Edition) and call.edition is not None and call.edition.name == edition.name
    )
    return call.served if same_edition and call.arguments == others else None


def unbuilt_urls(app: Flask) -> tuple[int, list[str]]:
    """Build every URL of :func:`site_urls`; return how many there are, and a line for each that fails.

    A failure is an answer other than 2xx or 3xx (a 500's error is logged), or an exception the
    app's error handlers did not turn into an answer.
    """
    with app.test_request_context():
        adapter = app.create_url_adapter(request)
        assert adapter is not None  # always, for a request
        routes = [_route(adapter, url) for url in site_urls(app, get_content())]

    client = app.test_client()
    failures: dict[int, str] = {}
    direct: dict[str, Served | None] = {}  # per route: the document its URLs are built as, if any
    deferred: list[tuple[int, Routed, Served]] = []
    for position, routed in enumerate(routes):
        served = direct.get(routed.endpoint) if routed.endpoint is not None else None
        if served is not None:
            deferred.append((position, routed, served))
            continue
        failure, call = _request(client, routed.url)
        if failure is not None:
            failures[position] = failure
        elif routed.endpoint is not None and routed.endpoint not in direct:
            direct[routed.endpoint] = _built_for_its_arguments(call, routed)

    retried = []
    with app.test_request_context():
        content = get_content()
        for position, routed, served in deferred:
            arguments = {name: value for name, value in routed.arguments.items() if name != "edition"}
            try:
                served.document(content, routed.arguments.get("edition"), **arguments)
            except Exception:  # requested below: the answer says what failed
                retried.append((position, routed))
    for position, routed in retried:
        failure, _ = _request(client, routed.url)
        if failure is not None:
            failures[position] = failure
    return len(routes), [failures[position] for position in sorted(failures)]


def _request(client: FlaskClient, url: str) -> tuple[str | None, ServedCall | None]:
    """(a line saying why ``url`` fails, or None; the document its view served, if any)."""
    served: list[ServedCall] = []
    try:
        response = client.get(url, environ_overrides={SERVED: served})
    except Exception as error:  # whatever fails is reported, with what it was
        return f"{url}: cannot be built from the data files ({type(error).__name__}: {error}).", None
    if not 200 <= response.status_code < 400:
        return f"{url}: answered {response.status_code}.", None
    return None, served[0] if len(served) == 1 else None
