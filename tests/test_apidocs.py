"""/api/: the API for people, from the same endpoints as openapi.json, with the promise of docs/api.md."""

from __future__ import annotations

import itertools
import json
import re

import pytest
from flask.testing import FlaskClient

from tests.conftest import EXAMPLE_DATA, PROJECT_ROOT, build_app, site_url_of, static_url
from tests.dom import Element, normalize, parse_html
from workshop.apidocs import markdown_sections

DOCS = PROJECT_ROOT / "docs" / "api.md"
README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture(params=["shipped", "example"])
def any_client(request: pytest.FixtureRequest) -> FlaskClient:
    return build_app(EXAMPLE_DATA if request.param == "example" else None).test_client()


def api_page(client: FlaskClient) -> Element:
    response = client.get("/api/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    return parse_html(response.data.decode("utf-8"))


def endpoint_articles(page: Element) -> list[Element]:
    return page.find_all("article", cls="endpoint")


def markdown_section(text: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, flags=re.MULTILINE | re.DOTALL)
    assert match, f"docs/api.md has no '## {title}' section"
    return match.group(1)


def as_read(markdown: str) -> list[str]:
    """The sentences of Markdown as a reader sees them: one string per heading, paragraph or list item."""
    blocks = re.split(r"\n\s*\n|\n(?=- )|\n(?=#+ )", markdown)
    texts = []
    for block in blocks:
        text = re.sub(r"^(#+|-)\s+", "", block.strip())
        text = re.sub(r"\*\*(.+?)\*\*|`(.+?)`", lambda m: m.group(1) or m.group(2), text)
        if text:
            texts.append(normalize(text))
    return texts


# --- Every endpoint, from the OpenAPI document -----------------------------------------------


def test_the_page_lists_every_operation_of_the_openapi_document(any_client: FlaskClient) -> None:
    document = json.loads(any_client.get("/api/v1/openapi.json").data)
    page = api_page(any_client)
    listed = [article.one("h4").one("code").text() for article in endpoint_articles(page)]
    assert listed == list(document["paths"])
    for article, (path, item) in zip(endpoint_articles(page), document["paths"].items(), strict=True):
        assert article.attrs["id"] == item["get"]["operationId"]
        assert item["get"]["summary"] in article.shown_text(), path


def test_every_endpoint_has_a_curl_and_a_fetch_example_that_work(any_client: FlaskClient) -> None:
    page = api_page(any_client)
    site_url = site_url_of(any_client)
    tried = 0
    for article in endpoint_articles(page):
        examples = [code.text() for code in article.find_all("pre")]
        assert len(examples) == 2, article.attrs["id"]
        curl, fetch = examples
        match = re.fullmatch(rf"curl -s {re.escape(site_url)}(/api/v1/\S+)", curl)
        assert match, curl
        assert f'fetch("{site_url}{match.group(1)}")' in fetch
        assert "await response.json()" in fetch or "await response.text()" in fetch
        path = match.group(1)
        if "{" in path:  # nothing to fetch yet (no session published): shown as the template
            assert "published yet" in article.shown_text()
            continue
        served = any_client.get(path)
        assert served.status_code == 200, path
        # JSON (application/feed+json included) is read with response.json(), anything else as text.
        assert ("= await response.json();" in fetch) == served.is_json, path
        assert article.find_all("a", href=path), f"{path} is not linked"
        tried += 1
    assert tried >= 30


def test_examples_use_the_configured_site_url() -> None:
    client = build_app(SITE_URL="https://astro.example.org/").test_client()
    page = api_page(client)
    assert "curl -s https://astro.example.org/api/v1/dates.json" in [pre.text() for pre in page.find_all("pre")]


def test_the_page_and_the_document_describe_the_same_parameters(client: FlaskClient) -> None:
    page = api_page(client)
    article = page.by_id("getEditionTopics")
    assert "{edition}" in article.shown_text()
    assert "For example: icml2023." in article.shown_text()
    dates = page.by_id("getDateCalendar").shown_text()
    for item_id in ("submission-deadline", "author-notification", "workshop"):
        assert item_id in dates


# --- The promise, from docs/api.md ---------------------------------------------------------------


@pytest.mark.parametrize("title", ["Stability promise", "Changelog"])
def test_the_page_shows_the_promise_and_the_changelog_as_docs_api_md_writes_them(
    client: FlaskClient, title: str
) -> None:
    page = api_page(client)
    section = page.by_id(re.sub(r"[^a-z0-9]+", "-", title.lower()))
    shown = section.shown_text()
    for text in as_read(markdown_section(DOCS.read_text(encoding="utf-8"), title)):
        assert text in shown, f"docs/api.md says {text!r}, /api/ does not"


def test_the_promise_says_what_v1_guarantees() -> None:
    promise = markdown_section(DOCS.read_text(encoding="utf-8"), "Stability promise")
    for words in [
        "No field is removed or retyped",
        "Ids are stable",
        "URLs are stable",
        "Clients must ignore fields they do not know",
        "`Deprecation` header",
        "`Sunset` header",
        "at least 6 months",
        "changelog",
        "application/problem+json",
        "If-None-Match",
        "Access-Control-Allow-Origin: *",
    ]:
        assert words in promise, words


def test_readme_links_the_promise_and_the_api_page() -> None:
    assert "(docs/api.md)" in README
    assert "/api/v1/openapi.json" in README
    assert "`/api/`" in README
    assert "--update-contract" in README
    assert "schemathesis" in README


# --- A page like the others: self-contained, accessible structure ---------------------------------


def test_api_without_slash_redirects_to_the_page(client: FlaskClient) -> None:
    response = client.get("/api")
    assert response.status_code in (301, 308)
    assert response.headers["Location"].endswith("/api/")


def test_the_page_works_offline_and_under_the_content_security_policy(client: FlaskClient) -> None:
    response = client.get("/api/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    page = parse_html(response.data.decode("utf-8"))
    assert page.find_all("style") == []
    assert [element for element in page.iter() if "style" in element.attrs] == []
    assert [script for script in page.find_all("script") if not script.attrs.get("src")] == []
    for element in page.find_all("link", "script", "img"):
        address = element.attrs.get("href") or element.attrs.get("src") or ""
        assert address.startswith("/"), address
    stylesheets = [link.attrs["href"] for link in page.find_all("link", rel="stylesheet")]
    # Its own, then the site's one stylesheet (the current edition's theme and site.css).
    assert stylesheets[0] == static_url(client.application, "css/api.css")
    assert re.fullmatch(r"/icml2023/css/[0-9a-f]{12}/site\.css", stylesheets[1]), stylesheets
    for stylesheet in stylesheets:
        assert client.get(stylesheet).status_code == 200


def test_headings_are_in_order_and_content_is_in_landmarks(any_client: FlaskClient) -> None:
    page = api_page(any_client)
    levels = [int(element.tag[1]) for element in page.iter() if re.fullmatch(r"h[1-6]", element.tag)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(after <= before + 1 for before, after in itertools.pairwise(levels)), levels
    body = page.one("body")
    landmarks = [child.tag for child in body.children if isinstance(child, Element)]
    assert landmarks == ["a", "header", "main", "footer"]  # the skip link first
    assert page.one("main").attrs["id"] == "main"


def test_the_page_links_its_machine_readable_twin(client: FlaskClient) -> None:
    response = client.get("/api/")
    assert response.headers["Link"] == '</api/v1/openapi.json>; rel="alternate"; type="application/json"'
    assert client.get("/api/v1/openapi.json").headers["Link"] == '</api/>; rel="alternate"; type="text/html"'


def test_errors_under_api_v1_stay_problem_documents(client: FlaskClient) -> None:
    for response in (client.get("/api/v1/nope.json"), client.post("/api/v1/openapi.json")):
        assert response.mimetype == "application/problem+json"
        assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_heading_inside_a_code_block_does_not_split_a_section() -> None:
    """docs/api.md's sections are markdown-it's headings: a '## ' line in a code block is text."""
    text = (
        "## Stability promise\n\nIntro.\n\n```\n## Changelog\n```\n\n### Errors\n\nNone.\n\n"
        "## Changelog\n\n### 2026-01-01\n\nFirst.\n"
    )
    promise, changelog = markdown_sections(text)
    assert "## Changelog" in promise.html
    assert [section.title for section in promise.subsections] == ["Errors"]
    assert [section.title for section in changelog.subsections] == ["2026-01-01"]
