"""Every compressible answer is gzipped for a client that accepts it, the first one included, whichever front."""

from __future__ import annotations

import gzip
from collections.abc import Callable

import pytest

from tests.test_asgi import Answer, call
from workshop import create_app
from workshop.asgi import SiteASGI

# A page, the biggest API document, a stylesheet and a module: text, 1 KB or more.
TEXT_URLS = ["/", "/api/v1/openapi.json", "/static/css/site.css", "/static/js/schedule.js"]
SETTINGS = {"TESTING": True, "CONTENT_RELOAD": False}
Fetch = Callable[..., Answer]


def flask_front(**overrides: object) -> Fetch:
    client = create_app({**SETTINGS, **overrides}).test_client()

    def fetch(url: str, **headers: str) -> Answer:
        response = client.get(url, headers={name.replace("_", "-"): value for name, value in headers.items()})
        return Answer(response.status_code, {k.lower(): v for k, v in response.headers.items()}, response.data)

    return fetch


def asgi_front() -> Fetch:
    site = SiteASGI(create_app(SETTINGS))
    return lambda url, **headers: call(site, url, **headers)


FRONTS: dict[str, Callable[[], Fetch]] = {
    "asgi": asgi_front,
    "wsgi (gthread)": flask_front,
    "without the fast path": lambda: flask_front(FAST_PATH=False),
}


@pytest.fixture(params=list(FRONTS))
def fetch(request: pytest.FixtureRequest) -> Fetch:
    """A fresh server (nothing learned yet) behind one of the fronts."""
    return FRONTS[request.param]()


@pytest.mark.parametrize("url", TEXT_URLS)
def test_a_revalidation_after_a_change_gets_the_new_bytes_gzipped(fetch: Fetch, url: str) -> None:
    """After the content changed, a browser revalidates its copy: that first answer is gzipped too,
    and its ETag then revalidates."""
    answer = fetch(url, accept_encoding="gzip, deflate, br", if_none_match='"an-earlier-version"')
    assert answer.status == 200
    assert answer.headers.get("content-encoding") == "gzip", url
    assert "Accept-Encoding" in answer.headers["vary"]
    plain = fetch(url)
    assert "content-encoding" not in plain.headers
    assert gzip.decompress(answer.body) == plain.body
    again = fetch(url, accept_encoding="gzip", if_none_match=answer.headers["etag"])
    assert again.status == 304, url
    assert again.body == b""


@pytest.mark.parametrize("url", TEXT_URLS)
def test_the_first_answer_is_gzipped(fetch: Fetch, url: str) -> None:
    answer = fetch(url, accept_encoding="gzip")
    assert answer.status == 200
    assert answer.headers.get("content-encoding") == "gzip", url
    assert answer.headers["etag"].endswith('-gzip"')
    assert int(answer.headers["content-length"]) == len(answer.body)


def test_images_are_sent_as_they_are(fetch: Fetch) -> None:
    """PNG is compressed already: gzip would cost CPU for nothing."""
    for _ in range(2):  # learned, then replayed
        card = fetch("/icml2023/social-card.png", accept_encoding="gzip")
        assert card.status == 200
        assert card.body.startswith(b"\x89PNG")
        assert "content-encoding" not in card.headers


def test_a_client_that_refuses_gzip_gets_plain_bytes(fetch: Fetch) -> None:
    for encoding in ("identity", "gzip;q=0", "br"):
        for _ in range(2):
            answer = fetch("/", accept_encoding=encoding)
            assert answer.status == 200
            assert "content-encoding" not in answer.headers, encoding
            assert answer.body.startswith(b"<!doctype html>")
