"""The static export: a plain static server gives the same URLs, bytes and types as the app, with no broken link."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from click.testing import CliRunner
from flask import Flask, Response
from PIL import Image

from scripts.local_servers import free_port
from tests.conftest import EXAMPLE_DATA, build_app, edit_data_file, static_url
from workshop import apiroutes
from workshop.catalogue import Described, Route
from workshop.cli import main
from workshop.documents import API_RESOURCES, Served
from workshop.export import ExportError, export_site
from workshop.model import Edition
from workshop.negotiation import acceptable_types

PHOTO = b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120"><rect width="120" height="120"/></svg>\n'


@dataclass(frozen=True)
class Fetched:
    status: int
    content_type: str  # without parameters, e.g. "text/html"
    body: bytes


def fetch(url: str) -> Fetched:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return Fetched(response.status, response.headers.get_content_type(), response.read())
    except urllib.error.HTTPError as error:
        return Fetched(error.code, error.headers.get_content_type(), error.read())


@contextmanager
def static_server(directory: Path) -> Iterator[str]:
    """Python's plain static file server on ``directory``: what any static host does."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port), "--directory", str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            assert process.poll() is None, "the static server exited"
            try:
                fetch(f"{base_url}/")
                break
            except OSError:
                assert time.monotonic() < deadline, f"the static server did not answer at {base_url}"
                time.sleep(0.1)
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass
class Export:
    app: Flask
    directory: Path
    urls: list[str]
    base_url: str

    def fetch(self, url: str) -> Fetched:
        return fetch(urljoin(self.base_url, url))


@pytest.fixture
def export(tmp_path: Path) -> Iterator[Callable[[Flask], Export]]:
    """Export an app into tmp_path and serve the copy with a static server, stopped after the test."""
    with ExitStack() as servers:

        def run(app: Flask) -> Export:
            directory = tmp_path / "site"
            urls = export_site(app, directory)
            return Export(app, directory, urls, servers.enter_context(static_server(directory)))

        yield run


def is_page(url: str) -> bool:
    return url.endswith(("/", ".html"))


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            elif name == "id" and value is not None:
                self.ids.add(value)


def parse_page(body: bytes) -> PageParser:
    parser = PageParser()
    parser.feed(body.decode("utf-8"))
    parser.close()
    return parser


def page_title(body: bytes) -> str:
    match = re.search(r"<title>(.*?)</title>", body.decode("utf-8"), re.DOTALL)
    assert match, "the page has no <title>"
    return match.group(1)


def json_links(value: Any, key: str = "") -> Iterator[str]:
    """Fields named url or *_url, and any same-site path (the index's resource maps).

    The index's URI templates (url_template, /api/v1/editions/<edition>/dates/{item_id}.ics) are no links.
    """
    if isinstance(value, dict):
        for name, item in value.items():
            yield from json_links(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from json_links(item, key)
    elif (
        isinstance(value, str)
        and key != "url_template"
        and (key == "url" or key.endswith("_url") or value.startswith("/"))
    ):
        yield value


def assert_served_like_the_app(site: Export) -> None:
    """Every exported URL: same bytes as the app, and the type a browser needs, from the static server."""
    # Documents rendered during the export sit in the app's cache: compare with fresh renders.
    site.app.extensions["workshop.cache"].clear()
    client = site.app.test_client()
    for url in site.urls:
        static = site.fetch(url)
        live = client.get(url)
        assert live.status_code == 200, url
        assert static.status == 200, url
        assert static.body == live.data, f"{url}: the static copy differs from what the app serves"
        if is_page(url):
            assert static.content_type == "text/html", url
        elif url.endswith(".json"):
            assert static.content_type == "application/json", url
        elif url.endswith(".ics"):
            assert static.content_type == "text/calendar", url
        elif url.endswith(".xml"):
            assert static.content_type == "application/xml", url
        # The app's own type, or, for application/feed+json, the JSON a static host knows it as.
        assert static.content_type in acceptable_types(live.mimetype), url


def assert_no_broken_link(site: Export) -> None:
    """Crawl every exported page and JSON document; every same-site link resolves, anchors included."""
    host = urlsplit(site.base_url).netloc
    ids_of: dict[str, set[str]] = {}
    broken: list[str] = []
    followed = {"page": 0, "anchor": 0, "json": 0}

    def ids_on(target: str, body: bytes) -> set[str]:
        if target not in ids_of:
            ids_of[target] = parse_page(body).ids
        return ids_of[target]

    for url in site.urls:
        if is_page(url):
            kind, links = "page", parse_page(site.fetch(url).body).links
        elif url.endswith(".json"):
            kind, links = "json", list(json_links(json.loads(site.fetch(url).body)))
        else:
            continue
        for link in links:
            absolute = urljoin(urljoin(site.base_url, url), link)
            parts = urlsplit(absolute)
            if parts.scheme not in ("http", "https") or parts.netloc != host:
                continue  # mailto:, another site
            target, fragment = urldefrag(absolute)
            fetched = fetch(target)
            followed[kind] += 1
            if fetched.status != 200:
                broken.append(f"{url}: {link} -> {fetched.status}")
            elif fragment:
                followed["anchor"] += 1
                if fetched.content_type != "text/html" or fragment not in ids_on(target, fetched.body):
                    broken.append(f"{url}: {link} -> no id={fragment!r} on {urlsplit(target).path}")
    assert not broken, "\n".join(broken)
    assert all(followed.values()), f"the crawl followed too little: {followed}"


def test_static_copy_serves_the_apps_bytes_with_the_right_types(app: Flask, export) -> None:
    site = export(app)

    assert (site.directory / "index.html").is_file()
    assert (site.directory / "icml2023" / "index.html").is_file()
    for resource in API_RESOURCES:
        assert f"/api/v1/{resource}.json" in site.urls
        assert f"/api/v1/editions/icml2023/{resource}.json" in site.urls
    assert "/api/v1/index.json" in site.urls
    # Calendars: the feed, and one file per important date (no program is published yet).
    assert {"/api/v1/dates.ics", "/api/v1/editions/icml2023/dates.ics"} <= set(site.urls)
    for item_id in ("submission-deadline", "author-notification", "workshop"):
        assert f"/api/v1/editions/icml2023/dates/{item_id}.ics" in site.urls
    assert not [url for url in site.urls if "/sessions/" in url]
    # Each edition's picture for link previews, and the news as a JSON Feed (served as JSON).
    card = site.fetch("/icml2023/social-card.png")
    assert (card.status, card.content_type) == (200, "image/png")
    assert Image.open(io.BytesIO(card.body)).size == (1200, 630)
    feed = site.fetch("/api/v1/editions/icml2023/feed.json")
    assert (feed.status, feed.content_type) == (200, "application/json")
    assert json.loads(feed.body)["version"] == "https://jsonfeed.org/version/1.1"
    # The schedule, as frab/c3voc JSON and XML.
    assert {"/api/v1/schedule.xml", "/api/v1/editions/icml2023/schedule.xml", "/api/v1/schedule.json"} <= set(site.urls)
    static_folder = Path(app.static_folder)
    for path in static_folder.rglob("*"):
        if path.is_file():
            # Under the versioned URL pages name, and the plain one links from elsewhere may use.
            filename = path.relative_to(static_folder).as_posix()
            assert {static_url(app, filename), f"/static/{filename}"} <= set(site.urls)
    assert_served_like_the_app(site)


def test_static_copy_has_no_broken_link(app: Flask, export) -> None:
    assert_no_broken_link(export(app))


def test_every_route_of_the_catalogue_is_exported_without_another_list(monkeypatch: pytest.MonkeyPatch, export) -> None:
    # Routes added later to the catalogue, as other features will: one for the API, one per edition and item.
    extra = Served("extra", "application/json", lambda content, edition: {"extra": True})
    per_item = Served("per-item", "application/json", lambda content, edition, item: {edition.name: item})
    described = (Described("Extra", "extra", "Extra of {edition}", "More.", "Other formats", lambda c: {}),)
    # Its example is the document of one item.
    described_item = (
        Described(
            "Items", "items", "Items of {edition}", "More.", "Other formats", lambda c: {}, path_values={"item": "a"}
        ),
    )
    routes = (
        Route("extra", "extra.json", extra, "api", described=described),
        Route(
            "items",
            "items/<item>.json",
            per_item,
            "edition",
            described=described_item,
            arguments={"item": lambda edition: ["a", "b"]},
        ),
    )
    monkeypatch.setattr(apiroutes, "EDITION_ROUTES", (*apiroutes.EDITION_ROUTES, *routes))
    site = export(build_app())

    assert "/api/v1/extra.json" in site.urls
    assert site.fetch("/api/v1/editions/icml2023/items/b.json").body == b'{"icml2023":"b"}'
    # Under /api/v1/ only documents a static host serves with the right type; /api/ is the HTML documentation.
    assert not [
        url for url in site.urls if url.startswith("/api/v1/") and not url.endswith((".json", ".ics", ".xml", ".bib"))
    ]
    assert "/api/" in site.urls


def test_a_page_added_to_the_pages_blueprint_is_exported_without_another_list(app: Flask, export) -> None:
    def about(edition: Edition) -> Response:
        return Response(f"<p>About {edition.name}</p>", mimetype="text/html")

    app.add_url_rule("/<edition:edition>/about/", endpoint="pages.about", view_func=about)
    site = export(app)

    assert site.fetch("/icml2023/about/").body == b"<p>About icml2023</p>"


def test_a_route_whose_arguments_have_no_values_is_refused_where_it_is_declared() -> None:
    served = Served("paper", "application/json", lambda content, edition, paper: {})
    described = (Described("Paper", "paper", "A paper", "One paper.", "Other formats", lambda c: {}),)
    with pytest.raises(ValueError, match=r"papers/<paper>\.json takes paper"):
        Route("paper", "papers/<paper>.json", served, "edition", described=described)


def test_a_second_edition_is_exported_beside_the_current_one(data_dir: Path, make_app, export) -> None:
    shutil.copytree(data_dir / "icml2023", data_dir / "icml2024")
    site_yaml = data_dir / "icml2024" / "site.yaml"
    edit_data_file(
        site_yaml, "title: Machine Learning for Astrophysics", "title: Machine Learning for Astrophysics, again"
    )
    # A photo, so that photos are part of the copy too.
    (data_dir / "icml2024" / "photos").mkdir(exist_ok=True)
    (data_dir / "icml2024" / "photos" / "ashley-villar.svg").write_bytes(PHOTO)
    committee = data_dir / "icml2024" / "committee.yaml"
    edit_data_file(
        committee, "    name: Ashley Villar\n", "    name: Ashley Villar\n    photo: photos/ashley-villar.svg\n"
    )
    site = export(make_app(data_dir))

    later = site.fetch("/icml2024/")
    assert later.status == 200
    assert "Machine Learning for Astrophysics, again" in page_title(later.body)
    assert (site.directory / "icml2024" / "index.html").is_file()
    for resource in API_RESOURCES:
        document = json.loads(site.fetch(f"/api/v1/editions/icml2024/{resource}.json").body)
        assert (document["edition"], document["resource"]) == ("icml2024", resource)
    photo = site.fetch("/icml2024/photos/ashley-villar.svg")
    assert (photo.status, photo.content_type, photo.body) == (200, "image/svg+xml", PHOTO)

    home = site.fetch("/").body
    assert home == site.fetch("/icml2023/").body
    assert "again" not in page_title(home)
    assert json.loads(site.fetch("/api/v1/site.json").body)["edition"] == "icml2023"
    assert json.loads(site.fetch("/api/v1/index.json").body)["current_edition"] == "icml2023"
    assert_served_like_the_app(site)
    assert_no_broken_link(site)


def test_each_editions_own_dates_and_published_sessions_are_exported_as_calendars(
    data_dir: Path, make_app, export
) -> None:
    # A later edition with a date of its own, beside the shipped one.
    shutil.copytree(data_dir / "icml2023", data_dir / "icml2024")
    dates = data_dir / "icml2024" / "dates.yaml"
    dates.write_text(
        dates.read_text(encoding="utf-8")
        + "  - id: social-dinner\n    title: Social dinner\n    kind: event\n    date: 2024-07-27\n",
        encoding="utf-8",
    )
    site = export(make_app(data_dir))

    assert "/api/v1/editions/icml2024/dates/social-dinner.ics" in site.urls
    assert "/api/v1/editions/icml2023/dates/social-dinner.ics" not in site.urls
    dinner = site.fetch("/api/v1/editions/icml2024/dates/social-dinner.ics")
    assert (dinner.status, dinner.content_type) == (200, "text/calendar")
    assert b"UID:icml2024-date-social-dinner@" in dinner.body
    assert_served_like_the_app(site)


def test_a_published_programs_sessions_are_exported_as_calendars(export) -> None:
    site = export(build_app(EXAMPLE_DATA))

    program = json.loads(site.fetch("/api/v1/editions/example/program.json").body)["data"]
    assert program["status"] == "published"
    for session in program["sessions"]:
        fetched = site.fetch(f"/api/v1/editions/example/sessions/{session['id']}.ics")
        assert (fetched.status, fetched.content_type) == (200, "text/calendar"), session["id"]
    assert_served_like_the_app(site)
    assert_no_broken_link(site)


def test_export_command_writes_the_site(data_dir: Path, tmp_path: Path) -> None:
    destination = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", "--data-dir", str(data_dir), "--destination", str(destination)])

    assert result.exit_code == 0, result.output
    assert (destination / "icml2023" / "index.html").is_file()
    assert (destination / "api" / "v1" / "index.json").is_file()


def test_export_command_lists_the_data_problems_and_fails(data_dir: Path, tmp_path: Path) -> None:
    (data_dir / "icml2023" / "topics.yaml").write_text("items: 3\n", encoding="utf-8")
    destination = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", "--data-dir", str(data_dir), "--destination", str(destination)])

    assert result.exit_code == 1
    assert any(line.startswith("data/icml2023/topics.yaml:1: items: ") for line in result.output.splitlines())
    assert not destination.exists()


def test_export_never_empties_a_folder_that_is_not_an_earlier_export(app: Flask, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")

    with pytest.raises(ExportError, match="not empty"):
        export_site(app, tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_document_a_static_host_would_serve_with_another_type_stops_the_export(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    notes = Served("notes", "text/plain", lambda content, edition: "hi")
    described = (Described("Notes", "notes", "Notes", "Notes.", "Other formats", lambda c: {}),)
    route = Route("notes", "notes.json", notes, "api", described=described)
    monkeypatch.setattr(apiroutes, "EDITION_ROUTES", (*apiroutes.EDITION_ROUTES, route))
    app = build_app()

    with pytest.raises(ExportError, match=r"wrong type: .*'notes\.json' \(type application/json\).*text/plain"):
        export_site(app, tmp_path / "site")


def test_exporting_again_replaces_the_earlier_export(app: Flask, tmp_path: Path) -> None:
    destination = tmp_path / "site"
    export_site(app, destination)
    stale = destination / "api" / "v1" / "editions" / "icml2019" / "site.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}", encoding="utf-8")

    urls = export_site(app, destination)
    assert not stale.exists()
    assert "/icml2023/" in urls
