"""The accepted papers' filter in real Chromium: typing filters by title, author and track, empty groups
go, the count is announced, the keyboard reaches it, and axe finds nothing wrong in the section."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from tests.conftest import EXAMPLE_DATA, LiveServer, build_app
from tests.test_browser import AXE_SCRIPT, WCAG_TAGS, open_page

TRACKS = ("Extended abstracts", "Posters", "Software")


def many_papers(tmp_path: Path, count: int = 30) -> Path:
    """The example data with ``count`` papers: one in each session, the rest in three tracks."""
    import shutil

    target = tmp_path / "data"
    shutil.copytree(EXAMPLE_DATA, target)
    papers_file = target / "example" / "papers.yaml"
    papers = yaml.safe_load(papers_file.read_text(encoding="utf-8"))
    for number in range(len(papers["papers"]), count):
        papers["papers"].append(
            {
                "id": f"paper-{number}",
                "title": f"Study number {number} of {'galaxies' if number % 2 else 'exoplanets'}",
                "authors": [{"name": f"Author {number} Example", "presenter": True}],
                "track": TRACKS[number % len(TRACKS)],
            }
        )
    papers_file.write_text(yaml.safe_dump(papers, allow_unicode=True), encoding="utf-8")
    return target


@pytest.fixture
def papers_server(tmp_path: Path) -> Iterator[LiveServer]:
    with LiveServer(build_app(many_papers(tmp_path))) as server:
        yield server


def shown(page: Page) -> int:
    return page.locator(".accepted-papers .papers > li:visible").count()


@pytest.mark.browser
def test_typing_filters_the_papers_and_announces_the_count(browser: Browser, papers_server: LiveServer) -> None:
    page = open_page(browser)
    page.goto(f"{papers_server.url}/example/")
    field = page.get_by_label("Filter by title, author or track")
    expect(field).to_be_visible()
    assert shown(page) == 30
    status = page.locator(".paper-filter-count")
    expect(status).to_have_attribute("aria-live", "polite")

    # By title: 14 of the 28 generated papers are about galaxies (odd numbers), none of the example's two.
    field.press_sequentially("galax")
    expect(status).to_have_text("14 of 30 papers shown.")
    assert shown(page) == 14
    # A group with nothing left is hidden: the sessions' groups hold the example's papers.
    expect(page.locator(".paper-group", has_text="Spotlight talks")).to_be_hidden()

    # By author, in any case.
    field.fill("")
    field.press_sequentially("AUTHOR 17 example")
    expect(status).to_have_text("1 of 30 papers shown.")
    expect(page.locator("#paper-paper-17")).to_be_visible()

    # By track, which here is the group's heading.
    field.fill("software")
    expect(status).to_have_text("10 of 30 papers shown.")
    assert shown(page) == 10

    # By an author of a paper a session presents.
    field.fill("grace")
    expect(status).to_have_text("1 of 30 papers shown.")
    expect(page.locator("#paper-fast-emulators")).to_be_visible()

    # By the track of a paper a session presents, which its item does not show (9 generated papers have it too).
    field.fill("extended abstracts")
    expect(status).to_have_text("10 of 30 papers shown.")
    expect(page.locator("#paper-fast-emulators")).to_be_visible()

    field.fill("")
    expect(status).to_have_text("All 30 papers shown.")
    assert shown(page) == 30


@pytest.mark.browser
def test_the_filter_is_reached_and_used_with_the_keyboard(browser: Browser, papers_server: LiveServer) -> None:
    page = open_page(browser)
    page.goto(f"{papers_server.url}/example/")
    expect(page.locator(".paper-filter")).to_be_visible()
    # Tab from the heading of the section that holds the list: the next stop is the field.
    page.locator("#papers").evaluate("heading => { heading.tabIndex = -1; heading.focus(); }")
    page.keyboard.press("Tab")
    expect(page.locator("#paper-filter-input")).to_be_focused()
    page.keyboard.type("exoplanets")
    expect(page.locator(".paper-filter-count")).to_have_text("14 of 30 papers shown.")


@pytest.mark.browser
def test_without_javascript_every_paper_is_listed_and_no_field_shows(
    browser: Browser, papers_server: LiveServer
) -> None:
    page = open_page(browser, java_script_enabled=False)
    page.goto(f"{papers_server.url}/example/")
    assert shown(page) == 30
    expect(page.locator("#paper-filter-input")).to_be_hidden()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_papers_section_has_no_accessibility_violations(
    browser: Browser, papers_server: LiveServer, scheme: str
) -> None:
    page = open_page(browser, viewport={"width": 360, "height": 800}, color_scheme=scheme, bypass_csp=True)
    page.goto(f"{papers_server.url}/example/")
    page.get_by_label("Filter by title, author or track").fill("galax")
    expect(page.locator(".paper-filter-count")).to_have_text("14 of 30 papers shown.")
    page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate("tags => axe.run('.accepted-papers', {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    assert [(violation["id"], violation["nodes"][0]["target"]) for violation in results["violations"]] == []
    assert results["passes"], "axe ran no checks"
