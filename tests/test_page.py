"""The workshop page as a visitor without JavaScript gets it: every fact of the
original page, in order, accessible, self-contained and safe from data-file markup."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from tests.dom import Element, normalize, parse_html
from workshop import clock

SEED_PAGE = Path(__file__).resolve().parent / "fixtures" / "seed-homepage.md"
EDITION = "icml2023"
# Page sections, in the seed's order, with the seed heading each one carries.
SECTIONS = {
    "rationale": "Rationale",
    "program": "Program",
    "call-for-abstracts": "Call for Abstracts",
    "logistics": "Logistics and FAQs",
    "dates": "Important Dates",
    "posters": "Instructions for Posters",
    "committee": "SOC",
}

# Where the page deliberately words a seed fact differently: seed text -> what the page says instead.
CMT_URL = "https://cmt3.research.microsoft.com/ML4Astro2023"
REWORDED = {
    # Dates are written in full (weekday and year), in the zone spelled "AoE" as the API names it.
    f"Please submit your anonymized extended abstract through CMT at {CMT_URL} before May 19th, 23:59 AOE.": (
        f"Please submit your anonymized extended abstract through CMT at {CMT_URL} "
        "before Friday, May 19, 2023, 23:59 AoE."
    ),
    "Submission deadline: May 19th": "Submission deadline Friday, May 19, 2023, 23:59 AoE",
    "Author Notification: June 16th": "Author Notification Friday, June 16, 2023 AoE",
    "Camera-ready paper deadline: July 10th": "Camera-ready paper deadline Monday, July 10, 2023 AoE",
    "Camera-ready poster deadline: July 21st (see instructions below)": (
        "Camera-ready poster deadline Friday, July 21, 2023 AoE (see instructions below)"
    ),
    "Workshop date: July 28th or 29th": "Workshop date Friday, July 28 or Saturday, July 29, 2023 AoE",
    # ... and the zone's offset is given (with a U+2212 minus sign).
    "All dates are in AOE (Anywhere on Earth).": "All dates are in AoE (Anywhere on Earth, UTC\u221212).",
    # The link says where it goes instead of "here" (see test_seed_links_are_on_the_page).
    "Registration for ICML workshops is handled through the main ICML conference registration here.": (
        "Registration for ICML workshops is handled through the main ICML conference registration. "
        "Register for ICML 2023."
    ),
    # A co-chair's card shows the role on its own, after the affiliation.
    "CNRS (Co-Chair)": "Francois Lanusse CNRS Co-Chair",
    "IAC (Co-Chair)": "Marc Huertas-Company IAC Co-Chair",
}
# The seed's "SOC" heading is spelled out.
REWORDED_HEADINGS = {"SOC": "Organizing Committee"}


# --- The seed: the workshop's original Markdown page ---------------------------------------


@dataclass
class SeedSection:
    heading: str
    facts: list[str] = field(default_factory=list)  # sentences and list items, plain text
    links: list[str] = field(default_factory=list)


def _plain(markdown: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\(([^)\s]*)\)", r"\1", markdown)
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = re.sub(r"(?<!\w)_(.+?)_(?!\w)", r"\1", text)
    return normalize(text)


def _sentences(paragraph: str) -> list[str]:
    # Split after ".", "!" or "?" ending a word (not an initial like "J.") before a capital.
    return [s for s in re.split(r"(?<=[a-z0-9)][.!?])\s+(?=[A-Z])", paragraph) if s]


def seed_sections() -> list[SeedSection]:
    text = SEED_PAGE.read_text("utf-8")
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.DOTALL)  # front matter
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)  # commented-out content is not shown
    text = re.sub(r"<((?:https?://|mailto:)[^>\s]+|[^>\s@]+@[^>\s]+)>", r"[\1](\1)", text)  # autolinks
    text = re.sub(r"<[^>]*>", "\n\n", text)  # HTML tags; each piece of HTML text is a block of its own

    sections: list[SeedSection] = []
    paragraph: list[str] = []

    def end_paragraph() -> None:
        if paragraph and sections:
            sections[-1].facts.extend(_sentences(_plain(" ".join(paragraph))))
        paragraph.clear()

    for raw_line in text.splitlines():
        line = raw_line.strip()
        if sections:
            sections[-1].links.extend(re.findall(r"\]\(([^)\s]+)\)", line))
        heading = re.match(r"^#{1,6}\s+(.+)$", line)
        item = re.match(r"^[-*]\s+(.+)$", line)
        if not line or re.fullmatch(r"-{3,}", line):
            end_paragraph()
        elif heading:
            end_paragraph()
            sections.append(SeedSection(_plain(heading.group(1))))
        elif item:
            end_paragraph()
            sections[-1].facts.append(_plain(item.group(1)))
        else:
            paragraph.append(line)
    end_paragraph()
    return sections


SEED = seed_sections()


# --- Fixtures ------------------------------------------------------------------------------


# The seed page is the page while abstracts were welcome (workshop/phases.py: the call phase).
DURING_THE_CALL = dt.datetime(2023, 5, 1, tzinfo=dt.UTC)


@pytest.fixture
def page_html(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(clock, "now", lambda: DURING_THE_CALL)
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def page(page_html: str) -> Element:
    return parse_html(page_html)


# --- The page ------------------------------------------------------------------------------


def test_root_and_edition_url_serve_the_same_full_page(client: FlaskClient) -> None:
    root = client.get("/")
    edition = client.get(f"/{EDITION}/")
    for response in (root, edition):
        assert response.status_code == 200
        assert response.mimetype == "text/html"
        assert response.mimetype_params.get("charset", "").lower() == "utf-8"
    assert root.data == edition.data
    assert root.headers["ETag"] == edition.headers["ETag"]
    assert root.data.rstrip().endswith(b"</html>")
    revalidated = client.get("/", headers={"If-None-Match": root.headers["ETag"]})
    assert revalidated.status_code == 304
    assert revalidated.data == b""


def test_seed_parsing_found_every_section() -> None:
    # Guards the test below against a parser that silently finds nothing.
    assert [section.heading for section in SEED] == list(SECTIONS.values())
    assert sum(len(section.facts) for section in SEED) >= 45


@pytest.mark.parametrize("section", SEED, ids=[section.heading for section in SEED])
def test_every_seed_fact_is_in_its_section(page: Element, section: SeedSection) -> None:
    section_id = next(key for key, heading in SECTIONS.items() if heading == section.heading)
    shown = page.by_id(section_id).shown_text()
    missing = [fact for fact in section.facts if normalize(REWORDED.get(fact, fact)) not in shown]
    assert not missing, f"not in #{section_id}: {missing}"


def test_every_rewording_is_of_a_real_seed_fact() -> None:
    # An exception for text the seed no longer has would hide nothing but clutter the list.
    facts = {fact for section in SEED for fact in section.facts}
    assert set(REWORDED) <= facts, set(REWORDED) - facts


def test_seed_headings_head_their_sections(page: Element) -> None:
    for section_id, heading in SECTIONS.items():
        headings = page.by_id(section_id).find_all("h2")
        assert [h.shown_text() for h in headings] == [REWORDED_HEADINGS.get(heading, heading)], section_id


def test_seed_links_are_on_the_page(page: Element) -> None:
    hrefs = {element.attrs.get("href") for element in page.find_all("a")}
    links = [link for section in SEED for link in section.links]
    assert len(links) >= 6
    for link in links:
        expected = f"mailto:{link}" if "@" in link and not link.startswith("mailto:") else link
        assert expected in hrefs, link
    # The registration link names its target rather than saying "here".
    registration = [a for a in page.find_all("a") if a.attrs.get("href") == "https://icml.cc/Register2"]
    assert [a.shown_text() for a in registration] == ["Register for ICML 2023"]


def test_call_to_action_button_leads_to_the_call_for_abstracts(page: Element) -> None:
    rationale = page.by_id("rationale")
    buttons = [a for a in rationale.find_all("a") if a.shown_text() == "See Call For Abstracts"]
    assert buttons
    assert all(a.attrs.get("href") == "#call-for-abstracts" for a in buttons)


def test_sections_in_seed_order_with_anchors_and_nav(page: Element) -> None:
    main = page.find_all("main")
    assert len(main) == 1
    sections = [element.attrs.get("id") for element in main[0].find_all("section")]
    assert sections == list(SECTIONS)
    nav = page.find_all("nav", aria_label="Sections")
    assert len(nav) == 1
    assert [a.attrs.get("href") for a in nav[0].find_all("a")] == [f"#{section}" for section in SECTIONS]


def test_heading_outline(page: Element) -> None:
    levels = [int(element.tag[1]) for element in page.iter() if re.fullmatch(r"h[1-6]", element.tag)]
    assert levels[0] == 1
    assert levels.count(1) == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}: {levels}"
    assert len(page.find_all("main")) == 1
    assert page.find_all("h1")[0].shown_text() == "Machine Learning for Astrophysics"


def test_committee_cards_show_initials(client: FlaskClient, page: Element) -> None:
    members = client.get(f"/api/v1/editions/{EDITION}/committee.json").get_json()["data"]["members"]
    assert len(members) == 8
    for member in members:
        card = page.by_id(f"person-{member['id']}")
        assert card.shown_text().startswith(f"{member['initials']} {member['name']} {member['affiliation']}")
        shown_initials = [
            span.shown_text() for span in card.find_all("span") if "avatar" in span.attrs.get("class", "")
        ]
        assert shown_initials == [member["initials"]]
        assert ("Co-Chair" in card.shown_text()) == (member["role"] == "co-chair")


def test_every_date_has_a_time_element(client: FlaskClient, page: Element) -> None:
    items = client.get(f"/api/v1/editions/{EDITION}/dates.json").get_json()["data"]["items"]
    assert len(items) == 5
    for item in items:
        entry = page.by_id(f"date-{item['id']}")
        datetimes = [time.attrs.get("datetime") for time in entry.find_all("time")]
        expected = [item["at"]] if item["at"] else [item["date"]] if item["date"] else item["date_options"]
        assert datetimes == expected, item["id"]
    deadline = page.by_id("call-for-abstracts").find_all("time")
    assert deadline
    assert {time.attrs.get("datetime") for time in deadline} == {"2023-05-19T23:59:00-12:00"}


def test_page_links_to_its_json_twin(client: FlaskClient, page: Element) -> None:
    alternates = [
        link
        for link in page.find_all("link")
        if link.attrs.get("rel") == "alternate" and link.attrs.get("type") == "application/json"
    ]
    assert len(alternates) == 1
    response = client.get(alternates[0].attrs["href"])
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    payload = response.get_json()
    assert (payload["edition"], payload["resource"]) == (EDITION, "site")


def fetched_urls(page: Element) -> Iterator[str]:
    """What the browser loads by itself: everything but the links a visitor follows."""
    for element in page.iter():
        if element.tag == "a":
            continue
        if element.tag == "link" and element.attrs.get("rel") == "canonical":
            continue  # the page's public address (absolute, for search engines): nothing loads it
        for name in ("src", "href", "data", "poster"):
            if element.attrs.get(name):
                yield element.attrs[name]
        for candidate in (element.attrs.get("srcset") or "").split(","):
            if candidate.strip():
                yield candidate.split()[0]


def test_no_requests_to_other_origins(page: Element, app: Flask) -> None:
    urls = list(fetched_urls(page))
    assert any(re.fullmatch(r"/[a-z0-9-]+/css/[0-9a-f]{12}/site\.css", url) for url in urls), urls
    for url in urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, f"request to another origin: {url}"
    for element in page.iter():
        assert "url(" not in (element.attrs.get("style") or ""), element.tag
    # JSON-LD (for search engines) and the scripts' texts (workshop/uistrings.py) are data, never run: the only
    # script elements with content.
    data_blocks = ("application/ld+json", "application/json")
    code = [s for s in page.find_all("script") if s.attrs.get("type") not in data_blocks]
    inline_scripts = [s for s in code if "".join(map(str, s.children)).strip()]
    assert not inline_scripts


def test_unknown_edition_page_is_404(client: FlaskClient) -> None:
    for path in ("/icml1999/", "/ICML2023/", "/icml1999/photos/someone.jpg", "/no/such/page"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.mimetype == "text/html"


def test_an_english_error_page_says_what_is_missing(client: FlaskClient) -> None:
    # The page's own sentence, then what exactly is missing: which editions exist, which paper was asked for.
    text = normalize(parse_html(client.get("/icml1999/").get_data(as_text=True)).text())
    assert "There is no page at this address." in text
    assert "No edition 'icml1999'. Editions: icml2023." in text
    text = normalize(parse_html(client.get("/icml2023/papers/no-such-paper/").get_data(as_text=True)).text())
    assert "No paper 'no-such-paper'" in text


# --- Data files cannot inject markup ---------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"


def _edit_yaml(path: Path, change: Callable[[dict], None]) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")


@pytest.fixture
def hostile_app(data_dir: Path, make_app: Callable[[Path], Flask]) -> Flask:
    edition = data_dir / EDITION
    _edit_yaml(edition / "topics.yaml", lambda d: d["items"][0].update(title=f"Bad {SCRIPT} topic {IMAGE}"))
    rationale = (
        f"Plain {SCRIPT} and {IMAGE} in Markdown. "
        "A [Markdown link](javascript:alert(1)), [another](JavaScript:alert(1)), <javascript:alert(1)> "
        'and <a href="javascript:alert(1)">raw HTML</a>.'
    )
    _edit_yaml(edition / "site.yaml", lambda d: d.update(rationale=rationale))
    return make_app(data_dir)


def test_data_file_markup_is_shown_as_text_not_run(hostile_app: Flask) -> None:
    client = hostile_app.test_client()
    html = client.get("/").get_data(as_text=True)
    page = parse_html(html)

    assert "<script>alert" not in html.lower()
    assert "<img src=x" not in html.lower()
    for script in page.find_all("script"):
        assert "alert" not in "".join(map(str, script.children))
        if script.attrs.get("type") not in ("application/ld+json", "application/json"):
            assert (script.attrs.get("src") or "").startswith("/static/")
    for element in page.iter():
        handlers = [name for name in element.attrs if name.startswith("on")]
        assert not handlers, f"<{element.tag}> has event handler attributes {handlers}"
        for name in ("href", "src", "action", "formaction"):
            value = re.sub(r"[\s\x00-\x1f]", "", element.attrs.get(name) or "").lower()
            assert not value.startswith("javascript:"), f"<{element.tag} {name}={element.attrs[name]!r}>"
    assert not [img for img in page.find_all("img") if img.attrs.get("src") == "x"]

    # Visitors still read what the organizer typed, as text.
    assert f"Bad {SCRIPT} topic {IMAGE}" in page.by_id("topic-inference").shown_text()
    assert f"Plain {SCRIPT} and {IMAGE} in Markdown." in page.by_id("rationale").shown_text()


def test_api_returns_plain_text_unchanged_and_markdown_sanitized(hostile_app: Flask) -> None:
    client = hostile_app.test_client()
    topics = client.get(f"/api/v1/editions/{EDITION}/topics.json").get_json()["data"]
    assert topics["items"][0]["title"] == f"Bad {SCRIPT} topic {IMAGE}"
    rationale = client.get(f"/api/v1/editions/{EDITION}/site.json").get_json()["data"]["site"]["rationale"]
    assert rationale["markdown"].startswith(f"Plain {SCRIPT} and {IMAGE}")
    fragment = parse_html(rationale["html"])
    assert {element.tag for element in fragment.iter()} <= {"#document", "p", "a", "em", "strong", "code"}
    for link in fragment.find_all("a"):
        assert not (link.attrs.get("href") or "").lower().startswith("javascript:")
    assert f"Plain {SCRIPT} and {IMAGE} in Markdown." in fragment.shown_text()
