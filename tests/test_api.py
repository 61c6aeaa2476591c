"""The JSON API v1 contract: what API clients and the page's script can rely on.

Facts are checked against the workshop's original page (tests/fixtures/seed-homepage.md),
not against the YAML files, so a wrong data file fails here too.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from flask_caching.backends import NullCache, SimpleCache
from werkzeug.test import TestResponse

from tests.conftest import EXAMPLE_DATA, EXAMPLE_EDITION, SHIPPED_DATA, build_app
from workshop import documents
from workshop.documents import API_RESOURCES

SEED_TEXT = (Path(__file__).resolve().parent / "fixtures" / "seed-homepage.md").read_text("utf-8")
# What the seed shows; commented-out HTML (last year's speakers) is not part of it.
SEED = re.sub(r"<!--.*?-->", "", SEED_TEXT, flags=re.DOTALL)
EDITION = "icml2023"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[+-]\d{2}:\d{2}|Z)$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def edition_url(resource: str, edition: str = EDITION) -> str:
    return f"/api/v1/editions/{edition}/{resource}.json"


def current_url(resource: str) -> str:
    return f"/api/v1/{resource}.json"


ALL_API_URLS = ["/api/v1/index.json"] + [
    url for resource in API_RESOURCES for url in (current_url(resource), edition_url(resource))
]


def assert_json_response(response: TestResponse) -> Any:
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == "application/json"
    assert response.mimetype_params.get("charset", "utf-8").lower() == "utf-8"
    return json.loads(response.data.decode("utf-8"))


def get_payload(client: FlaskClient, url: str) -> dict[str, Any]:
    return assert_json_response(client.get(url))


def get_data(client: FlaskClient, resource: str) -> dict[str, Any]:
    return get_payload(client, edition_url(resource))["data"]


def assert_problem(response: TestResponse, status: int) -> dict[str, Any]:
    """An RFC 9457 problem document, never an HTML error page."""
    assert response.status_code == status, response.data[:300]
    assert response.mimetype == "application/problem+json"
    assert not response.data.lstrip().startswith(b"<")
    problem = json.loads(response.data.decode("utf-8"))
    assert problem["status"] == status
    assert isinstance(problem["title"], str) and problem["title"]
    assert isinstance(problem["detail"], str) and problem["detail"]
    return problem


def walk(value: Any) -> Iterator[Any]:
    """Every value nested in a JSON document, the document included."""
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


def item_ids(payload: Any) -> list[str]:
    return [
        item["id"]
        for key, value in keyed_lists(payload)
        if key not in VALUE_LISTS
        for item in value
        if isinstance(item, dict)
    ]


def seed_link(label: str) -> str:
    match = re.search(rf"\[{re.escape(label)}\]\((\S+?)\)", SEED)
    assert match, f"no [{label}](...) link in the seed"
    return match.group(1)


def seed_committee() -> list[tuple[str, str, bool]]:
    """(name, affiliation, co-chair?) of each member, in the seed's order."""
    committee = SEED.split("# SOC", 1)[1]
    members = []
    for name, shown in re.findall(r"<h5>(.+?)</h5>\s*([^<\n]+)", committee):
        affiliation = shown.strip().removesuffix("(Co-Chair)").strip()
        members.append((name.strip(), affiliation, shown.strip().endswith("(Co-Chair)")))
    assert len(members) == 8
    return members


def seed_topics() -> list[str]:
    rationale = SEED.split("# Program", 1)[0]
    topics = re.findall(r"^- (.+)$", rationale, flags=re.MULTILINE)
    assert len(topics) == 8
    return topics


# --- Every endpoint ---------------------------------------------------------------


def test_index_is_json(client: FlaskClient) -> None:
    index = get_payload(client, "/api/v1/index.json")
    assert index["current_edition"] == EDITION
    assert list(index["current_resources"]) == list(API_RESOURCES)


@pytest.mark.parametrize("resource", API_RESOURCES)
def test_current_edition_url_serves_the_edition_document(client: FlaskClient, resource: str) -> None:
    by_edition = client.get(edition_url(resource))
    current = client.get(current_url(resource))
    payload = assert_json_response(by_edition)
    assert_json_response(current)
    assert current.data == by_edition.data
    assert current.headers["ETag"] == by_edition.headers["ETag"]
    assert payload["resource"] == resource
    assert payload["edition"] == EDITION
    assert payload["url"] == edition_url(resource)
    assert payload["api_version"] == "1"


def test_json_is_utf8_text_not_ascii_escapes(client: FlaskClient) -> None:
    body = client.get(edition_url("committee")).data
    assert "Brice Ménard".encode() in body
    assert b"\\u00e9" not in body


# --- The seed's facts -------------------------------------------------------------


def test_topics_are_the_seed_topics_in_order(client: FlaskClient) -> None:
    topics = get_data(client, "topics")
    assert [item["title"] for item in topics["items"]] == seed_topics()
    note = topics["note"]["markdown"]
    assert "do not necessarily need to be Astrophysics-focused" in note
    assert "works on relevant ML methodology" in note


def test_program_is_to_be_announced(client: FlaskClient) -> None:
    program = get_data(client, "program")
    assert program["status"] == "to-be-announced"
    assert program["note"]["markdown"] == "TBD"
    assert program["note"]["html"] == "TBD"


def test_call_for_abstracts(client: FlaskClient) -> None:
    cfa = get_data(client, "call-for-abstracts")
    fmt = cfa["format"]
    assert fmt["style"] == "ICML 2023"
    assert fmt["kind"] == "extended abstract"
    assert fmt["instructions_url"] == seed_link("ICML 2023 format")
    assert fmt["instructions_url"] == "https://icml.cc/Conferences/2023/StyleAuthorInstructions"
    assert fmt["style_files_url"] == seed_link("LaTeX style files")
    assert fmt["style_files_url"] == "https://media.icml.cc/Conferences/ICML2023/Styles/icml2023.zip"
    assert fmt["anonymized"] is True
    assert fmt["max_pages"] == 4
    assert fmt["references_excluded"] is True
    assert cfa["review"]["kind"] == "double-blind"
    outcomes = {outcome["id"]: outcome for outcome in cfa["review"]["outcomes"]}
    assert outcomes["contributed-talk"]["title"] == "Contributed talks"
    assert outcomes["contributed-talk"]["selection"] == "a limited set of submissions"
    assert outcomes["poster"]["title"] == "Poster presentations"
    assert outcomes["poster"]["selection"] == "a wider set of submissions"
    assert cfa["proceedings"] is False
    assert "will not have formal proceedings" in cfa["intro"]["markdown"]
    submission = cfa["submission"]
    assert submission["system"] == "CMT"
    assert submission["url"] == "https://cmt3.research.microsoft.com/ML4Astro2023"
    assert f"[{submission['url']}]({submission['url']})" in SEED


def test_call_for_abstracts_deadline_resolves_to_the_submission_deadline(client: FlaskClient) -> None:
    deadline_id = get_data(client, "call-for-abstracts")["submission"]["deadline"]
    dates = {item["id"]: item for item in get_data(client, "dates")["items"]}
    assert deadline_id in dates
    assert dates[deadline_id]["title"] == "Submission deadline"
    assert dates[deadline_id]["at"] == "2023-05-19T23:59:00-12:00"


def test_logistics(client: FlaskClient) -> None:
    logistics = get_data(client, "logistics")
    assert logistics["attendance"] == "hybrid"
    assert "hybrid format" in logistics["description"]["markdown"]
    assert logistics["registration"]["url"] == "https://icml.cc/Register2"
    assert logistics["registration"]["url"] == re.search(r"registration \[here\]\((\S+?)\)", SEED).group(1)
    assert logistics["contact"]["email"] == "icml2023ml4astro@gmail.com"
    assert f"<{logistics['contact']['email']}>" in SEED


def test_dates(client: FlaskClient) -> None:
    dates = get_data(client, "dates")
    assert dates["preliminary"] is True
    assert dates["note"] == "Dates are still preliminary and subject to change."
    assert dates["timezone"] == "AoE"
    items = {item["id"]: item for item in dates["items"]}
    assert [item["title"] for item in dates["items"]] == [
        "Submission deadline",
        "Author Notification",
        "Camera-ready paper deadline",
        "Camera-ready poster deadline",
        "Workshop date",
    ]

    assert items["submission-deadline"]["at"] == "2023-05-19T23:59:00-12:00"
    assert items["submission-deadline"]["kind"] == "deadline"

    # A whole day, not a moment: clients must not read a time of day into it.
    notification = items["author-notification"]
    assert notification["date"] == "2023-06-16"
    assert DAY.match(notification["date"])
    assert notification["at"] is None
    # The whole day as AoE sees it, so clients can compare with their own clock.
    assert notification["starts_at"] == "2023-06-16T00:00:00-12:00"
    assert notification["ends_at"] == "2023-06-16T23:59:59-12:00"

    assert items["camera-ready-paper"]["date"] == "2023-07-10"
    assert items["camera-ready-poster"]["date"] == "2023-07-21"
    assert items["workshop"]["date_options"] == ["2023-07-28", "2023-07-29"]
    assert items["workshop"]["date"] is None
    assert items["workshop"]["at"] is None


def test_every_instant_in_dates_has_an_explicit_offset(client: FlaskClient) -> None:
    payload = get_payload(client, edition_url("dates"))
    instants = [value for value in walk(payload) if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}T", value)]
    assert len(instants) >= 2 * len(payload["data"]["items"])  # starts_at and ends_at of each item at least
    for value in instants:
        assert INSTANT.match(value), f"{value!r} is not ISO 8601 with an offset"
        assert dt.datetime.fromisoformat(value).utcoffset() is not None
    for item in payload["data"]["items"]:
        for name in ("at", "end", "starts_at", "ends_at"):
            if item[name] is not None:
                assert INSTANT.match(item[name]), (item["id"], name, item[name])
        for day in ([item["date"]] if item["date"] else []) + (item["date_options"] or []):
            assert DAY.match(day), (item["id"], day)
            dt.date.fromisoformat(day)


def test_posters(client: FlaskClient) -> None:
    posters = get_data(client, "posters")
    sizes = {size["id"]: size for size in posters["sizes"]}
    recommended = sizes["recommended"]
    assert (recommended["width_in"], recommended["height_in"]) == (24, 36)
    assert (recommended["width_cm"], recommended["height_cm"]) == (61, 90)
    assert (recommended["paper"], recommended["orientation"]) == ("A1", "portrait")
    maximum = sizes["maximum"]
    assert (maximum["width_in"], maximum["height_in"]) == (48, 36)
    assert (maximum["width_cm"], maximum["height_cm"]) == (122, 90)
    assert (maximum["paper"], maximum["orientation"]) == ("A0", "landscape")
    notes = posters["notes"]["markdown"]
    assert "lightweight paper" in notes
    assert "tape your poster to the wall using provided tape" in notes


def test_committee_is_the_seed_committee_in_order(client: FlaskClient) -> None:
    members = get_data(client, "committee")["members"]
    assert [(m["name"], m["affiliation"], m["role"] == "co-chair") for m in members] == seed_committee()
    assert [m["name"] for m in members if m["role"] == "co-chair"] == ["Francois Lanusse", "Marc Huertas-Company"]
    assert {m["role"] for m in members} == {"co-chair", "member"}
    for member in members:
        assert member["photo_url"] is None
        assert re.fullmatch(r"[A-Z]{1,3}", member["initials"]), member
        assert member["initials"][0] == member["name"][0]


def test_committee_initials_use_the_family_name(client: FlaskClient) -> None:
    """Initials are given name + family name, and a hyphenated family name is one name:
    Marc Huertas-Company's avatar reads "MH", not "MC" (the initials of "Marc Company")."""
    members = get_data(client, "committee")["members"]
    wrong = {}
    for member in members:
        words = member["name"].split()
        expected = (words[0][0] + words[-1][0]).upper()
        if member["initials"] != expected:
            wrong[member["name"]] = f"{member['initials']} (expected {expected})"
    assert not wrong, f"initials taken from the last part of a hyphenated family name: {wrong}"


def test_rich_text_has_markdown_and_sanitized_html(client: FlaskClient) -> None:
    payload = get_payload(client, edition_url("site"))
    site = payload["data"]["site"]
    assert site["goal"]["markdown"].startswith("**The goal of this ICML 2023 workshop")
    assert "<strong>The goal of this ICML 2023 workshop" in site["goal"]["html"]
    assert "**" not in site["goal"]["html"]
    assert "_opportunity for ICML audiences" in site["approach"]["markdown"]
    assert "<em>opportunity for ICML audiences" in site["approach"]["html"]
    assert site["rationale"]["markdown"].startswith("As modern astrophysical surveys")
    assert site["rationale"]["html"].startswith("<p>As modern astrophysical surveys")

    rich_texts = [value for value in walk(payload) if isinstance(value, dict) and set(value) == {"markdown", "html"}]
    assert len(rich_texts) >= 8
    for rich in rich_texts:
        assert isinstance(rich["markdown"], str) and rich["markdown"].strip()
        assert isinstance(rich["html"], str) and rich["html"].strip()
        assert "<script" not in rich["html"].lower()
        assert not re.search(r"<[^>]*\son\w+\s*=", rich["html"], flags=re.IGNORECASE)


# --- Shape of every document ---------------------------------------------------------


# The shipped edition has empty lists (no speakers, papers or news yet); the example
# edition fills every list, so the per-resource checks below check something on each.
DATASETS = {"shipped": (SHIPPED_DATA, EDITION), "example": (EXAMPLE_DATA, EXAMPLE_EDITION)}


# Lists of values rather than items: an author, a deadline's earlier value or a session's presenter (named by
# its paper's id) is not addressed on its own.
VALUE_LISTS = frozenset({"authors", "previously", "presenters"})
# Resources that hold no list of items at all (the venue: one place, its details).
WITHOUT_LISTS = frozenset({"venue"})


def keyed_lists(value: Any, key: str = "") -> Iterator[tuple[str, list[Any]]]:
    """Every list nested in a JSON document, with the key it stands under."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from keyed_lists(item, name)
    elif isinstance(value, list):
        yield key, value
        for item in value:
            yield from keyed_lists(item, key)


def dataset_client(dataset: str) -> tuple[FlaskClient, str]:
    data_dir, edition = DATASETS[dataset]
    app = build_app(data_dir)
    return app.test_client(), edition


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("resource", API_RESOURCES)
def test_every_list_item_has_a_stable_id(dataset: str, resource: str) -> None:
    client, edition = dataset_client(dataset)
    payload = get_payload(client, edition_url(resource, edition))
    lists = [
        value for key, value in keyed_lists(payload) if value and isinstance(value[0], dict) and key not in VALUE_LISTS
    ]
    if dataset == "example" and resource not in WITHOUT_LISTS:
        assert lists, f"the example edition has no list of items in {resource}: this test would check nothing"
    for items in lists:
        ids = [item.get("id") for item in items]
        assert all(isinstance(item_id, str) and SLUG.match(item_id) for item_id in ids), ids
        assert len(set(ids)) == len(ids), f"duplicate ids: {ids}"
    # Stable: another app over the same data gives the same ids.
    again = get_payload(dataset_client(dataset)[0], edition_url(resource, edition))
    assert item_ids(again) == item_ids(payload)


def test_ids_follow_items_not_positions(data_dir: Path, make_app: Any) -> None:
    import yaml

    topics_file = data_dir / EDITION / "topics.yaml"
    original = get_data(make_app(data_dir).test_client(), "topics")
    topics = yaml.safe_load(topics_file.read_text("utf-8"))
    topics["items"].reverse()
    topics_file.write_text(yaml.safe_dump(topics, sort_keys=False, allow_unicode=True), "utf-8")
    reordered = get_data(make_app(data_dir).test_client(), "topics")
    assert [item["id"] for item in reordered["items"]] == [item["id"] for item in reversed(original["items"])]
    assert {item["id"]: item["title"] for item in reordered["items"]} == {
        item["id"]: item["title"] for item in original["items"]
    }


def test_site_json_contains_every_section(client: FlaskClient) -> None:
    site = get_data(client, "site")
    assert set(site) == {resource.replace("-", "_") for resource in API_RESOURCES}
    for resource in API_RESOURCES:
        if resource != "site":
            assert site[resource.replace("-", "_")] == get_data(client, resource), resource


def test_index_lists_urls_that_resolve(client: FlaskClient) -> None:
    index = get_payload(client, "/api/v1/index.json")
    editions = {edition["id"]: edition for edition in index["editions"]}
    assert EDITION in editions
    assert [name for name, edition in editions.items() if edition["current"]] == [index["current_edition"]]
    for name, edition in editions.items():
        page = client.get(edition["html_url"])
        assert page.status_code == 200
        assert page.mimetype == "text/html"
        assert list(edition["resources"]) == list(API_RESOURCES)
        for resource, url in edition["resources"].items():
            payload = get_payload(client, url)
            assert (payload["edition"], payload["resource"]) == (name, resource)
            assert payload["url"] == url
    current = editions[index["current_edition"]]["resources"]
    for resource, url in index["current_resources"].items():
        assert client.get(url).data == client.get(current[resource]).data


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("resource", API_RESOURCES)
def test_html_url_points_at_the_section_on_the_page(dataset: str, resource: str) -> None:
    client, edition = dataset_client(dataset)
    html_url = get_payload(client, edition_url(resource, edition))["html_url"]
    parts = urlsplit(html_url)
    page = client.get(parts.path)
    assert page.status_code == 200
    if dataset == "example" and resource != "site":
        # Every section of the example edition has content, so each has its own anchor.
        assert parts.fragment, f"{resource}: {html_url} points at the top of the page"
    if parts.fragment:
        assert f'id="{parts.fragment}"' in page.text


# --- HTTP -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ALL_API_URLS)
def test_etag_revalidation_gives_304_without_body(client: FlaskClient, url: str) -> None:
    first = client.get(url)
    etag = first.headers.get("ETag")
    assert etag and not etag.startswith("W/")
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    other = client.get(url, headers={"If-None-Match": '"not-the-current-version"'})
    assert other.status_code == 200
    assert other.data == first.data


@pytest.mark.parametrize("url", ALL_API_URLS)
def test_cache_control_has_max_age(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.cache_control.max_age is not None
    assert response.cache_control.max_age > 0
    assert not response.cache_control.no_store


def test_max_age_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKSHOP_HTTP_MAX_AGE", "7")
    response = build_app().test_client().get(current_url("dates"))
    assert response.cache_control.max_age == 7


@pytest.mark.parametrize("url", ALL_API_URLS)
def test_head(client: FlaskClient, url: str) -> None:
    get = client.get(url)
    head = client.head(url)
    assert head.status_code == 200
    assert head.data == b""
    assert head.mimetype == "application/json"
    assert head.headers["ETag"] == get.headers["ETag"]
    assert int(head.headers["Content-Length"]) == len(get.data)


def test_write_methods_are_refused_and_change_nothing(data_dir: Path, make_app: Any) -> None:
    def snapshot() -> dict[Path, bytes]:
        return {path: path.read_bytes() for path in sorted(data_dir.rglob("*")) if path.is_file()}

    client = make_app(data_dir).test_client()
    files_before = snapshot()
    bodies_before = {url: client.get(url).data for url in ALL_API_URLS}
    for url in ALL_API_URLS:
        for method in WRITE_METHODS:
            response = client.open(url, method=method, json={"title": "Changed", "items": []})
            assert_problem(response, 405)
            allowed = {name.strip() for name in response.headers["Allow"].split(",")}
            assert {"GET", "HEAD"} <= allowed
            assert method not in allowed
    assert snapshot() == files_before
    assert {url: client.get(url).data for url in ALL_API_URLS} == bodies_before


@pytest.mark.parametrize(
    ("path", "mentions"),
    [
        ("/api/v1/speaker.json", "speakers"),  # unknown resource: the detail lists the real ones
        ("/api/v1/editions/icml2023/agenda.json", "program"),
        ("/api/v1/editions/icml1999/topics.json", EDITION),  # unknown edition: the detail lists the real ones
        ("/api/v1/editions/ICML2023/topics.json", EDITION),
        ("/api/v1/topics", None),
        ("/api/v1/editions/icml2023/topics", None),
        ("/api/v1/topics.json/extra", None),
        ("/api/v2/topics.json", None),
        ("/api/v1/", None),
        ("/api/v0/", None),  # /api/ itself is the documentation page
        ("/api/no/such/thing.txt", None),
        ("/api/v1/%00.json", None),
        ("/api/%ff%fe/%3Cscript%3E", None),
        ("/api/v1/editions/icml2023/../../../etc/passwd", None),
        ("/api/v1/" + "x" * 3000 + ".json", None),
    ],
)
def test_unknown_api_paths_are_problem_documents(client: FlaskClient, path: str, mentions: str | None) -> None:
    problem = assert_problem(client.get(path), 404)
    if mentions is not None:
        assert mentions in problem["detail"]
    response = client.get(path)
    assert response.cache_control.max_age is None or response.cache_control.no_store


def test_internal_error_is_a_problem_document_without_details(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(documents, "resource_payload", broken)
    response = client.get(current_url("topics"))
    assert_problem(response, 500)
    assert b"secret internal detail" not in response.data
    assert b"Traceback" not in response.data


def test_security_headers_on_every_kind_of_response(client: FlaskClient) -> None:
    ok = client.get(current_url("site"))
    responses = {
        "200": ok,
        "304": client.get(current_url("site"), headers={"If-None-Match": ok.headers["ETag"]}),
        "HEAD": client.head(current_url("site")),
        "404": client.get("/api/v1/nope.json"),
        "405": client.post(current_url("site")),
        "index": client.get("/api/v1/index.json"),
    }
    for name, response in responses.items():
        csp = response.headers.get("Content-Security-Policy")
        assert csp, name
        assert "'unsafe-inline'" not in csp, name
        assert "'unsafe-eval'" not in csp, name
        assert re.search(r"(^|;)\s*(default-src|script-src) ", csp), name
        assert response.headers.get("X-Content-Type-Options") == "nosniff", name


# --- flask-caching wiring --------------------------------------------------------------


def count_builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    builds: list[str] = []
    build = documents.resource_payload

    def counting(*args: Any, **kwargs: Any) -> Any:
        builds.append(args[2])
        return build(*args, **kwargs)

    monkeypatch.setattr(documents, "resource_payload", counting)
    return builds


def test_in_process_cache_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WORKSHOP_CACHE_TYPE", raising=False)
    app = build_app()
    assert app.config["CACHE_TYPE"] == "SimpleCache"
    assert isinstance(app.extensions["workshop.cache"].cache, SimpleCache)
    builds = count_builds(monkeypatch)
    client = app.test_client()
    first = client.get(current_url("topics"))
    second = client.get(edition_url("topics"))
    assert second.data == first.data
    assert builds == ["topics"], "a cached document is built once, not per request"


@pytest.mark.filterwarnings("ignore:Flask-Caching. CACHE_TYPE is set to NullCache")
def test_cache_type_from_the_environment(monkeypatch: pytest.MonkeyPatch, client: FlaskClient) -> None:
    monkeypatch.setenv("WORKSHOP_CACHE_TYPE", "NullCache")
    # Without the fast path's replay, every request reaches the (absent) cache.
    app = build_app(FAST_PATH=False)
    assert app.config["CACHE_TYPE"] == "NullCache"
    assert isinstance(app.extensions["workshop.cache"].cache, NullCache)
    builds = count_builds(monkeypatch)
    uncached = app.test_client()
    first = uncached.get(current_url("topics"))
    second = uncached.get(current_url("topics"))
    assert builds == ["topics", "topics"]
    # Same answer with or without a cache.
    assert first.data == second.data == client.get(current_url("topics")).data
    assert first.headers["ETag"] == client.get(current_url("topics")).headers["ETag"]
