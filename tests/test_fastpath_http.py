"""HTTP details of the fast path, request by request against what Flask itself answers.

Each request of the table goes to Flask with the fast path off (the reference), and to
both fronts with it on (the WSGI middleware, the ASGI front) once they have learned the
URL. The answers must agree in status, headers and body, gzip included: Flask and the fast
path gzip by the same rule (workshop/compression.py), the same bytes compressed, under
their own ETag; they are compared as the plain answers they stand for.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from email.utils import format_datetime
from pathlib import Path
from typing import NamedTuple

import pytest
from flask import Flask
from werkzeug.http import parse_date

from tests.conftest import build_app
from tests.test_asgi import Answer, call
from tests.test_fastpath import comparable, flask_entries
from workshop.asgi import SiteASGI

# A page, an API document and a static file (the one kind Flask serves ranges of).
TABLE_URLS = ["/", "/api/v1/topics.json", "/static/css/site.css"]


class Row(NamedTuple):
    name: str
    # Header values; {etag} and {last_modified} stand for the URL's own.
    headers: dict[str, str]
    method: str = "GET"


def earlier(last_modified: str) -> str:
    date = parse_date(last_modified)
    assert date is not None, last_modified
    return format_datetime(date.replace(year=2000), usegmt=True)


TABLE = [
    Row("plain", {}),
    Row("HEAD", {}, "HEAD"),
    Row("gzip accepted", {"Accept-Encoding": "gzip, deflate, br"}),
    Row("gzip accepted, HEAD", {"Accept-Encoding": "gzip"}, "HEAD"),
    Row("gzip;q=0", {"Accept-Encoding": "gzip;q=0, deflate"}),
    Row("identity only", {"Accept-Encoding": "identity"}),
    Row("*;q=0", {"Accept-Encoding": "*;q=0"}),
    Row("gzip less wanted than identity", {"Accept-Encoding": "gzip;q=0.5, identity"}),
    Row("Accept: JSON;q=0", {"Accept": "application/json;q=0"}),
    Row("Accept: HTML only", {"Accept": "text/html"}),
    Row("Accept: HTML, nothing else", {"Accept": "text/html, */*;q=0"}),
    Row("Accept: a browser's", {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}),
    Row("Accept: text/*", {"Accept": "text/*"}),
    Row("If-None-Match: the ETag", {"If-None-Match": '"{etag}"'}),
    Row("If-None-Match: a longer ETag", {"If-None-Match": '"{etag}-x"'}),
    Row("If-None-Match: a shorter ETag", {"If-None-Match": '"{etag_head}"'}),
    Row("If-None-Match: weak", {"If-None-Match": 'W/"{etag}"'}),
    Row("If-None-Match: in a list", {"If-None-Match": '"other", "{etag}"'}),
    Row("If-None-Match: another", {"If-None-Match": '"other"'}),
    Row("If-None-Match: *", {"If-None-Match": "*"}),
    Row("If-None-Match, HEAD", {"If-None-Match": '"{etag}"'}, "HEAD"),
    Row("If-None-Match, gzip accepted", {"If-None-Match": '"{etag}"', "Accept-Encoding": "gzip"}),
    Row("If-Modified-Since: Last-Modified", {"If-Modified-Since": "{last_modified}"}),
    Row("If-Modified-Since: earlier", {"If-Modified-Since": "{earlier}"}),
    Row("If-Modified-Since: not a date", {"If-Modified-Since": "yesterday"}),
    Row(
        "If-None-Match (other) wins over If-Modified-Since",
        {"If-None-Match": '"other"', "If-Modified-Since": "{last_modified}"},
    ),
    Row("If-None-Match over If-Modified-Since", {"If-None-Match": '"{etag}"', "If-Modified-Since": "{earlier}"}),
    Row("Range: bytes=0-", {"Range": "bytes=0-"}),
    Row("Range: bytes=0-99", {"Range": "bytes=0-99"}),
    Row("Range: the last 100", {"Range": "bytes=-100"}),
    Row("Range: HEAD", {"Range": "bytes=10-19"}, "HEAD"),
    Row("Range, gzip accepted", {"Range": "bytes=0-99", "Accept-Encoding": "gzip"}),
    Row("Range: two", {"Range": "bytes=0-1,5-6"}),
    Row("Range: unsatisfiable", {"Range": "bytes=99999999-"}),
    Row("Range: not a range", {"Range": "lines=1-2"}),
    Row("Range, If-Range: the ETag", {"Range": "bytes=0-9", "If-Range": '"{etag}"'}),
    Row("Range, If-Range: another ETag", {"Range": "bytes=0-9", "If-Range": '"other"'}),
    Row("Range, If-Range: Last-Modified", {"Range": "bytes=0-9", "If-Range": "{last_modified}"}),
    Row("Range, If-Range: earlier", {"Range": "bytes=0-9", "If-Range": "{earlier}"}),
    Row("Range, If-None-Match: the ETag", {"Range": "bytes=0-9", "If-None-Match": '"{etag}"'}),
    Row("If-Match: another", {"If-Match": '"other"'}),
    Row("If-Match: the ETag", {"If-Match": '"{etag}"'}),
]


class Fronts(NamedTuple):
    flask: Flask
    wsgi: Flask
    asgi: SiteASGI


@pytest.fixture(scope="module")
def fronts() -> Fronts:
    """Flask alone, and each front with the fast path on, having learned every URL of the table."""
    fronts = Fronts(build_app(FAST_PATH=False), build_app(), SiteASGI(build_app()))
    for url in TABLE_URLS:
        assert fronts.wsgi.test_client().get(url).status_code == 200
        assert call(fronts.asgi, url).status == 200
    return fronts


def filled(row: Row, reference: Answer) -> dict[str, str]:
    etag = reference.headers["etag"].strip('"')
    last_modified = reference.headers["last-modified"]
    values = {"etag": etag, "etag_head": etag[:-1], "last_modified": last_modified, "earlier": earlier(last_modified)}
    return {name: value.format(**values) for name, value in row.headers.items()}


def flask_answer(app: Flask, url: str, method: str, headers: dict[str, str]) -> Answer:
    response = app.test_client().open(url, method=method, headers=headers)
    return Answer(response.status_code, {k.lower(): v for k, v in response.headers.items()}, response.data)


def asgi_answer(site: SiteASGI, url: str, method: str, headers: dict[str, str]) -> Answer:
    return call(site, url, method=method, **{name.replace("-", "_"): value for name, value in headers.items()})


def as_flask_sends_it(answer: Answer) -> Answer:
    """A gzipped answer as the plain one it stands for.

    The gzip representation has its own ETag, in its 304s too; its Content-Length is checked apart.
    """
    headers = dict(answer.headers)
    if "etag" in headers:
        headers["etag"] = headers["etag"].replace('-gzip"', '"')
    if headers.get("content-encoding") != "gzip":
        return Answer(answer.status, headers, answer.body)
    del headers["content-encoding"], headers["content-length"]
    return Answer(answer.status, headers, gzip.decompress(answer.body) if answer.body else b"")


def wants_gzip(headers: dict[str, str], expected: Answer) -> bool:
    """Whether the answer must be gzip: a 200 (not a range) to a client that wants gzip."""
    encodings = headers.get("Accept-Encoding", "")
    return encodings.startswith("gzip") and ";q=" not in encodings and expected.status == 200


@pytest.mark.parametrize("url", TABLE_URLS)
@pytest.mark.parametrize("row", TABLE, ids=[row.name for row in TABLE])
def test_both_fronts_answer_as_flask(fronts: Fronts, url: str, row: Row) -> None:
    reference = flask_answer(fronts.flask, url, "GET", {})
    headers = filled(row, reference)
    flask_alone = flask_answer(fronts.flask, url, row.method, headers)
    assert (flask_alone.headers.get("content-encoding") == "gzip") == wants_gzip(headers, flask_alone)
    expected = as_flask_sends_it(flask_alone)
    answers = {
        "wsgi": flask_answer(fronts.wsgi, url, row.method, headers),
        "asgi": asgi_answer(fronts.asgi, url, row.method, headers),
    }
    for front, answer in answers.items():
        gzipped = answer.headers.get("content-encoding") == "gzip"
        assert gzipped == wants_gzip(headers, expected), f"{front} sent gzip: {gzipped}"
        if gzipped and answer.status == 200:
            assert int(answer.headers["content-length"]) == len(gzip.compress(reference.body, 9, mtime=0)), front
        plain = as_flask_sends_it(answer)
        assert plain.status == expected.status, front
        assert plain.body == expected.body, front
        # Whether the answer says Vary: Accept-Encoding is checked apart (tests/test_compression.py).
        wanted = {k: v for k, v in comparable(expected.headers).items() if k != "vary"}
        if gzipped:
            wanted.pop("content-length", None)
            assert "Accept-Encoding" in answer.headers["vary"]
        assert {k: v for k, v in comparable(plain.headers).items() if k != "vary"} == wanted, front


# Requests a client can send at will, each once cheap to answer for the server only in Flask.
FROM_MEMORY = [
    ("/", {"Range": "bytes=0-"}),
    ("/", {"If-Modified-Since": "{last_modified}"}),
    ("/", {"If-Modified-Since": "{earlier}"}),
    ("/", {"If-None-Match": 'W/"{etag}"'}),
    ("/", {"If-None-Match": '"{etag}-x"'}),
    ("/", {"Accept-Encoding": "gzip;q=0"}),
    ("/api/v1/topics.json", {"Accept": "application/json, */*;q=0.1", "If-Modified-Since": "{last_modified}"}),
    ("/static/css/site.css", {"Range": "bytes=0-"}),
    ("/static/css/site.css", {"Range": "bytes=100-199", "If-Range": '"{etag}"'}),
    ("/static/css/site.css", {"Range": "bytes=100-199", "If-Range": "{last_modified}"}),
]


@pytest.mark.parametrize(("url", "headers"), FROM_MEMORY)
def test_conditional_and_ranged_requests_are_answered_from_memory(
    data_dir: Path, make_app: Callable[..., Flask], url: str, headers: dict[str, str]
) -> None:
    """Once a URL is learned, none of these reaches Flask, on either front: they cost what a plain GET costs."""
    wsgi, asgi = make_app(data_dir), make_app(data_dir)
    site = SiteASGI(asgi)
    entered_wsgi, entered_asgi = flask_entries(wsgi), flask_entries(asgi)
    learned = flask_answer(wsgi, url, "GET", {})
    assert call(site, url).status == 200
    entered_wsgi.clear()
    entered_asgi.clear()
    filled_headers = filled(Row("", headers), learned)
    assert flask_answer(wsgi, url, "GET", filled_headers).status in (200, 206, 304)
    assert asgi_answer(site, url, "GET", filled_headers).status in (200, 206, 304)
    assert entered_wsgi == entered_asgi == []
