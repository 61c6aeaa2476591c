"""The site over ASGI, for gunicorn's asyncio worker (the production default).

Prepared responses (workshop/fastpath.py) are answered straight from the event
loop: no thread hand-off, no WSGI environ. Every other request goes to the Flask
app, unchanged, in a thread pool (workshop/bridge.py); that is also where the fast
path learns each response, so both fronts replay one table and Flask stays the
single definition of what each URL answers. The files Flask answers with (static
files, photos) are sent from the event loop, and no thread waits on a client.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from workshop.bridge import FlaskBridge
from workshop.fastpath import RequestView, response_key

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, MutableMapping

    from flask import Flask
    from werkzeug.middleware.proxy_fix import ProxyFix

    from workshop.fastpath import ReplayedResponses, Reply

    Scope = MutableMapping[str, Any]
    Message = MutableMapping[str, Any]
    Receive = Callable[[], Awaitable[Message]]
    Send = Callable[[Message], Awaitable[None]]

# The request headers the fast path reads (ASGI gives names in lower case).
_WANTED = frozenset(
    {
        b"accept",
        b"accept-encoding",
        b"if-none-match",
        b"if-modified-since",
        b"range",
        b"if-range",
        b"if-match",
        b"x-forwarded-proto",
    }
)
# The scheme and authority of an absolute-form request target (RFC 9112, 3.2.2).
_ABSOLUTE_FORM = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/]*")
_RAW_ABSOLUTE_FORM = re.compile(rb"^[A-Za-z][A-Za-z0-9+.-]*://[^/]*")


class SiteASGI:
    """ASGI application: the fast path in the event loop, Flask in threads for the rest."""

    def __init__(self, flask_app: Flask) -> None:
        self.flask_app = flask_app
        self.replayed: ReplayedResponses | None = flask_app.extensions.get("workshop.replayed")
        self.proxy_fix: ProxyFix | None = flask_app.extensions.get("workshop.proxy_fix")
        self.flask = FlaskBridge(flask_app, workers=int(flask_app.config["ASGI_FLASK_THREADS"]))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            reply = self.prepared_reply(scope)
            if reply is not None:
                await send({"type": "http.response.start", "status": reply.status, "headers": reply.raw_headers})
                await send({"type": "http.response.body", "body": reply.body})
                return
        # Lifespan and websocket scopes too: a2wsgi completes the one and refuses the other.
        await self.flask(scope, receive, send)

    def prepared_reply(self, scope: Scope) -> Reply | None:
        """The fast path's answer to an http scope, or None when Flask answers it.

        Also called by the project's gunicorn worker (workshop/gunicorn_worker.py), which
        writes such an answer itself, without a call of this application.
        """
        if not scope["path"].startswith("/"):
            origin_form(scope)
        if self.replayed is None or scope["method"] not in ("GET", "HEAD"):
            return None
        return self.replayed.reply(self.request_view(scope))

    def request_view(self, scope: Scope) -> RequestView:
        fields: dict[bytes, str] = {}
        for name, value in scope["headers"]:
            if name in _WANTED:
                # Repeated fields joined as a WSGI server joins them.
                text = value.decode("latin-1")
                fields[name] = f"{fields[name]},{text}" if name in fields else text
        # The path as a WSGI environ has it (a2wsgi's PATH_INFO), so both fronts share keys.
        path = scope["path"].encode().decode("latin-1")
        root = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        return RequestView(
            method=scope["method"],
            key=response_key(self.scheme(scope["scheme"], fields.get(b"x-forwarded-proto")), path),
            accept=fields.get(b"accept"),
            accept_encoding=fields.get(b"accept-encoding", ""),
            if_none_match=fields.get(b"if-none-match"),
            if_modified_since=fields.get(b"if-modified-since"),
            ranges=fields.get(b"range"),
            if_range=fields.get(b"if-range"),
            if_match=b"if-match" in fields,
        )

    def scheme(self, scheme: str, forwarded_proto: str | None) -> str:
        """The scheme the visitor used, as the ProxyFix around Flask tells it (the PROXY_FIX setting).

        The same instance and rule as the WSGI front's, so the two fronts cannot disagree on
        which proxy to believe.
        """
        if self.proxy_fix is None:
            return scheme
        return self.proxy_fix._get_real_value(self.proxy_fix.x_proto, forwarded_proto) or scheme


def origin_form(scope: Scope) -> None:
    """Route an absolute-form request target (``GET http://host/path``) by its path, as WSGI servers do.

    A server must accept that form (RFC 9112, 3.2.2); gunicorn's asgi worker puts the whole
    URI in the scope's path, where Flask would find no route. The query is already apart.
    """
    scope["path"] = _ABSOLUTE_FORM.sub("", scope["path"], count=1) or "/"
    if scope.get("raw_path"):
        scope["raw_path"] = _RAW_ABSOLUTE_FORM.sub(b"", scope["raw_path"], count=1) or b"/"
