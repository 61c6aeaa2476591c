"""The fast path: finished responses replayed from memory, identical to what Flask sends."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import edit_data_file
from tests.test_reload import ROBUSTNESS, settle

URLS = ["/", "/icml2023/", "/api/v1/topics.json", "/api/v1/site.json", "/api/v1/dates.ics", "/static/css/site.css"]


def comparable(headers: Any) -> dict[str, str]:
    """Headers a client relies on, by lower-case name (Date is the server's clock, not the response's)."""
    return {name.lower(): value for name, value in headers.items() if name.lower() not in {"date", "expires"}}


def flask_entries(app: Flask) -> list[str]:
    entered: list[str] = []
    app.before_request(lambda: entered.append("flask"))
    return entered


@pytest.mark.parametrize("url", URLS)
def test_replayed_response_equals_what_flask_sent(app: Flask, url: str) -> None:
    client = app.test_client()
    entered = flask_entries(app)
    first = client.get(url)
    assert first.status_code == 200
    assert entered == ["flask"]
    again = [client.get(url) for _ in range(5)]
    assert entered == ["flask"], "repeat requests must not enter Flask"
    for response in again:
        assert response.data == first.data
        assert comparable(response.headers) == comparable(first.headers) | {"vary": "Accept-Encoding"}


@pytest.mark.parametrize("url", URLS)
def test_gzip_for_clients_that_accept_it(app: Flask, url: str) -> None:
    client = app.test_client()
    plain = client.get(url)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip, br"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain.data
    assert int(zipped.headers["Content-Length"]) == len(zipped.data) < len(plain.data)
    # Each representation has its own strong ETag, and either revalidates.
    assert zipped.headers["ETag"] != plain.headers["ETag"]
    for etag in (zipped.headers["ETag"], plain.headers["ETag"]):
        revalidated = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
        assert revalidated.status_code == 304
        assert revalidated.data == b""


@pytest.mark.parametrize("url", URLS)
def test_the_first_answer_is_the_one_replayed(app: Flask, url: str) -> None:
    """A cache in front (nginx) keeps the first answer for every client that sends the same Accept-Encoding:
    it must not be a plain copy when the later answers to the same request are gzipped."""
    client = app.test_client()
    first, again = (client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"}) for _ in range(2))
    assert first.headers["Content-Encoding"] == "gzip"
    assert first.data == again.data
    assert comparable(first.headers) == comparable(again.headers)


def test_not_modified_and_head_from_memory(client: FlaskClient) -> None:
    first = client.get("/api/v1/dates.json")
    not_modified = client.get("/api/v1/dates.json", headers={"If-None-Match": first.headers["ETag"]})
    assert not_modified.status_code == 304
    assert not_modified.data == b""
    assert not_modified.headers["ETag"] == first.headers["ETag"]
    assert not_modified.headers["Cache-Control"] == first.headers["Cache-Control"]
    assert not_modified.headers["Access-Control-Allow-Origin"] == "*"
    head = client.head("/api/v1/dates.json")
    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["Content-Length"] == str(len(first.data))


def test_new_content_is_served_as_soon_as_it_is_loaded(data_dir: Path, make_app: Callable[..., Flask]) -> None:
    app = make_app(data_dir)
    client = app.test_client()
    before = client.get("/api/v1/topics.json")
    client.get("/api/v1/topics.json")  # now replayed
    edited = "Robustness to distribution shifts and model misspecification"
    edit_data_file(data_dir / "icml2023" / "topics.yaml", ROBUSTNESS, edited)
    settle(app.extensions["workshop.store"])
    after = client.get("/api/v1/topics.json", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.json["data"]["items"][1]["title"] == edited


def test_status_is_never_replayed(data_dir: Path, make_app: Callable[..., Flask]) -> None:
    app = make_app(data_dir)
    client = app.test_client()
    assert client.get("/api/v1/status.json").json["stale"] is False
    client.get("/api/v1/status.json")
    edit_data_file(data_dir / "icml2023" / "topics.yaml", "  - id: robustness", "  - idd: robustness")
    settle(app.extensions["workshop.store"])
    # Same content version, new state: the status must say so at once.
    assert client.get("/api/v1/status.json").json["stale"] is True


def test_requests_the_fast_path_cannot_decide_go_to_flask(client: FlaskClient) -> None:
    client.get("/api/v1/topics.json")
    assert client.get("/api/v1/topics.json", headers={"Accept": "text/html"}).status_code == 406
    assert client.post("/api/v1/topics.json").status_code == 405
    client.get("/static/css/site.css")
    assert client.get("/static/css/site.css", headers={"Range": "bytes=0-1,5-6"}).status_code == 416
    assert client.get("/static/css/site.css", headers={"If-Match": '"other"'}).status_code == 412
    assert client.get("/api/v1/nothing.json").status_code == 404


def test_requests_left_to_flask_do_not_prepare_the_response_again(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each preparation gzips the body at the highest level: a client must not be able to ask for one per request."""
    compressed: list[int] = []
    compress = gzip.compress
    monkeypatch.setattr(
        gzip, "compress", lambda data, *args, **kwargs: compressed.append(1) or compress(data, *args, **kwargs)
    )
    client.get("/static/css/site.css")
    assert compressed == [1]
    for _ in range(3):
        # Flask's to answer (the fast path leaves unusual Accept headers to it); a plain GET all the same.
        assert client.get("/static/css/site.css", headers={"Accept": "text/html"}).status_code == 200
    assert compressed == [1]
