"""HTTP concerns in one place: conditional responses, caching and security
headers, gzip of what the fast path does not keep, and the single error shape.

Views hand a prepared :class:`~workshop.documents.Document` to :func:`respond`
and set no headers themselves.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, NamedTuple

from flask import Flask, Response, current_app, render_template, request
from flask_cors import CORS
from werkzeug.exceptions import HTTPException, InternalServerError, NotAcceptable

from workshop import cachecontrol, clock, uistrings
from workshop.compression import compressible, gzip_body, gzip_etag, worth_compressing
from workshop.documents import Document, Served, encode_json
from workshop.fastpath import LEARNING, REPLAYABLE, VALID_UNTIL
from workshop.model import Edition
from workshop.negotiation import accepts_gzip, admits
from workshop.staticfiles import IMMUTABLE_MAX_AGE, STATIC_ENDPOINTS
from workshop.store import get_content

PROBLEM_MIMETYPE = "application/problem+json"
# An environ key: a list given there gets the document serve() answered with (a ServedCall).
SERVED = "workshop.served"
# An environ key: set when the answer's URL names the hash of its bytes (mark_immutable).
IMMUTABLE = "workshop.immutable"

# Scripts and styles only from our own files: no inline code, no other origin.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}

logger = logging.getLogger(__name__)


class ServedCall(NamedTuple):
    """A document a view served, with the edition and arguments it was built for."""

    served: Served
    edition: Edition | None
    arguments: dict[str, str]


def link_header(alternates: tuple[tuple[str, str], ...]) -> str:
    """RFC 8288 links to the same content in other formats (the page and its JSON twin)."""
    return ", ".join(f'<{url}>; rel="alternate"; type="{mimetype}"' for url, mimetype in alternates)


def mark_replayable(valid_until: dt.datetime | None = None) -> None:
    """Let the fast path (workshop/fastpath.py) keep this response for the current content version
    (and, with ``valid_until``, until that instant only)."""
    request.environ[REPLAYABLE] = get_content().version
    if valid_until is not None:
        request.environ[VALID_UNTIL] = valid_until.timestamp()


def mark_immutable() -> None:
    """This answer's URL names the hash of its bytes: other bytes get another URL, so it is cached for a year
    (an edition's stylesheet and photos; static files under their versioned URL are so by their endpoint)."""
    request.environ[IMMUTABLE] = True


def respond(document: Document, *, fresh_for: int | None = None, replayable: bool = True) -> Response:
    """A response for a prepared document, answering 304 when the client has it.

    ``fresh_for`` overrides the configured max-age; 0 means "revalidate every time".
    A client whose Accept header rules out the document's type gets 406.
    ``replayable`` says the same bytes stand until the content version changes.
    """
    if not admits(request.headers.get("Accept", ""), document.mimetype):
        accepted = request.accept_mimetypes
        raise NotAcceptable(f"This resource is {document.mimetype}; the request accepts only {accepted}.")
    config = current_app.config
    response = Response(document.body, mimetype=document.mimetype)
    response.set_etag(document.etag)
    if document.last_modified is not None:
        response.last_modified = document.last_modified
    if document.alternates:
        response.headers["Link"] = link_header(document.alternates)
    if replayable:
        mark_replayable(document.valid_until)
    response.cache_control.public = True
    if fresh_for == 0:
        response.cache_control.no_cache = True
    else:
        response.cache_control.max_age = config["HTTP_MAX_AGE"] if fresh_for is None else fresh_for
        response.cache_control.stale_while_revalidate = config["HTTP_STALE_WHILE_REVALIDATE"] or None
    if document.valid_until is not None:
        # No cache may keep it past the moment it stops being right (the workshop's next phase).
        left = cachecontrol.seconds_left(document.valid_until.timestamp(), clock.now().timestamp())
        response.headers["Cache-Control"] = cachecontrol.cut(response.headers["Cache-Control"], left)
    return response.make_conditional(request)


def serve(served: Served, edition: Edition | None = None, **arguments: str) -> Response:
    """The response for a kind of document, built from this request's content, with its cache policy."""
    document = served.document(get_content(), edition, **arguments)
    # `check` asks which document answered, to build the route's other URLs without a request each.
    asked = request.environ.get(SERVED)
    if asked is not None:
        asked.append(ServedCall(served, edition, arguments))
    return respond(document, fresh_for=served.fresh_for, replayable=served.replayable)


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def problem_response(status: int, title: str, detail: str, headers: dict[str, str] | None = None) -> Response:
    """An RFC 9457 problem document: the one error shape of the API."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    response = Response(encode_json(body), status=status, mimetype=PROBLEM_MIMETYPE)
    response.headers.update(headers or {})
    response.cache_control.no_store = True
    return response


def _edition_of(path: str) -> Edition:
    """The edition a page's address is under (/<edition>/...), else the current one: its language and words
    are the error page's."""
    content = get_content()
    first = path.strip("/").split("/", 1)[0]
    return content.editions.get(first) or content.current_edition


def _handle_http_error(error: HTTPException) -> Response:
    status = error.code or 500
    headers = {"Allow": ", ".join(error.valid_methods)} if getattr(error, "valid_methods", None) else {}
    title = error.name
    detail = error.description or title
    if is_api_request():
        return problem_response(status, title, detail, headers)
    edition = _edition_of(request.path)
    # What exactly is missing or wrong (which paper, which editions exist) is written by the software in
    # English: said on an English page, under the page's own sentence.
    reason = detail if error.description and edition.site.language.split("-")[0] == "en" else None
    if own := uistrings.error_words(edition.site.wording, status):
        title, detail = own
    reason = None if reason == detail else reason
    html = render_template("error.html", status=status, title=title, detail=detail, reason=reason, edition=edition)
    response = Response(html, status=status, mimetype="text/html")
    response.headers.update(headers)
    response.cache_control.no_store = True
    return response


def _handle_unexpected_error(error: Exception) -> Response:
    # Logged in full here; the client learns only that something failed.
    logger.exception("Unhandled error while serving %s", request.path)
    return _handle_http_error(InternalServerError("The server failed to answer this request; it has been logged."))


def _long_caching(response: Response) -> Response:
    """Static files are replayable. Under a content-hashed URL (the "static" endpoint, or an answer marked
    by :func:`mark_immutable`), a file is cached for a year and never revalidated: the one policy of them."""
    if response.status_code not in (200, 206, 304):
        return response
    if request.endpoint in STATIC_ENDPOINTS and response.status_code == 200:
        mark_replayable()
    if request.endpoint == "static" or request.environ.get(IMMUTABLE):
        control = response.cache_control
        control.public = True
        control.max_age = IMMUTABLE_MAX_AGE
        control.immutable = True
        control.no_cache = False
        control.stale_while_revalidate = None
    return response


def _compress(response: Response) -> Response:
    """Every compressible answer gzipped for a client that accepts it (the rule: workshop/compression.py).

    Except the one the fast path is learning: it keeps the plain bytes and sends its own gzip copy.
    """
    if not compressible(response.mimetype or "") or "Content-Encoding" in response.headers:
        return response
    response.vary.add("Accept-Encoding")
    learned = request.environ.get(LEARNING) and request.environ.get(REPLAYABLE) is not None
    if (learned and response.status_code == 200 and "ETag" in response.headers) or response.status_code in (206, 304):
        return response
    if not accepts_gzip(request.headers.get("Accept-Encoding", "")):
        return response
    # A file (send_file) is read here: only small static files are text, and the fast path keeps them anyway.
    response.direct_passthrough = False
    body = response.get_data()
    if not worth_compressing(response.mimetype or "", body):
        return response
    response.set_data(gzip_body(body))
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag:
        response.set_etag(gzip_etag(etag), weak=weak)
        # The client may hold this representation's ETag (answered 200 above against the plain one's).
        response.make_conditional(request)
    return response


def _add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def init_app(app: Flask) -> None:
    # Any origin may read the API, errors included; nothing can be written, so no credentials.
    CORS(
        app,
        resources={r"/api/*": {"origins": "*"}},
        send_wildcard=True,
        methods=["GET", "HEAD", "OPTIONS"],
        expose_headers=["ETag", "Last-Modified", "Link", "Cache-Control"],
        max_age=86400,
    )
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(Exception, _handle_unexpected_error)
    # Run last (after_request functions run in reverse order): on the finished answer.
    app.after_request(_compress)
    app.after_request(_add_security_headers)
    app.after_request(_long_caching)
