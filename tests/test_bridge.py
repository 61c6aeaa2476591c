"""Flask in threads behind the event loop (workshop/bridge.py): no thread waits on a visitor.

- the files Flask answers with are sent from the event loop, byte for byte and header
  for header what Flask sends (ranges, HEAD, 304 included), and the Flask thread is
  free before the client has read anything;
- a thread still queueing its answer when the client leaves is released at once;
- a download stops, and its file is closed, as soon as the server reports the client gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.test_asgi import call, run_apart
from tests.test_fastpath import comparable
from workshop.asgi import SiteASGI
from workshop.bridge import FlaskBridge

PHOTO = "/icml2023/photos/large.jpg"
# Long enough to tell a hang from a busy machine.
PATIENCE = 10


def http_scope(path: str, method: str = "GET", **headers: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(name.replace("_", "-").encode(), value.encode()) for name, value in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


def as_fields(headers: dict[str, str]) -> dict[str, str]:
    """``call``'s keyword arguments (accept_encoding=...) as header fields for Flask's test client."""
    return {name.replace("_", "-"): value for name, value in headers.items()}


class Client:
    """One connection as the ASGI app sees it: a client that may stop reading, or leave."""

    def __init__(self, *, reads: bool = True) -> None:
        self.reads = reads
        self.left = asyncio.Event()
        self.started = asyncio.Event()
        self.messages: list[dict[str, Any]] = []
        self.requested = False

    async def receive(self) -> dict[str, Any]:
        if not self.requested:
            self.requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await self.left.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: dict[str, Any]) -> None:
        self.messages.append(message)
        if message["type"] == "http.response.start":
            self.started.set()
        elif message.get("body") and not self.reads:
            # A full socket: the server's send waits for room that never comes.
            await asyncio.Future()

    @property
    def status(self) -> int:
        return self.messages[0]["status"]

    @property
    def body(self) -> bytes:
        return b"".join(
            message.get("body", b"") for message in self.messages if message["type"] == "http.response.body"
        )


def open_descriptors(path: Path) -> int:
    """How many of this process's file descriptors are open on ``path``."""
    found = 0
    for fd in Path("/proc/self/fd").iterdir():
        with contextlib.suppress(OSError):
            found += fd.readlink() == path
    return found


def assert_closed(path: Path, recwarn: pytest.WarningsRecorder) -> None:
    """``path`` is closed, and was closed by the server, not when Python collected it (ResourceWarning)."""
    deadline = time.monotonic() + PATIENCE
    while open_descriptors(path) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert open_descriptors(path) == 0, f"{path.name} is still open"
    gc.collect()
    assert not [str(warning.message) for warning in recwarn if issubclass(warning.category, ResourceWarning)]


@pytest.fixture
def large_photo(data_dir: Path) -> bytes:
    photos = data_dir / "icml2023" / "photos"
    photos.mkdir(exist_ok=True)
    content = os.urandom(1024 * 1024 + 123)
    (photos / "large.jpg").write_bytes(content)
    return content


@pytest.fixture
def one_thread_site(data_dir: Path, large_photo: bytes, make_app: Callable[..., Flask]) -> SiteASGI:
    return SiteASGI(make_app(data_dir, ASGI_FLASK_THREADS=1))


def test_a_file_is_sent_from_the_event_loop_and_the_flask_thread_is_free_at_once(
    one_thread_site: SiteASGI, data_dir: Path, recwarn: pytest.WarningsRecorder
) -> None:
    async def scenario() -> None:
        stuck = Client(reads=False)
        download = asyncio.ensure_future(one_thread_site(http_scope(PHOTO), stuck.receive, stuck.send))
        await asyncio.wait_for(stuck.started.wait(), PATIENCE)
        # The only Flask thread answers someone else while the first client reads nothing.
        other = Client()
        await asyncio.wait_for(one_thread_site(http_scope("/api/v1/status.json"), other.receive, other.send), PATIENCE)
        assert other.status == 200
        # The client leaves: gunicorn cancels the request (asgi_disconnect_grace_period 0).
        download.cancel()
        await asyncio.gather(download, return_exceptions=True)

    run_apart(scenario())
    assert_closed(data_dir / "icml2023" / "photos" / "large.jpg", recwarn)


def test_a_thread_queueing_for_a_client_that_left_is_released() -> None:
    """Not a file: a body of many parts, which the thread queues while the client reads nothing."""
    closed = threading.Event()

    def many_parts(environ: Any, start_response: Callable[..., Any]) -> Iterator[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        try:
            for _ in range(1000):
                yield b"x" * 8192
        finally:
            closed.set()

    bridge = FlaskBridge(many_parts, workers=1)

    async def scenario() -> None:
        stuck = Client(reads=False)
        request = asyncio.ensure_future(bridge(http_scope("/"), stuck.receive, stuck.send))
        await asyncio.wait_for(stuck.started.wait(), PATIENCE)
        await asyncio.sleep(0.3)  # the queue fills up; the thread waits to queue more
        # The client leaves: gunicorn cancels the request (asgi_disconnect_grace_period 0).
        request.cancel()
        await asyncio.gather(request, return_exceptions=True)
        other = Client()
        await asyncio.wait_for(bridge(http_scope("/"), other.receive, other.send), PATIENCE)
        assert len(other.body) == 1000 * 8192

    run_apart(scenario())
    assert closed.wait(PATIENCE), "the app's body was never closed"


def test_a_download_stops_and_closes_its_file_when_the_client_is_reported_gone(
    one_thread_site: SiteASGI, data_dir: Path, recwarn: pytest.WarningsRecorder
) -> None:
    """With a disconnect grace period, the server reports the client gone (http.disconnect) without cancelling."""
    path = data_dir / "icml2023" / "photos" / "large.jpg"

    async def scenario() -> None:
        leaving = Client(reads=False)
        download = asyncio.ensure_future(one_thread_site(http_scope(PHOTO), leaving.receive, leaving.send))
        await asyncio.wait_for(leaving.started.wait(), PATIENCE)
        await asyncio.sleep(0.1)
        assert open_descriptors(path) == 1
        leaving.left.set()
        await asyncio.wait_for(download, PATIENCE)

    run_apart(scenario())
    assert_closed(path, recwarn)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"range": "bytes=100-199"},
        {"range": "bytes=-10"},
        {"range": "bytes=1048000-"},
        {"range": "bytes=99999999-"},
        {"accept_encoding": "gzip"},
    ],
)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_file_from_the_event_loop_is_what_flask_sends(
    one_thread_site: SiteASGI,
    large_photo: bytes,
    headers: dict[str, str],
    method: str,
    recwarn: pytest.WarningsRecorder,
) -> None:
    answer = call(one_thread_site, PHOTO, method=method, **headers)
    gc.collect()
    assert not [warning for warning in recwarn if issubclass(warning.category, ResourceWarning)], "a file left open"
    flask = one_thread_site.flask_app.test_client().open(PHOTO, method=method, headers=as_fields(headers))
    assert answer.status == flask.status_code
    assert comparable(answer.headers) == comparable(flask.headers)
    assert answer.body == flask.data
    if method == "GET" and flask.status_code == 200:
        assert answer.body == large_photo


@pytest.mark.parametrize("url", [PHOTO, "/static/css/site.css"])
def test_revalidation_of_a_file_is_what_flask_answers(one_thread_site: SiteASGI, url: str) -> None:
    first = call(one_thread_site, url)
    for headers in ({"if_none_match": first.headers["etag"]}, {"if_modified_since": first.headers["last-modified"]}):
        flask = one_thread_site.flask_app.test_client().get(url, headers=as_fields(headers))
        answer = call(one_thread_site, url, **headers)
        assert (answer.status, flask.status_code) == (304, 304)
        assert answer.body == b""
        assert comparable(answer.headers) == comparable(flask.headers)
