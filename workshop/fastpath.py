"""Prepared responses, replayed without entering Flask.

Every page, API document and static file is the same bytes for every visitor
until the content changes. The first time Flask answers a plain GET for one of
them, this WSGI middleware keeps the finished response (status, every header,
body, and a gzip copy of text: workshop/compression.py); later requests for that path under the same content
version are answered from memory: 200, HEAD, 304 (If-None-Match, If-Modified-Since)
and, where Flask serves ranges (static files), 206. Each is decided as Flask
decides it, with werkzeug's own parsers and conditional logic. What only Flask
answers (406, 412, 416, other methods, errors) goes to Flask, which stays the
single definition of what each URL answers.

What to answer is decided from a `RequestView`, not from a WSGI environ, so that
the ASGI front (workshop/asgi.py) replays the same table from its event loop.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from werkzeug.http import parse_date, parse_range_header, remove_entity_headers
from werkzeug.sansio.http import is_resource_modified

from workshop import cachecontrol, clock
from workshop.compression import gzip_body, gzip_etag, worth_compressing
from workshop.negotiation import DISTINCT_VALUES, accepts_gzip, admits

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

    from workshop.store import ContentStore

# Set by the app on a response that may be replayed (see http.mark_replayable).
REPLAYABLE = "workshop.replayable"
# Set with it on a response right only until an instant (a POSIX timestamp): the workshop's next phase.
VALID_UNTIL = "workshop.valid_until"
# Headers that describe a moment, not the content: never replayed.
MOMENT_HEADERS = frozenset({"date", "expires"})
# Set by the fast path on a request whose answer it may keep: Flask leaves that answer
# uncompressed (the fast path needs the plain bytes, and sends its own gzip copy).
LEARNING = "workshop.fastpath.learning"
# WSGI status lines, as werkzeug writes them.
STATUS_LINES = {200: "200 OK", 206: "206 PARTIAL CONTENT", 304: "304 NOT MODIFIED"}


class RequestView(NamedTuple):
    """What the fast path needs to know of a GET or HEAD request, whichever the server interface."""

    method: str
    # Scheme and path: a prepared response is for one URL over one scheme (see response_key).
    key: str
    accept: str | None
    accept_encoding: str
    if_none_match: str | None
    if_modified_since: str | None
    # The Range header's value, and If-Range's.
    ranges: str | None
    if_range: str | None
    # If-Match can make Flask answer 412: such requests are Flask's to answer.
    if_match: bool

    @classmethod
    def of_environ(cls, environ: WSGIEnvironment) -> RequestView:
        return cls(
            method=environ["REQUEST_METHOD"],
            key=environ_key(environ),
            accept=environ.get("HTTP_ACCEPT"),
            accept_encoding=environ.get("HTTP_ACCEPT_ENCODING", ""),
            if_none_match=environ.get("HTTP_IF_NONE_MATCH"),
            if_modified_since=environ.get("HTTP_IF_MODIFIED_SINCE"),
            ranges=environ.get("HTTP_RANGE"),
            if_range=environ.get("HTTP_IF_RANGE"),
            if_match="HTTP_IF_MATCH" in environ,
        )

    @property
    def conditional(self) -> bool:
        """Whether the answer may be other than the plain 200 (such an answer is never learned)."""
        return (
            self.if_none_match is not None
            or self.if_modified_since is not None
            or self.ranges is not None
            or self.if_match
        )


class Reply(NamedTuple):
    """A finished answer: status, headers (as WSGI and, lower-case and bytes, as ASGI wants them) and body."""

    status: int
    headers: list[tuple[str, str]]
    raw_headers: list[tuple[bytes, bytes]]
    body: bytes

    @classmethod
    def of(cls, status: int, headers: list[tuple[str, str]], body: bytes) -> Reply:
        raw = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]
        return cls(status, headers, raw, body)


class Variant(NamedTuple):
    """One representation of a prepared response (plain or gzipped): its answers, built once."""

    etag: str
    ok: Reply
    head: Reply
    not_modified: Reply


@dataclass
class ReplayedResponse:
    """One finished response: the same bytes for everyone until the content changes."""

    headers: list[tuple[str, str]]
    body: bytes
    etag: str
    mimetype: str
    gzipped: bytes | None = field(default=None)
    # Until when it may be replayed (a POSIX timestamp; None: as long as the content version holds).
    valid_until: float | None = field(default=None)
    # Read from the headers: If-Modified-Since is judged against it.
    last_modified: dt.datetime | None = field(init=False, default=None)
    # Flask serves ranges of this response (it said Accept-Ranges: static files, not documents).
    serves_ranges: bool = field(init=False, default=False)
    # Built once here, so that answering a request only picks a finished answer.
    _plain: Variant = field(init=False, repr=False, compare=False)
    _zipped: Variant | None = field(init=False, repr=False, compare=False)
    # Both representations' ETags as a client sends them back: either one revalidates.
    _validators: frozenset[str] = field(init=False, repr=False, compare=False)
    # Its Cache-Control as Flask sent it, and, for a timed response, the variants of the second it was
    # last replayed in (seconds left, plain, gzipped): their Cache-Control cut to the seconds left.
    _cache_control: str | None = field(init=False, default=None, repr=False, compare=False)
    _timed: tuple[int, Variant, Variant | None] | None = field(init=False, default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = {name.lower(): value for name, value in self.headers}
        self.last_modified = parse_date(names.get("last-modified"))
        self.serves_ranges = names.get("accept-ranges") == "bytes"
        self._cache_control = names.get("cache-control")
        if worth_compressing(self.mimetype, self.body):
            self.gzipped = gzip_body(self.body)
        self._plain = self._variant(self.body, f'"{self.etag}"', gzipped=False)
        self._zipped = None
        if self.gzipped is not None:
            self._zipped = self._variant(self.gzipped, f'"{gzip_etag(self.etag)}"', gzipped=True)
        self._validators = frozenset(variant.etag for variant in (self._plain, self._zipped) if variant is not None)

    def _variant(self, body: bytes, etag: str, *, gzipped: bool, cache_control: str | None = None) -> Variant:
        headers = self.headers
        if cache_control is not None:
            headers = [(k, cache_control if k.lower() == "cache-control" else v) for k, v in headers]
        ok = [*headers, ("ETag", etag), ("Vary", "Accept-Encoding"), ("Content-Length", str(len(body)))]
        if gzipped:
            ok.append(("Content-Encoding", "gzip"))
        not_modified = [*headers, ("ETag", etag), ("Vary", "Accept-Encoding")]
        # What a 304 leaves out, as werkzeug leaves it out of Flask's.
        remove_entity_headers(not_modified)
        return Variant(etag, Reply.of(200, ok, body), Reply.of(200, ok, b""), Reply.of(304, not_modified, b""))

    def expired(self) -> bool:
        """Whether its moment has passed: Flask prepares it again (workshop/phases.py)."""
        return self.valid_until is not None and clock.now().timestamp() >= self.valid_until

    def _variants(self) -> tuple[Variant, Variant | None]:
        """The plain and gzipped answers as of now: a timed response's Cache-Control never reaches past its end."""
        if self.valid_until is None or self._cache_control is None:
            return self._plain, self._zipped
        left = cachecontrol.seconds_left(self.valid_until, clock.now().timestamp())
        timed = self._timed
        if timed is None or timed[0] != left:
            # Built again at most once a second; one assignment, so a concurrent reader sees one or the other.
            cut = cachecontrol.cut(self._cache_control, left)
            if cut == self._cache_control:
                timed = (left, self._plain, self._zipped)
            else:
                plain = self._variant(self.body, self._plain.etag, gzipped=False, cache_control=cut)
                zipped = None
                if self._zipped is not None and self.gzipped is not None:
                    zipped = self._variant(self.gzipped, self._zipped.etag, gzipped=True, cache_control=cut)
                timed = (left, plain, zipped)
            self._timed = timed
        return timed[1], timed[2]

    def reply(self, request: RequestView) -> Reply | None:
        """Flask's answer to this GET or HEAD request, or None when only Flask gives it (406, 412, 416)."""
        if request.if_match or (request.accept is not None and not admits(request.accept, self.mimetype)):
            return None
        plain, zipped = self._variants()
        variant = plain
        if zipped is not None and accepts_gzip(request.accept_encoding):
            variant = zipped
        if request.ranges is not None and self.serves_ranges and self.body and self._range_holds(request):
            # Ranges are of the plain bytes, as Flask serves them.
            return self._partial(request, plain)
        if (request.if_none_match is not None or request.if_modified_since is not None) and self._unmodified(request):
            return variant.not_modified
        return variant.head if request.method == "HEAD" else variant.ok

    def _range_holds(self, request: RequestView) -> bool:
        """Whether If-Range (if any) lets the range be served, as werkzeug's make_conditional decides."""
        return request.if_range is None or not is_resource_modified(
            http_range=request.ranges,
            http_if_range=request.if_range,
            http_if_modified_since=request.if_modified_since,
            http_if_none_match=request.if_none_match,
            etag=self._plain.etag,
            last_modified=self.last_modified,
            ignore_if_range=False,
        )

    def _partial(self, request: RequestView, plain: Variant) -> Reply | None:
        """206 with one range of the body; None (Flask's 416) when it is unparseable, unsatisfiable or several."""
        length = len(self.body)
        parsed = parse_range_header(request.ranges)
        span = parsed.range_for_length(length) if parsed is not None else None
        content_range = parsed.to_content_range_header(length) if parsed is not None else None
        if span is None or content_range is None:
            return None
        start, stop = span
        headers = [(k, v) for k, v in plain.ok.headers if k != "Content-Length"]
        headers += [("Content-Range", content_range), ("Content-Length", str(stop - start))]
        return Reply.of(206, headers, b"" if request.method == "HEAD" else self.body[start:stop])

    def _unmodified(self, request: RequestView) -> bool:
        """304, as werkzeug's make_conditional decides it, for either representation's ETag."""
        if request.if_none_match in self._validators:
            # The common case: a client sends back the ETag it was given.
            return True
        return unmodified(request.if_none_match, request.if_modified_since, self._validators, self.last_modified)


@functools.lru_cache(maxsize=DISTINCT_VALUES)
def unmodified(
    if_none_match: str | None, if_modified_since: str | None, etags: frozenset[str], last_modified: dt.datetime | None
) -> bool:
    """Whether werkzeug finds the resource unmodified for any of ``etags`` (remembered: dates are slow to parse)."""
    return any(
        not is_resource_modified(
            http_if_none_match=if_none_match,
            http_if_modified_since=if_modified_since,
            etag=etag,
            last_modified=last_modified,
        )
        for etag in etags
    )


class ReplayedResponses:
    """WSGI middleware replaying the app's own finished responses for the current content version."""

    def __init__(self, wsgi_app: WSGIApplication, store: ContentStore) -> None:
        self.wsgi_app = wsgi_app
        self.store = store
        self._version = ""
        self._responses: dict[str, ReplayedResponse] = {}

    def _table(self, version: str) -> dict[str, ReplayedResponse]:
        if version != self._version:
            # New content: start afresh (a new dict, so a reader never sees a mix).
            self._responses, self._version = {}, version
        return self._responses

    def reply(self, request: RequestView) -> Reply | None:
        """Flask's answer to this GET or HEAD request from the prepared responses, if they hold it."""
        prepared = self._table(self.store.content.version).get(request.key)
        return None if prepared is None or prepared.expired() else prepared.reply(request)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
            return self.wsgi_app(environ, start_response)
        request = RequestView.of_environ(environ)
        version = self.store.content.version
        table = self._table(version)
        prepared = table.get(request.key)
        if prepared is not None and prepared.expired():
            prepared = None  # learned again, for its next moment
        reply = None if prepared is None else prepared.reply(request)
        if reply is not None:
            # A copy: a WSGI server may change the list it is given (PEP 3333).
            start_response(STATUS_LINES[reply.status], reply.headers.copy())
            return [reply.body] if reply.body else []
        # Learned once: a request only Flask answers (406, ...) must not cost a new gzip of the body.
        if request.method != "GET" or request.conditional or prepared is not None:
            return self.wsgi_app(environ, start_response)
        return self._learn(environ, start_response, request, table, version)

    def _learn(
        self,
        environ: WSGIEnvironment,
        start_response: StartResponse,
        request: RequestView,
        table: dict[str, ReplayedResponse],
        version: str,
    ) -> Iterable[bytes]:
        """Let Flask answer; keep the answer when the app marked it replayable, and send it as it will be replayed.

        So the first answer is the one every later request gets (gzipped when accepted, its ETag),
        and a cache in front never keeps a plain copy for clients that accept gzip.
        """
        captured: dict[str, Any] = {}
        written: list[bytes] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], object]:
            # Held back until it is known whether the answer is kept (Flask returns before anything is sent).
            captured.update(status=status, headers=headers, exc_info=exc_info)
            return written.append

        environ[LEARNING] = True
        chunks = self.wsgi_app(environ, capture)
        # Kept only when served from the same content version the table is for.
        if environ.get(REPLAYABLE) is not None and captured.get("status", "").startswith("200") and not written:
            try:
                body = b"".join(chunks)
            finally:
                close = getattr(chunks, "close", None)
                if close is not None:
                    close()
            chunks = [body]
            prepared = replayed_response(captured["headers"], body, environ.get(VALID_UNTIL))
            if prepared is not None:
                if environ[REPLAYABLE] == version:
                    table[request.key] = prepared
                # Sent as prepared even when not kept (the content changed meanwhile): gzipped when accepted.
                reply = prepared.reply(request)
                if reply is not None:
                    start_response(STATUS_LINES[reply.status], reply.headers.copy())
                    return [reply.body] if reply.body else []
        write = start_response(captured["status"], captured["headers"], captured["exc_info"])
        for data in written:
            write(data)
        return chunks


def replayed_response(
    headers: list[tuple[str, str]], body: bytes, valid_until: float | None = None
) -> ReplayedResponse | None:
    """A finished 200 of Flask's, ready to replay; None without an ETag (nothing to revalidate with)."""
    kept = [(k, v) for k, v in headers if k.lower() not in MOMENT_HEADERS]
    lookup = {k.lower(): v for k, v in kept}
    etag = lookup.get("etag", "").strip('"')
    if not etag:
        return None
    return ReplayedResponse(
        headers=[(k, v) for k, v in kept if k.lower() not in {"etag", "content-length", "vary"}],
        body=body,
        etag=etag,
        mimetype=lookup.get("content-type", "").split(";")[0],
        valid_until=valid_until,
    )


def response_key(scheme: str, path: str) -> str:
    # The scheme is part of what a response says: over HTTPS it carries HSTS, over HTTP it must not.
    return f"{scheme}:{path}"


def environ_key(environ: WSGIEnvironment) -> str:
    return response_key(environ.get("wsgi.url_scheme", "http"), environ.get("PATH_INFO", ""))
