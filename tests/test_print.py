"""The page on paper, in real Chromium: black on white, without navigation, buttons,
screen-only widgets or calendar links; the call for abstracts shows where its links
lead; the sections an author needs fit on two pages."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator

import pypdf
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import EXAMPLE_DATA, LiveServer, build_app

# Shown on screen, never on paper.
SCREEN_ONLY = [
    ".skip-link",
    ".site-nav",
    ".button",
    "#countdown",
    ".time-mode",
    ".local-zone",
    ".date-local",
    ".date-status",
    ".calendar-links",
    ".calendar-feed",
    "footer nav",
]
AUTHOR_SECTIONS = {
    "call-for-abstracts": "Call for Abstracts",
    "dates": "Important Dates",
    "posters": "Instructions for Posters",
}
SUBMISSION_URL = "https://cmt3.research.microsoft.com/ML4Astro2023"
INSTRUCTIONS_URL = "https://icml.cc/Conferences/2023/StyleAuthorInstructions"
STYLE_FILES_URL = "https://media.icml.cc/Conferences/ICML2023/Styles/icml2023.zip"
BLACK, WHITE = "rgb(0, 0, 0)", "rgb(255, 255, 255)"


@pytest.fixture(params=["icml2023", "example"])
def edition_server(request: pytest.FixtureRequest) -> Iterator[tuple[str, LiveServer]]:
    """The shipped edition, and the example edition with every section filled (program, news...)."""
    with LiveServer(build_app(EXAMPLE_DATA if request.param == "example" else None)) as server:
        yield request.param, server


def open_enhanced(browser: Browser, url: str, **context_options: object) -> Page:
    """The page with its scripts done: local times and calendar links filled in."""
    page = browser.new_context(locale="en-US", timezone_id="Europe/Paris", **context_options).new_page()
    page.clock.set_fixed_time("2023-06-01T00:00:00Z")
    page.goto(url)
    expect(page.locator("#dates")).to_have_attribute("data-enhanced", "true")
    return page


def normalized(text: str) -> str:
    """PDF text as a reader sees it: ligatures undone (ﬁ -> fi), one space for any run of spaces."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def pdf_pages(page: Page) -> list[str]:
    """Print the page to A4 paper, as the browser's print dialog would; the text of each sheet."""
    reader = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4")))
    return [normalized(sheet.extract_text()) for sheet in reader.pages]


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_print_is_black_on_white_without_screen_controls(
    browser: Browser, live_server: LiveServer, scheme: str
) -> None:
    page = open_enhanced(browser, f"{live_server.url}/", color_scheme=scheme)
    for selector in (".site-nav", ".button", ".date-local", ".calendar-links"):
        expect(page.locator(selector).first).to_be_visible()

    page.emulate_media(media="print")
    for selector in SCREEN_ONLY:
        elements = page.locator(selector)
        for index in range(elements.count()):
            expect(elements.nth(index)).to_be_hidden()
    colors = page.evaluate(
        """() => {
          const style = (selector) => getComputedStyle(document.querySelector(selector));
          return {
            body: [style("body").color, style("body").backgroundColor],
            title: style("h1").color,
            link: style("#call-for-abstracts a").color,
            hero: [style(".hero").backgroundColor, style(".hero").backgroundImage],
          };
        }"""
    )
    assert colors == {
        "body": [BLACK, WHITE],
        "title": BLACK,
        "link": BLACK,
        "hero": ["rgba(0, 0, 0, 0)", "none"],
    }
    page.context.close()


@pytest.mark.browser
def test_printed_page_has_every_section_on_few_pages(browser: Browser, edition_server: tuple[str, LiveServer]) -> None:
    edition, server = edition_server
    page = open_enhanced(browser, f"{server.url}/")
    sheets = pdf_pages(page)
    text = " ".join(sheets)

    # The whole page: a handful of sheets, not one per screen.
    assert 2 <= len(sheets) <= (5 if edition == "icml2023" else 8), f"{len(sheets)} pages"
    for heading in AUTHOR_SECTIONS.values():
        assert heading in text
    for hidden in ("Skip to content", "Add to calendar", "Subscribe to all dates", "See Call For Abstracts"):
        assert hidden not in text
    if edition == "icml2023":
        assert "Submission deadline Friday, May 19, 2023, 23:59 AoE" in text
        assert 'Recommended size: 24"W x 36"H, 61 x 90 cm (A1 portrait)' in text
        # On paper a link cannot be followed: its address follows it (once, when it is its own text).
        assert f"format ({INSTRUCTIONS_URL})" in text
        assert f"LaTeX style files ({STYLE_FILES_URL})" in text
        assert text.count(SUBMISSION_URL) == 1
    page.context.close()


@pytest.mark.browser
def test_call_for_abstracts_dates_and_posters_print_on_two_pages_at_most(
    browser: Browser, edition_server: tuple[str, LiveServer]
) -> None:
    _edition, server = edition_server
    # Printing only what an author needs: the three sections, without the rest of the page.
    page = open_enhanced(browser, f"{server.url}/", bypass_csp=True)
    kept = ", ".join(f"#{section_id}" for section_id in AUTHOR_SECTIONS)
    page.add_style_tag(content=f"header, footer, main > :not({kept}) {{ display: none !important; }}")
    sheets = pdf_pages(page)

    assert 1 <= len(sheets) <= 2, f"{len(sheets)} pages"
    page.emulate_media(media="print")
    for section_id, heading in AUTHOR_SECTIONS.items():
        shown = normalized(page.locator(f"#{section_id}").inner_text())
        assert shown.startswith(heading)
        # The section is on paper to its last words (sheets joined: it may continue on the next one).
        words = shown.split()
        assert normalized(" ".join(sheets)).find(" ".join(words[-6:])) > 0, f"end of #{section_id} not printed"
    page.context.close()
