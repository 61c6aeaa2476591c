"""Prepared answers written by gunicorn's HTTP/1 connection itself, without an ASGI call.

For a request the fast path answers (workshop/fastpath.py: a finished status, header
list and body), gunicorn's asgi worker would start a task for the application call,
build the send callable and its messages, check and encode every response header
again, and copy them for the access log: most of what a 304 costs in Python. Here
the connection asks the application (``SiteASGI.prepared_reply``) for the finished
answer and writes it as gunicorn writes a response (gunicorn's status line, Server,
Date and Connection headers, body, write backpressure, keep-alive decision, hooks
and access log), with each answer's header lines checked and encoded once by
gunicorn's own rules. Any request or answer this does not cover (another
application, HTTP/2, uWSGI, an answer needing other framing) takes gunicorn's path.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, NamedTuple

from gunicorn.asgi import protocol as gunicorn_protocol
from gunicorn.asgi.protocol import ASGIProtocol, ASGIResponseInfo

# Header blocks kept at most (answers of older content versions drop out when it fills).
MAX_HEADER_BLOCKS = 4096
# Each worker's header blocks, by the id of the answer's header list (held in the block).
_header_blocks: dict[int, HeaderBlock] = {}


class HeaderBlock(NamedTuple):
    """One answer's header lines as gunicorn writes them, and what gunicorn adds to them."""

    # The answer's own header list: held so that its id is not reused while this is kept.
    headers: list[tuple[bytes, bytes]]
    lines: bytes
    content_length: int | None
    has_server: bool
    has_date: bool
    has_connection: bool


def header_block(headers: list[tuple[bytes, bytes]]) -> HeaderBlock | None:
    """The header lines of an answer, checked by gunicorn's rules; None if gunicorn would frame it otherwise."""
    try:
        has_length, length_value, has_transfer_encoding = gunicorn_protocol._scan_response_headers(headers)
    except Exception:
        return None  # gunicorn answers 500: its own path says so
    if has_transfer_encoding:
        return None
    content_length = None
    if has_length:
        try:
            content_length = int(length_value)
        except (TypeError, ValueError):
            return None
    names = {name.lower() for name, _ in headers}
    lines = b"".join(b"%s: %s\r\n" % (name, value) for name, value in headers)
    return HeaderBlock(headers, lines, content_length, b"server" in names, b"date" in names, b"connection" in names)


class PreparedResponseInfo(ASGIResponseInfo):
    """gunicorn's response record for the access log, with the headers decoded only if read."""

    def __init__(self, status: int, headers: list[tuple[bytes, bytes]], sent: int) -> None:
        self.status = status
        self.sent = sent
        self._raw_headers = headers

    @property
    def headers(self) -> list[tuple[str, str]]:  # type: ignore[override]
        return [(name.decode("latin-1"), value.decode("latin-1")) for name, value in self._raw_headers]


class PreparedRepliesProtocol(ASGIProtocol):
    """gunicorn's HTTP/1 connection, writing the application's prepared answers itself."""

    def __init__(self, worker: Any) -> None:
        super().__init__(worker)
        # Only for an application that offers it (SiteASGI), and with no pre_request hook, which
        # gunicorn runs inside the application call (an error there is that call's 500).
        prepared_reply = getattr(worker.asgi, "prepared_reply", None)
        self.prepared_reply: Callable[[dict[str, Any]], Any] | None = (
            prepared_reply if self._pre_request is None else None
        )

    async def _serve_http_request(self, request: Any, sockname: Any, peername: Any) -> bool:
        if self.prepared_reply is not None and not self._closed:
            reply = self.prepared_reply(self._build_http_scope(request, sockname, peername))
            if reply is not None:
                block = self.block_of(reply.raw_headers)
                omits_body = self._response_omits_body(request.method, reply.status)
                if block is not None and ((not reply.body) if omits_body else block.content_length == len(reply.body)):
                    return await self.write_prepared(request, (sockname, peername), reply, block, omits_body=omits_body)
        return await super()._serve_http_request(request, sockname, peername)

    @staticmethod
    def block_of(headers: list[tuple[bytes, bytes]]) -> HeaderBlock | None:
        blocks = _header_blocks
        block = blocks.get(id(headers))
        if block is None or block.headers is not headers:
            block = header_block(headers)
            if block is None:
                return None
            if len(blocks) >= MAX_HEADER_BLOCKS:
                blocks.clear()
            blocks[id(headers)] = block
        return block

    async def write_prepared(
        self, request: Any, addresses: tuple[Any, Any], reply: Any, block: HeaderBlock, *, omits_body: bool
    ) -> bool:
        """Write one prepared answer as gunicorn's ``_handle_http_request`` writes the same
        messages; return whether the connection stays open."""
        access_log_enabled = self.log.access_log_enabled
        request_start = time.monotonic() if access_log_enabled else 0.0
        sent = 0
        try:
            self._response_buffer = None
            if self._body_receiver is not None:
                self._body_receiver.expect_continue = False  # a final status before the body was asked for
            close = self._will_close(request, False)
            head = [gunicorn_protocol._get_cached_status_line(request.version, reply.status), block.lines]
            if not block.has_server:
                head.append(gunicorn_protocol._CACHED_SERVER_HEADER)
            if not block.has_date:
                head.append(gunicorn_protocol._get_cached_date_header())
            if close and not block.has_connection:
                head.append(b"Connection: close\r\n")
            head.append(b"\r\n")
            body = b"" if omits_body else reply.body
            if body:
                self._response_buffer = b"".join(head)
                self._send_body(body, False, True, len(body))
                sent = len(body)
                flow_control = self._flow_control
                if flow_control is not None and flow_control.write_paused:
                    await flow_control.drain()
            else:
                self._safe_write(b"".join(head))
            # As gunicorn decides it once the response is complete (a drain may have let the worker stop).
            worker = self.worker
            return not (close or not worker.alive or worker.nr + 1 >= worker.max_requests)
        finally:
            try:
                environ = response = None
                if access_log_enabled:
                    request_time = gunicorn_protocol._RequestTime(time.monotonic() - request_start)
                    environ = self._build_environ(request, *addresses)
                    response = PreparedResponseInfo(reply.status, reply.raw_headers, sent)
                    self.log.access(response, request, environ, request_time)
                if self._post_request is not None:
                    self._post_request(self.worker, request, environ, response)
            except Exception:
                self.log.exception("Exception in post_request hook")
