"""The worker's connection writes the fast path's answers itself (workshop/prepared_http1.py).

Each request of the fast path's table (tests/test_fastpath_http.py), over HTTP/1.1 kept
alive, HTTP/1.1 with ``Connection: close`` and HTTP/1.0, goes to gunicorn's own HTTP/1
connection (``ASGIProtocol``, which calls the application for everything) and to the
project's (which writes prepared answers without calling it). The bytes written and the
access log records must be the same; only the moments stated (Date, and Flask's Expires)
may differ.
"""

from __future__ import annotations

import asyncio
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from gunicorn.asgi.protocol import ASGIProtocol
from gunicorn.config import Config

from tests.conftest import build_app
from tests.test_asgi import call
from tests.test_fastpath_http import TABLE, TABLE_URLS, Row, filled
from workshop.accesslog import AccessRecord, BatchedAccessLogger, LocalTime, combined_line
from workshop.asgi import SiteASGI
from workshop.prepared_http1 import PreparedRepliesProtocol

# The moments an answer states (gunicorn's Date; Flask's Date and Expires, on what Flask answers).
MOMENTS = re.compile(rb"\r\n(Date|Expires): [^\r]*", re.IGNORECASE)
PEER = ("127.0.0.1", 50000)


class Transport(asyncio.Transport):
    """A connection's socket: what the protocol writes, kept."""

    def __init__(self) -> None:
        super().__init__()
        self.written = bytearray()
        self.closed = False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": PEER, "sockname": ("127.0.0.1", 8000)}.get(name, default)

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        pass

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += data

    def writelines(self, chunks: Any) -> None:
        for chunk in chunks:
            self.written += chunk

    def can_write_eof(self) -> bool:
        return False

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True


class RecordingLogger(BatchedAccessLogger):
    """The project's logger, its access lines formatted at once (at a fixed time) and kept."""

    def __init__(self, cfg: Config) -> None:
        super().__init__(cfg)
        self.lines: list[str] = []

    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        self.lines.append(combined_line(AccessRecord(0.0, resp, req, environ, request_time), LocalTime()))


class SpiedSite:
    """The site, counting the requests that reached the application call, and those it has no prepared answer for."""

    def __init__(self, site: SiteASGI) -> None:
        self.site = site
        self.calls = self.unprepared = 0

    def prepared_reply(self, scope: Any) -> Any:
        reply = self.site.prepared_reply(scope)
        self.unprepared += reply is None
        return reply

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.calls += 1
        await self.site(scope, receive, send)


class Worker:
    """What gunicorn's connection reads of its worker."""

    def __init__(self, asgi: Any, loop: asyncio.AbstractEventLoop) -> None:
        self.cfg = Config()
        self.cfg.set("accesslog", "-")
        self.log = RecordingLogger(self.cfg)
        self.asgi = asgi
        self.loop = loop
        self.nr_conns = self.nr = 0
        self.max_requests = sys.maxsize
        self.alive = True
        self.state: dict[str, Any] = {}


async def exchange(protocol_class: type[ASGIProtocol], worker: Worker, requests: list[bytes]) -> list[bytes]:
    """Each request on one connection, in turn; what was written in answer to each."""
    transport = Transport()
    protocol = protocol_class(worker)
    protocol.connection_made(transport)
    answers = []
    for number, request in enumerate(requests, start=1):
        before = len(transport.written)
        protocol.data_received(request)
        deadline = time.monotonic() + 10
        # Answered once the connection waits for the next request, or is closed.
        while not (transport.closed or (protocol._awaiting_request and protocol.req_count > number)):
            assert time.monotonic() < deadline, f"no answer to {request!r}"
            await asyncio.sleep(0.001)
        answers.append(MOMENTS.sub(rb"\r\n\1: -", bytes(transport.written[before:])))
    protocol.connection_lost(None)
    await asyncio.sleep(0)
    return answers


def request_bytes(method: str, url: str, headers: dict[str, str], version: str = "1.1") -> bytes:
    lines = [f"{method} {url} HTTP/{version}", "Host: 127.0.0.1", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def table_requests(site: SiteASGI, url: str) -> list[tuple[Row, bytes]]:
    reference = call(site, url)
    requests = []
    for row in TABLE:
        headers = filled(row, reference)
        requests.append((row, request_bytes(row.method, url, headers)))
    return requests


def both_connections(url: str) -> dict[str, Any]:
    """The table on each connection class: kept alive, then each request closing, then in HTTP/1.0."""

    async def run() -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        results: dict[str, Any] = {}
        for name, protocol_class in (("gunicorn", ASGIProtocol), ("project", PreparedRepliesProtocol)):
            site = SpiedSite(SiteASGI(build_app()))
            worker = Worker(site, loop)
            rows = table_requests(site.site, url)  # learns the URL
            site.calls = site.unprepared = 0
            kept_alive = await exchange(protocol_class, worker, [request for _, request in rows])
            closing = [
                (
                    await exchange(
                        protocol_class, worker, [request.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n")]
                    )
                )[0]
                for _, request in rows
            ]
            old = [
                (await exchange(protocol_class, worker, [request.replace(b" HTTP/1.1\r\n", b" HTTP/1.0\r\n", 1)]))[0]
                for _, request in rows
            ]
            results[name] = {
                "rows": [row for row, _ in rows],
                "answers": list(zip(kept_alive, closing, old, strict=True)),
                "log": worker.log.lines,
                "calls": site.calls,
                "unprepared": site.unprepared,
            }
        return results

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run()).result()


@pytest.mark.parametrize("url", TABLE_URLS)
def test_prepared_answers_are_written_as_gunicorn_writes_them_without_an_application_call(url: str) -> None:
    results = both_connections(url)
    gunicorn, project = results["gunicorn"], results["project"]
    requests = 3 * len(TABLE)
    assert gunicorn["calls"] == requests  # gunicorn's connection calls the application for each
    for row, expected, answer in zip(gunicorn["rows"], gunicorn["answers"], project["answers"], strict=True):
        for kind, wanted, got in zip(("kept alive", "Connection: close", "HTTP/1.0"), expected, answer, strict=True):
            assert got == wanted, f"{row.name}, {kind}"
    # The same lines (gunicorn logs an application call once it returns: maybe after the next answer).
    assert sorted(project["log"]) == sorted(gunicorn["log"])
    assert len(project["log"]) == requests
    # Only what the fast path cannot answer (406, 412, 416, If-Match, ...) goes to the application.
    assert project["calls"] == project["unprepared"]
    assert project["calls"] < requests // 3
