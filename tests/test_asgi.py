"""The ASGI front gunicorn serves by default: the same answers as Flask, replays from the event loop."""

from __future__ import annotations

import asyncio
import gzip
import socket
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from flask import Flask

from tests.conftest import edit_data_file
from tests.test_fastpath import URLS, comparable, flask_entries
from tests.test_reload import ROBUSTNESS, settle
from tests.test_server import gunicorn, wait_until_serving
from workshop.asgi import SiteASGI

HSTS = "strict-transport-security"


class Answer(NamedTuple):
    status: int
    headers: dict[str, str]
    body: bytes


def run_apart(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run on an event loop of its own thread: Playwright's sync API keeps a loop running in the test thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def call(site: SiteASGI, path: str, *, method: str = "GET", scheme: str = "http", **headers: str) -> Answer:
    """One request through the ASGI application, as gunicorn's asgi worker makes it."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": scheme,
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(name.replace("_", "-").lower().encode(), value.encode()) for name, value in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    run_apart(site(scope, receive, send))
    start = sent[0]
    assert start["type"] == "http.response.start"
    body = b"".join(message.get("body", b"") for message in sent[1:])
    # Header names in lower case, as ASGI has them.
    return Answer(start["status"], {name.decode(): value.decode() for name, value in start["headers"]}, body)


@pytest.fixture
def site(app: Flask) -> SiteASGI:
    return SiteASGI(app)


@pytest.mark.parametrize("url", URLS)
def test_replays_equal_flasks_answer_without_entering_flask(app: Flask, site: SiteASGI, url: str) -> None:
    entered = flask_entries(app)
    first = call(site, url)
    assert first.status == 200
    assert entered == ["flask"]
    replays = [call(site, url) for _ in range(3)]
    assert entered == ["flask"], "repeat requests must be answered from the event loop"
    for replay in replays:
        assert replay.body == first.body
        assert comparable(replay.headers) == comparable(first.headers) | {"vary": "Accept-Encoding"}
    # And exactly what the WSGI app (the other front) sends for the same URL.
    wsgi = app.test_client().get(url)
    assert wsgi.data == first.body
    assert comparable(wsgi.headers) == comparable(replays[0].headers)


def test_gzip_304_and_head_from_the_event_loop(app: Flask, site: SiteASGI) -> None:
    url = "/api/v1/topics.json"
    entered = flask_entries(app)
    plain = call(site, url)
    zipped = call(site, url, accept_encoding="gzip, br")
    assert zipped.headers["content-encoding"] == "gzip"
    assert gzip.decompress(zipped.body) == plain.body
    assert int(zipped.headers["content-length"]) == len(zipped.body)
    for etag, encoding in ((plain.headers["etag"], "identity"), (zipped.headers["etag"], "gzip")):
        not_modified = call(site, url, if_none_match=etag, accept_encoding=encoding)
        assert not_modified.status == 304
        assert not_modified.body == b""
        assert not_modified.headers["etag"] == etag
        assert not_modified.headers["cache-control"] == plain.headers["cache-control"]
        assert not_modified.headers["access-control-allow-origin"] == "*"
        assert "content-length" not in not_modified.headers
    head = call(site, url, method="HEAD")
    assert head.status == 200
    assert head.body == b""
    assert head.headers["content-length"] == str(len(plain.body))
    assert entered == ["flask"], "all but the first are replays"


@pytest.mark.parametrize("url", URLS)
def test_the_first_answer_is_the_one_replayed(site: SiteASGI, url: str) -> None:
    first, again = (call(site, url, accept_encoding="gzip, deflate, br") for _ in range(2))
    assert first.headers["content-encoding"] == "gzip"
    assert first == again


def test_what_the_fast_path_cannot_decide_goes_to_flask(site: SiteASGI) -> None:
    call(site, "/api/v1/topics.json")
    assert call(site, "/api/v1/topics.json", accept="text/html").status == 406
    assert call(site, "/api/v1/topics.json", method="POST").status == 405
    call(site, "/static/css/site.css")
    assert call(site, "/static/css/site.css", range="bytes=0-1,5-6").status == 416
    assert call(site, "/static/css/site.css", if_match='"other"').status == 412
    missing = call(site, "/api/v1/nothing-\u00e9.json")
    assert missing.status == 404
    assert missing.headers["content-type"] == "application/problem+json"


def test_an_edit_is_served_at_once(data_dir: Path, make_app: Callable[..., Flask]) -> None:
    app = make_app(data_dir)
    site = SiteASGI(app)
    before = call(site, "/api/v1/topics.json")
    call(site, "/api/v1/topics.json")  # now replayed
    edited = "Robustness to distribution shifts and model misspecification"
    edit_data_file(data_dir / "icml2023" / "topics.yaml", ROBUSTNESS, edited)
    settle(app.extensions["workshop.store"])
    after = call(site, "/api/v1/topics.json", if_none_match=before.headers["etag"])
    assert after.status == 200
    assert edited.encode() in after.body


@pytest.mark.parametrize(
    "target", ["http://127.0.0.1:8000/api/v1/index.json", "https://example.org/api/v1/index.json", "HTTP://x/"]
)
def test_an_absolute_form_target_is_served_as_its_path(app: Flask, site: SiteASGI, target: str) -> None:
    """RFC 9112, 3.2.2: a server must accept ``GET http://host/path``; gunicorn's asgi worker passes it whole."""
    path = "/" + target.split("/", 3)[3]
    entered = flask_entries(app)
    expected = call(site, path)
    learned = len(entered)
    first, again = call(site, target), call(site, target)
    assert first.status == again.status == 200
    assert first.body == again.body == expected.body
    assert len(entered) == learned, "the same prepared response as the path's"


def raw_get(base_url: str, target: str) -> tuple[bytes, bytes]:
    """The status line and body of ``GET <target> HTTP/1.1`` sent as is (no client rewrites the target)."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(f"GET {target} HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n\r\n".encode())
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    return head.split(b"\r\n", 1)[0], body


@pytest.mark.parametrize("worker_class", ["asgi", "gthread"])
def test_gunicorn_serves_an_absolute_form_target(tmp_path: Path, worker_class: str) -> None:
    settings = {"GUNICORN_WORKERS": "1", "GUNICORN_WORKER_CLASS": worker_class}
    with gunicorn(settings, tmp_path / "gunicorn.log") as (process, base_url):
        wait_until_serving(f"{base_url}/api/v1/status.json", process)
        expected = raw_get(base_url, "/api/v1/index.json")
        assert expected[0] == b"HTTP/1.1 200 OK"
        for _ in range(2):  # learned, then replayed
            assert raw_get(base_url, "http://example.org/api/v1/index.json") == expected


@pytest.mark.parametrize("proxies", [0, 1, 2])
@pytest.mark.parametrize("forwarded", [None, "https", "http", "https, http", "http, https", ""])
@pytest.mark.parametrize("scheme", ["http", "https"])
def test_the_scheme_is_believed_exactly_as_proxy_fix_believes_it(
    make_app: Callable[..., Flask], data_dir: Path, proxies: int, forwarded: str | None, scheme: str
) -> None:
    """HSTS goes with the scheme the visitor used: the event loop must judge it as the WSGI stack does."""
    app = make_app(data_dir, PROXY_FIX=proxies)
    site = SiteASGI(app)
    entered = flask_entries(app)
    headers = {} if forwarded is None else {"x_forwarded_proto": forwarded}
    wsgi_headers = {} if forwarded is None else {"X-Forwarded-Proto": forwarded}
    expected = app.test_client().get("/", base_url=f"{scheme}://localhost", headers=wsgi_headers).headers.get(HSTS)
    # Teach the table both schemes first, so the answer below is surely a replay.
    call(site, "/", scheme="http")
    call(site, "/", scheme="https")
    learned = len(entered)
    assert call(site, "/", scheme=scheme, **headers).headers.get(HSTS) == expected
    assert len(entered) == learned, "answered by the fast path"


def test_without_the_fast_path_flask_answers_everything(data_dir: Path, make_app: Callable[..., Flask]) -> None:
    app = make_app(data_dir, FAST_PATH=False)
    site = SiteASGI(app)
    entered = flask_entries(app)
    for _ in range(2):
        assert call(site, "/api/v1/topics.json").status == 200
    assert entered == ["flask", "flask"]


def test_lifespan_is_completed(site: SiteASGI) -> None:
    """gunicorn's asgi worker runs the lifespan protocol; the site has nothing to set up but answers it."""
    incoming = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[str] = []

    async def receive() -> dict[str, Any]:
        return incoming.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message["type"])

    run_apart(site({"type": "lifespan", "asgi": {"version": "3.0"}}, receive, send))
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
