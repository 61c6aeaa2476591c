"""Static files under content-hashed URLs, cached for a year; the plain URLs keep working."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, expect

from tests.conftest import LiveServer, static_url
from tests.dom import parse_html
from workshop.assets import static_imports
from workshop.staticfiles import VERSION_LENGTH, tree_version, versioned_prefix

YEAR = "public, max-age=31536000, immutable"
STATIC_REFERENCE = re.compile(r'(?:href|src)="(/static/[^"]*)"')
# The links whose file the browser loads with the page.
LOADED_LINKS = frozenset({"stylesheet", "icon", "modulepreload", "preload"})
# A version that is not the current one, as a page from before a release names it.
OLD = "0" * VERSION_LENGTH


def static_files(app: Flask) -> list[str]:
    folder = Path(app.static_folder or "")
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


def test_pages_name_every_static_file_by_its_versioned_url(client: FlaskClient) -> None:
    prefix = versioned_prefix(Path(client.application.static_folder or ""))
    assert re.fullmatch(rf"/static/[0-9a-f]{{{VERSION_LENGTH}}}", prefix)
    for url in ("/", "/icml2023/", "/api/"):
        html = client.get(url).data.decode("utf-8")
        references = STATIC_REFERENCE.findall(html)
        assert references, url
        assert all(reference.startswith(f"{prefix}/") for reference in references), (url, references)


def test_every_file_a_page_loads_is_named_by_its_hash_and_cached_for_a_year(client: FlaskClient) -> None:
    """The site's files, the edition's stylesheet and its photos (logo, icon, people): none is asked for again."""
    hashed = re.compile(rf"/(?:static|icml2023/css|icml2023/photos)/[0-9a-f]{{{VERSION_LENGTH}}}/")
    for url in ("/", "/icml2023/", "/api/", "/no-such-edition/"):
        page = parse_html(client.get(url).data.decode("utf-8"))
        loaded = [
            *(link.attrs["href"] for link in page.find_all("link") if link.attrs.get("rel") in LOADED_LINKS),
            *(element.attrs["src"] for element in page.find_all("script", "img") if element.attrs.get("src")),
        ]
        assert any("/css/" in each for each in loaded) and any("/photos/" in each for each in loaded), (url, loaded)
        for each in loaded:
            assert hashed.match(each), (url, each)
            assert client.get(each).headers["Cache-Control"] == YEAR, (url, each)


@pytest.mark.parametrize("front", ["fast path", "Flask alone"])
def test_versioned_files_are_cached_for_a_year(make_app, data_dir: Path, front: str) -> None:
    app = make_app(data_dir, FAST_PATH=front == "fast path")
    client = app.test_client()
    folder = Path(app.static_folder or "")
    for filename in static_files(app):
        url = static_url(app, filename)
        for _ in range(2):  # learned, then replayed from memory
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.headers["Cache-Control"] == YEAR, url
            assert response.data == (folder / filename).read_bytes()
        revalidated = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
        assert (revalidated.status_code, revalidated.headers["Cache-Control"]) == (304, YEAR)


def test_plain_static_urls_keep_their_short_caching(client: FlaskClient) -> None:
    for filename in static_files(client.application):
        response = client.get(f"/static/{filename}")
        assert response.status_code == 200, filename
        assert response.data == client.get(static_url(client.application, filename)).data
        assert "immutable" not in response.headers["Cache-Control"]
        assert "max-age=3600" in response.headers["Cache-Control"]


def test_an_earlier_version_is_redirected_never_cached(client: FlaskClient) -> None:
    """A page from before a release asks for its files: it gets today's, and nothing is kept under the old URL."""
    response = client.get(f"/static/{OLD}/js/main.js")
    assert response.status_code == 302
    assert response.headers["Location"] == static_url(client.application, "js/main.js")
    assert response.headers["Cache-Control"] == "no-store"
    assert client.get(response.headers["Location"]).status_code == 200
    for missing in (f"/static/{OLD}/js/no-such.js", f"/static/{OLD}/../app.py", f"/static/{OLD}/%2e%2e/app.py"):
        answer = client.get(missing)
        assert answer.status_code == 404, missing
        assert "immutable" not in answer.headers.get("Cache-Control", "")
    assert client.get(static_url(client.application, "js/no-such.js")).status_code == 404


def test_any_change_to_a_static_file_changes_every_url(tmp_path: Path, app: Flask) -> None:
    folder = tmp_path / "static"
    shutil.copytree(app.static_folder or "", folder)
    version = tree_version(folder)
    assert f"/static/{version}" == versioned_prefix(Path(app.static_folder or ""))
    module = folder / "js" / "time.js"
    module.write_bytes(module.read_bytes() + b"\n")
    edited = tree_version(folder)
    assert edited != version
    module.rename(folder / "js" / "clock.js")
    assert tree_version(folder) not in (version, edited)


@pytest.mark.browser
def test_chromium_loads_every_module_from_its_versioned_url(
    browser: Browser, app: Flask, live_server: LiveServer
) -> None:
    """The modules import each other by relative URL: each resolves under the same version, and loads."""
    page = browser.new_context().new_page()
    answers: dict[str, int] = {}
    page.on("response", lambda response: answers.__setitem__(response.url, response.status))
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(f"{live_server.url}/")
    expect(page.locator("#dates")).to_have_attribute("data-enhanced", "true")
    with app.app_context():
        modules = ["js/main.js", *static_imports("js/main.js")]
    assert len(modules) > 1
    prefix = f"{live_server.url}{versioned_prefix(Path(app.static_folder or ''))}/"
    static = {url: status for url, status in answers.items() if url.startswith(f"{live_server.url}/static/")}
    assert not failed, failed
    assert all(url.startswith(prefix) for url in static), sorted(static)
    assert {f"{prefix}{module}" for module in modules} <= set(static), sorted(static)
    assert set(static.values()) == {200}, static
