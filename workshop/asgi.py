"""The site over ASGI, for gunicorn's asyncio worker (the production default).

Prepared responses (workshop/fastpath.py) are answered straight from the event
loop: no thread hand-off, no WSGI environ. Every other request goes to the Flask
app, unchanged, in a thread pool (workshop/bridge.py); that is also where the fast
path learns each response, so both fronts replay one table and Flask stays the
single definition of what each URL answers. The files Flask answers with (static
files, photos) are sent from the event loop, and no thread waits on a client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from werkzeug.http import parse_list_header

from workshop.bridge import FlaskBridge
from workshop.fastpath import RequestView, response_key

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, MutableMapping

    from flask import Flask

    from workshop.fastpath import PreparedResponses

    Scope = MutableMapping[str, Any]
    Message = MutableMapping[str, Any]
    Receive = Callable[[], Awaitable[Message]]
    Send = Callable[[Message], Awaitable[None]]

# The request headers the fast path reads (ASGI gives names in lower case).
_WANTED = frozenset(
    {b"accept", b"accept-encoding", b"if-none-match", b"if-modified-since", b"range", b"x-forwarded-proto"}
)


class SiteASGI:
    """ASGI application: the fast path in the event loop, Flask in threads for the rest."""

    def __init__(self, flask_app: Flask) -> None:
        self.flask_app = flask_app
        self.prepared: PreparedResponses | None = flask_app.extensions.get("workshop.prepared")
        # Trusted the same way as werkzeug's ProxyFix around Flask (the PROXY_FIX setting).
        self.trusted_proxies = int(flask_app.config["PROXY_FIX"])
        self.flask = FlaskBridge(flask_app, workers=int(flask_app.config["ASGI_FLASK_THREADS"]))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.prepared is not None and scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            request = self.request_view(scope)
            prepared = self.prepared.lookup(request)
            if prepared is not None:
                variant, not_modified = prepared.choose(request)
                status, headers = (304, variant.raw_not_modified) if not_modified else (200, variant.raw_ok)
                await send({"type": "http.response.start", "status": status, "headers": headers})
                body = b"" if not_modified or request.method == "HEAD" else variant.body
                await send({"type": "http.response.body", "body": body})
                return
        # Lifespan and websocket scopes too: a2wsgi completes the one and refuses the other.
        await self.flask(scope, receive, send)

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
            ranged=b"range" in fields,
        )

    def scheme(self, scheme: str, forwarded_proto: str | None) -> str:
        """The scheme the visitor used, as ProxyFix(x_proto=PROXY_FIX) tells it to Flask."""
        if not self.trusted_proxies or not forwarded_proto:
            return scheme
        values = parse_list_header(forwarded_proto)
        if len(values) < self.trusted_proxies:
            return scheme
        return values[-self.trusted_proxies] or scheme
