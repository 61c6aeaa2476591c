"""Prepared responses, replayed without entering Flask.

Every page, API document and static file is the same bytes for every visitor
until the content changes. The first time Flask answers a plain GET for one of
them, this WSGI middleware keeps the finished response (status, every header,
body, and a gzip copy); later requests for that path under the same content
version are answered from memory, 304s included. Anything else (other methods,
conditional requests it cannot decide, unusual Accept headers, errors) goes to
Flask, which stays the single definition of what each URL answers.

What to answer is decided from a `RequestView`, not from a WSGI environ, so that
the ASGI front (workshop/asgi.py) replays the same table from its event loop.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

    from workshop.store import ContentStore

# Set by the app on a response that may be replayed (see http.mark_replayable).
REPLAYABLE = "workshop.replayable"
# Headers that describe a moment, not the content: never replayed.
MOMENT_HEADERS = frozenset({"date", "expires"})
# Headers a 304 keeps (RFC 9110, 15.4.5), besides the ones that describe the body.
NOT_MODIFIED_DROPS = frozenset({"content-length", "content-type", "content-encoding", "content-disposition"})
MIN_GZIP_SIZE = 1024


class RequestView(NamedTuple):
    """What the fast path needs to know of a GET or HEAD request, whichever the server interface."""

    method: str
    # Scheme and path: a prepared response is for one URL over one scheme (see response_key).
    key: str
    accept: str | None
    accept_encoding: str
    if_none_match: str | None
    if_modified_since: str | None
    ranged: bool

    @classmethod
    def of_environ(cls, environ: WSGIEnvironment) -> RequestView:
        return cls(
            method=environ["REQUEST_METHOD"],
            key=environ_key(environ),
            accept=environ.get("HTTP_ACCEPT"),
            accept_encoding=environ.get("HTTP_ACCEPT_ENCODING", ""),
            if_none_match=environ.get("HTTP_IF_NONE_MATCH"),
            if_modified_since=environ.get("HTTP_IF_MODIFIED_SINCE"),
            ranged="HTTP_RANGE" in environ,
        )


class Variant(NamedTuple):
    """One representation of a prepared response (plain or gzipped) with its finished header lists."""

    body: bytes
    ok: list[tuple[str, str]]
    not_modified: list[tuple[str, str]]
    # The same lists as ASGI wants them (lower-case names, bytes), built once.
    raw_ok: list[tuple[bytes, bytes]]
    raw_not_modified: list[tuple[bytes, bytes]]


def _raw(headers: list[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]


@dataclass
class Prepared:
    """One finished response: the same bytes for everyone until the content changes."""

    headers: list[tuple[str, str]]
    body: bytes
    etag: str
    mimetype: str
    gzipped: bytes | None = field(default=None)
    # Built once here, so that answering a request only picks one and copies its header list.
    _plain: Variant = field(init=False, repr=False, compare=False)
    _zipped: Variant | None = field(init=False, repr=False, compare=False)
    _etag_prefix: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.body) >= MIN_GZIP_SIZE:
            self.gzipped = gzip.compress(self.body, compresslevel=9, mtime=0)
        self._plain = self._variant(self.body, f'"{self.etag}"', gzipped=False)
        self._zipped = None
        if self.gzipped is not None:
            self._zipped = self._variant(self.gzipped, f'"{self.etag}-gzip"', gzipped=True)
        # Both representations' ETags start with this: either one revalidates.
        self._etag_prefix = f'"{self.etag}'

    def _variant(self, body: bytes, etag: str, *, gzipped: bool) -> Variant:
        ok = [*self.headers, ("ETag", etag), ("Vary", "Accept-Encoding"), ("Content-Length", str(len(body)))]
        if gzipped:
            ok.append(("Content-Encoding", "gzip"))
        kept = [(k, v) for k, v in self.headers if k.lower() not in NOT_MODIFIED_DROPS]
        not_modified = [*kept, ("ETag", etag), ("Vary", "Accept-Encoding")]
        return Variant(body, ok, not_modified, _raw(ok), _raw(not_modified))

    def accepts(self, request: RequestView) -> bool:
        """Whether the request's Accept header surely admits this type (else Flask decides, maybe 406)."""
        accept = request.accept
        if not accept or "*/*" in accept or self.mimetype in accept:
            return True
        return f"{self.mimetype.split('/')[0]}/*" in accept

    def choose(self, request: RequestView) -> tuple[Variant, bool]:
        """The representation to send, and whether the answer is 304 Not Modified."""
        variant = self._plain
        if self._zipped is not None and "gzip" in request.accept_encoding:
            variant = self._zipped
        if_none_match = request.if_none_match
        return variant, bool(if_none_match and (self._etag_prefix in if_none_match or if_none_match == "*"))

    def answer(self, request: RequestView, start_response: StartResponse) -> Iterable[bytes]:
        variant, not_modified = self.choose(request)
        if not_modified:
            # A copy: a WSGI server may change the list it is given (PEP 3333).
            start_response("304 NOT MODIFIED", variant.not_modified.copy())
            return []
        start_response("200 OK", variant.ok.copy())
        return [] if request.method == "HEAD" else [variant.body]


class PreparedResponses:
    """WSGI middleware replaying the app's own finished responses for the current content version."""

    def __init__(self, wsgi_app: WSGIApplication, store: ContentStore) -> None:
        self.wsgi_app = wsgi_app
        self.store = store
        self._version = ""
        self._responses: dict[str, Prepared] = {}

    def _table(self, version: str) -> dict[str, Prepared]:
        if version != self._version:
            # New content: start afresh (a new dict, so a reader never sees a mix).
            self._responses, self._version = {}, version
        return self._responses

    def lookup(self, request: RequestView) -> Prepared | None:
        """The prepared response that answers this GET or HEAD request exactly as Flask would, if any."""
        prepared = self._table(self.store.content.version).get(request.key)
        if (
            prepared is not None
            and prepared.accepts(request)
            # If-Modified-Since alone, or a range: Flask decides.
            and not (request.if_modified_since and not request.if_none_match)
            and not request.ranged
        ):
            return prepared
        return None

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
            return self.wsgi_app(environ, start_response)
        request = RequestView.of_environ(environ)
        prepared = self.lookup(request)
        if prepared is not None:
            return prepared.answer(request, start_response)
        conditional = request.if_none_match is not None or request.if_modified_since is not None or request.ranged
        if request.method != "GET" or conditional:
            return self.wsgi_app(environ, start_response)
        version = self.store.content.version
        return self._learn(environ, start_response, self._table(version), version)

    def _learn(
        self, environ: WSGIEnvironment, start_response: StartResponse, table: dict[str, Prepared], version: str
    ) -> Iterable[bytes]:
        """Let Flask answer, and keep the answer when the app marked it replayable."""
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], object]:
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        chunks = self.wsgi_app(environ, capture)
        # Kept only when served from the same content version the table is for.
        if environ.get(REPLAYABLE) != version or not captured.get("status", "").startswith("200"):
            return chunks
        try:
            body = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        headers = [(k, v) for k, v in captured["headers"] if k.lower() not in MOMENT_HEADERS]
        lookup = {k.lower(): v for k, v in headers}
        etag = lookup.get("etag", "").strip('"')
        if etag:
            table[environ_key(environ)] = Prepared(
                headers=[(k, v) for k, v in headers if k.lower() not in {"etag", "content-length", "vary"}],
                body=body,
                etag=etag,
                mimetype=lookup.get("content-type", "").split(";")[0],
            )
        return [body]


def response_key(scheme: str, path: str) -> str:
    # The scheme is part of what a response says: over HTTPS it carries HSTS, over HTTP it must not.
    return f"{scheme}:{path}"


def environ_key(environ: WSGIEnvironment) -> str:
    return response_key(environ.get("wsgi.url_scheme", "http"), environ.get("PATH_INFO", ""))
