"""A page per paper, what Google Scholar and Zotero read on it, and its BibTeX and CSL-JSON."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, expect
from pybtex.database import parse_string

from tests.conftest import EXAMPLE_DATA, LiveServer, build_app, edit_data_file
from tests.dom import normalize, parse_html
from tests.test_browser import AXE_SCRIPT, WCAG_TAGS
from workshop.citations import latex_escape
from workshop.export import export_site, site_urls
from workshop.store import get_content

SITE_URL = "https://workshop.example.org"
PAGE = "/example/papers/fast-emulators/"

# Names BibTeX and biber get wrong unless they are written with care.
HARD_AUTHORS = """\
    authors:
      - name: José Ñúñez-García
        family: Ñúñez-García
        affiliation: Universidad de Ejemplo & Co. {Lab}
        presenter: true
      - name: Martin Luther King Jr.
        family: King
      - name: 王小明
        family: 王
      - name: Ada {Braces} Lovelace
      - name: Tom Anderson
        family: Anderson
      - name: Rosa Ros
        family: Ros
"""
HARD_TITLE = "Fast emulators: 100% of $N$-body #sims & JWST_data {with} ~tilde^ \\\\ backslash"


@pytest.fixture
def hard_app(tmp_path: Path) -> Flask:
    """The example edition with a paper whose title and authors hold LaTeX's special characters."""
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE_DATA, data)
    papers = data / "example" / "papers.yaml"
    edit_data_file(papers, "title: Fast emulators for cosmological simulations", f'title: "{HARD_TITLE}"')
    text = papers.read_text(encoding="utf-8")
    start = text.index("    authors:\n")
    end = text.index("    abstract:")
    papers.write_text(text[:start] + HARD_AUTHORS + text[end:], encoding="utf-8")
    # The poster session names who presents the paper: one of its authors, now these.
    edit_data_file(data / "example" / "program.yaml", "name: Alan Example", "name: Tom Anderson")
    return build_app(data, SITE_URL=SITE_URL)


@pytest.fixture
def site_client() -> FlaskClient:
    return build_app(EXAMPLE_DATA, SITE_URL=SITE_URL).test_client()


def _meta(html: str) -> list[tuple[str, str]]:
    return [
        (str(element.attrs["name"]), str(element.attrs["content"]))
        for element in parse_html(html).find_all("meta")
        if str(element.attrs.get("name") or "").startswith("citation_")
    ]


def test_the_page_shows_the_paper_without_javascript(site_client: FlaskClient) -> None:
    response = site_client.get(PAGE)
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"]  # the security headers of every page
    dom = parse_html(response.get_data(as_text=True))
    assert [h1.text().strip() for h1 in dom.find_all("h1")] == ["Fast emulators for cosmological simulations"]
    assert dom.find_all("main") and dom.find_all("nav")
    text = dom.shown_text()
    assert "Grace Example (presenting) , Example University Alan Example" in text
    assert "Alan Example" in text
    assert "Extended abstracts" in text and "cosmology, emulators" in text
    assert "matter power spectrum in milliseconds" in text
    links = {normalize(a.text()): a.attrs["href"] for a in dom.find_all("a")}
    # Link text says where it goes, also out of context (a screen reader's list of links).
    assert links['PDF of "Fast emulators for cosmological simulations"'] == "/example/papers/fast-emulators.pdf"
    hrefs = set(links.values())
    assert {
        "https://example.org/videos/fast-emulators",
        "https://example.org/slides/fast-emulators.pdf",
        "https://example.org/code/fast-emulators",
        "https://openreview.net/forum?id=aBcD1234xy",
        "/api/v1/editions/example/papers/fast-emulators.bib",
    } <= hrefs
    # Its sessions (program.yaml lists it twice), in venue time, and the next paper.
    sessions = dom.find_all("dd", cls="paper-session")
    assert len(sessions) == 2
    assert all(session.datetimes() for session in sessions)
    assert "HST" in sessions[0].shown_text()
    assert dom.find_all("a", rel="next")[0].attrs["href"] == "/example/papers/rare-signals/"
    assert not dom.find_all("a", rel="prev")
    canonical = dom.find_all("link", rel="canonical")[0]
    assert canonical.attrs["href"] == SITE_URL + PAGE
    assert dom.find_all("meta", property="og:url")[0].attrs["content"] == SITE_URL + PAGE


def test_a_poster_shows_its_board_and_the_previous_paper(site_client: FlaskClient) -> None:
    dom = parse_html(site_client.get("/example/papers/rare-signals/").get_data(as_text=True))
    assert "Poster board 12" in dom.shown_text()
    assert dom.find_all("a", rel="prev")[0].attrs["href"] == PAGE
    assert not dom.find_all("a", rel="next")


def test_the_page_and_the_pdf_do_not_clash(site_client: FlaskClient) -> None:
    assert site_client.get("/example/papers/fast-emulators.pdf").mimetype == "application/pdf"
    assert site_client.get(PAGE).mimetype == "text/html"
    assert site_client.get("/example/papers/no-such-paper/").status_code == 404
    # Without its slash, the page's URL leads to the page (not to "No PDF").
    redirected = site_client.get("/example/papers/fast-emulators")
    assert (redirected.status_code, redirected.location) == (308, PAGE)
    assert site_client.get("/api/v1/editions/example/papers/no-such-paper.bib").status_code == 404


def test_google_scholar_reads_highwire_tags(site_client: FlaskClient) -> None:
    tags = _meta(site_client.get(PAGE).get_data(as_text=True))
    assert tags == [
        ("citation_title", "Fast emulators for cosmological simulations"),
        ("citation_author", "Grace Example"),
        ("citation_author", "Alan Example"),
        ("citation_publication_date", "2030/07/28"),
        (
            "citation_conference_title",
            "Example Workshop on Machine Learning for Science at Example Conference 2030",
        ),
        ("citation_pdf_url", f"{SITE_URL}/example/papers/fast-emulators.pdf"),
        ("citation_abstract_html_url", SITE_URL + PAGE),
    ]


def test_json_ld_is_a_scholarly_article(site_client: FlaskClient) -> None:
    dom = parse_html(site_client.get(PAGE).get_data(as_text=True))
    (script,) = dom.find_all("script", type="application/ld+json")
    article = json.loads(script.text())
    assert article["@type"] == "ScholarlyArticle"
    assert article["headline"] == "Fast emulators for cosmological simulations"
    assert [author["name"] for author in article["author"]] == ["Grace Example", "Alan Example"]
    assert article["author"][0]["affiliation"]["name"] == "Example University"
    assert article["url"] == SITE_URL + PAGE
    assert article["encoding"]["contentUrl"] == f"{SITE_URL}/example/papers/fast-emulators.pdf"


def test_bibtex_reads_back_hard_names_and_titles(hard_app: Flask) -> None:
    client = hard_app.test_client()
    response = client.get("/api/v1/editions/example/papers/fast-emulators.bib")
    assert response.status_code == 200 and response.mimetype == "text/x-bibtex"
    bibtex = response.get_data(as_text=True)
    entry = parse_string(bibtex, "bibtex").entries["example-fast-emulators"]
    assert entry.type == "inproceedings"
    people = entry.persons["author"]
    assert [(p.last_names, p.first_names + p.middle_names, p.lineage_names) for p in people] == [
        (["Ñúñez-García"], ["José"], []),
        (["King"], ["Martin", "Luther"], ["Jr."]),
        (["王"], ["小明"], []),
        (["Lovelace"], ["Ada", "\\{Braces\\}"], []),  # no family name: BibTeX splits it itself
        (["Anderson"], ["Tom"], []),
        (["Ros"], ["Rosa"], []),  # the family name is a word of the name, not the start of "Rosa"
    ]
    # Special characters are escaped; words with capitals keep them in braces.
    assert entry.fields["title"] == (
        "Fast emulators: 100\\% of {\\$N\\$-body} \\#sims \\& {JWST\\_data} \\{with\\} "
        "\\textasciitilde{}tilde\\textasciicircum{} \\textbackslash{} backslash"
    )
    assert entry.fields["year"] == "2030" and entry.fields["month"] == "July"
    assert entry.fields["url"] == SITE_URL + PAGE
    assert entry.fields["booktitle"] == "Example Workshop on Machine Learning for Science at Example Conference 2030"


def test_every_paper_in_one_bibtex_file(site_client: FlaskClient) -> None:
    bibtex = site_client.get("/api/v1/editions/example/papers.bib").get_data(as_text=True)
    entries = parse_string(bibtex, "bibtex").entries
    assert list(entries) == ["example-fast-emulators", "example-rare-signals"]
    assert str(entries["example-rare-signals"].persons["author"][0]) == "Example, Emmy"


def test_latex_escape_keeps_braces_balanced() -> None:
    escaped = latex_escape("}{ a } b { & % $ # _ ~ ^ \\")
    depth = 0
    for position, char in enumerate(escaped):
        if char in "{}" and escaped[position - 1] != "\\":
            depth += 1 if char == "{" else -1
            assert depth >= 0
    assert depth == 0


def _check_csl_item(item: dict) -> None:
    """Rules of the CSL-JSON schema (csl-data.json) for the fields the site writes."""
    assert isinstance(item["id"], str) and item["id"]
    assert item["type"] == "paper-conference"
    assert isinstance(item["title"], str)
    for name in item["author"]:
        assert set(name) <= {"family", "given", "suffix", "literal"}
        assert ("literal" in name) != ("family" in name)
        assert all(isinstance(part, str) and part for part in name.values())
    parts = item["issued"]["date-parts"]
    assert len(parts) == 1 and 1 <= len(parts[0]) <= 3 and all(isinstance(p, int) for p in parts[0])
    assert isinstance(item["container-title"], str)
    assert item["URL"].startswith("https://")


def test_csl_json_follows_the_schema(hard_app: Flask) -> None:
    client = hard_app.test_client()
    response = client.get("/api/v1/editions/example/papers.csl.json")
    assert response.mimetype == "application/vnd.citationstyles.csl+json"
    items = response.get_json(force=True)
    for item in items:
        _check_csl_item(item)
    first = items[0]
    assert first["author"][1] == {"family": "King", "given": "Martin Luther", "suffix": "Jr."}
    assert first["author"][2] == {"family": "王", "given": "小明"}
    assert first["author"][3] == {"literal": "Ada {Braces} Lovelace"}
    assert first["issued"] == {"date-parts": [[2030, 7, 28]]}
    assert first["URL"] == SITE_URL + PAGE
    one = client.get("/api/v1/editions/example/papers/fast-emulators.csl.json").get_json(force=True)
    assert one == first


def test_papers_json_items_link_to_their_page(example_client: FlaskClient) -> None:
    papers = example_client.get("/api/v1/editions/example/papers.json").get_json()["data"]["papers"]
    assert [paper["html_url"] for paper in papers] == [
        "/example/papers/fast-emulators/",
        "/example/papers/rare-signals/",
    ]
    for paper in papers:
        assert example_client.get(paper["html_url"]).status_code == 200
    document = example_client.get("/api/v1/editions/example/papers/rare-signals.json").get_json()
    assert document["data"] == papers[1]
    assert document["html_url"] == "/example/papers/rare-signals/"


def test_index_and_openapi_list_the_paper_documents(example_client: FlaskClient) -> None:
    index = example_client.get("/api/v1/index.json").get_json()
    (edition,) = [entry for entry in index["editions"] if entry["id"] == "example"]
    names = {document["name"] for document in edition["documents"]}
    templates = {template["name"] for template in edition["url_templates"]}
    assert {"papers.bib", "papers.csl.json"} <= names
    assert {"papers/{paper_id}.json", "papers/{paper_id}.bib", "papers/{paper_id}.csl.json"} <= templates
    paths = example_client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "/api/v1/editions/{edition}/papers/{paper_id}.bib" in paths
    assert "papers/{paper_id}.bib" in example_client.get("/api/").get_data(as_text=True)


def test_the_shipped_data_has_no_paper_pages_yet(client: FlaskClient) -> None:
    # No paper is accepted in the shipped edition: its files are empty, not errors.
    assert client.get("/api/v1/papers.bib").get_data(as_text=True) == ""
    assert client.get("/api/v1/papers.csl.json").get_json(force=True) == []


def test_the_static_export_holds_every_paper_page(tmp_path: Path) -> None:
    written = export_site(build_app(EXAMPLE_DATA, SITE_URL=SITE_URL), tmp_path / "site")
    assert {
        "/example/papers/fast-emulators/",
        "/example/papers/rare-signals/",
        "/api/v1/editions/example/papers/fast-emulators.bib",
        "/api/v1/editions/example/papers.csl.json",
    } <= set(written)
    page = (tmp_path / "site" / "example" / "papers" / "fast-emulators" / "index.html").read_text(encoding="utf-8")
    assert ("citation_title", "Fast emulators for cosmological simulations") in _meta(page)
    assert (tmp_path / "site" / "example" / "papers" / "fast-emulators.pdf").is_file()


# --- In Chromium: the visitor's time, a phone's width, dark mode, axe-core ------------------------


@pytest.fixture
def paper_server() -> Iterator[LiveServer]:
    with LiveServer(build_app(EXAMPLE_DATA)) as server:
        yield server


@pytest.mark.browser
def test_the_session_shows_in_the_visitors_time_too(browser: Browser, paper_server: LiveServer) -> None:
    page = browser.new_context(locale="en-US", timezone_id="Asia/Tokyo").new_page()
    page.goto(f"{paper_server.url}{PAGE}")
    # 09:45-10:15 HST on July 28 is 04:45-05:15 on July 29 in Tokyo.
    first = page.locator(".visitor-time").first
    expect(first).to_be_visible()
    # In the page's language (the example's en-GB), whatever the browser's (en-US).
    expect(first).to_have_text("Your time: Mon, 29 Jul 2030, 04:45 GMT+9 \u2013 05:15 (Asia/Tokyo)")
    expect(page.locator(".venue-time").first).to_contain_text("09:45 \u2013 10:15 HST")


@pytest.mark.browser
def test_a_session_that_ends_on_the_visitors_next_day_says_so(browser: Browser, paper_server: LiveServer) -> None:
    page = browser.new_context(locale="en-US", timezone_id="Europe/Paris").new_page()
    page.goto(f"{paper_server.url}{PAGE}")
    # The poster session, 10:45-12:00 HST on July 28, ends at midnight in Paris: on July 29.
    expect(page.locator(".visitor-time").nth(1)).to_have_text(
        "Your time: Sun, 28 Jul 2030, 22:45 CEST \u2013 Mon, 29 Jul 2030, 00:00 CEST (Europe/Paris)"
    )


@pytest.mark.browser
def test_without_javascript_the_venue_time_alone(browser: Browser, paper_server: LiveServer) -> None:
    page = browser.new_context(java_script_enabled=False, timezone_id="Asia/Tokyo").new_page()
    page.goto(f"{paper_server.url}{PAGE}")
    expect(page.locator(".venue-time").first).to_contain_text("Sunday, 28 July 2030, 09:45 \u2013 10:15 HST")
    expect(page.locator(".visitor-time").first).to_be_hidden()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_paper_page_is_accessible_on_a_phone(browser: Browser, paper_server: LiveServer, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 800}, color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{paper_server.url}{PAGE}")
    expect(page.locator(".visitor-time").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert all(url.startswith(paper_server.url) for url in requests), requests
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(255, 255, 255)") == (scheme == "light")
    page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", [*WCAG_TAGS, "best-practice"]
    )
    assert [(violation["id"], violation["nodes"][0]["target"]) for violation in results["violations"]] == []
    assert {"landmark-one-main", "page-has-heading-one", "region"} <= {rule["id"] for rule in results["passes"]}


def test_check_requests_every_paper_page(tmp_path: Path) -> None:
    # `check` requests the site's URLs (not the links the export's crawler happens to follow): a paper
    # whose page fails to render is found there.
    app = build_app(EXAMPLE_DATA, SITE_URL=SITE_URL)
    with app.app_context():
        urls = site_urls(app, get_content())
    assert {"/example/papers/fast-emulators/", "/example/papers/rare-signals/"} <= set(urls)
