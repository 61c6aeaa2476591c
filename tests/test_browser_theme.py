"""Themes that `check` accepts keep axe-core at 0 violations, in light and dark mode, in real Chromium:
the shipped look (a night sky under an overlay), a light header and a dark one, each near its 4.5:1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, expect

from tests.conftest import LiveServer, build_app
from tests.test_browser import AXE_SCRIPT, WCAG_TAGS, open_page
from tests.test_theme import DARK_HEADER, LIGHT_HEADER, write_theme
from workshop.cli import main

THEMES = {"shipped": None, "light-header": LIGHT_HEADER, "dark-header": DARK_HEADER}


@pytest.fixture(params=list(THEMES))
def themed_server(request: pytest.FixtureRequest, data_dir: Path) -> Iterator[LiveServer]:
    theme = THEMES[request.param]
    if theme is not None:
        write_theme(data_dir, theme)
    assert CliRunner().invoke(main, ["check", "--data-dir", str(data_dir)]).exit_code == 0
    with LiveServer(build_app(data_dir)) as server:
        yield server


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_themes_that_pass_check_have_no_accessibility_violations(
    browser: Browser, themed_server: LiveServer, scheme: str
) -> None:
    page = open_page(browser, viewport={"width": 1280, "height": 800}, color_scheme=scheme, bypass_csp=True)
    page.goto(f"{themed_server.url}/")
    expect(page.locator("#dates")).to_have_attribute("data-enhanced", "true")
    # The theme is applied: the header has the theme's colour, not the browser's default.
    assert page.evaluate("getComputedStyle(document.querySelector('.site-nav')).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    problems = [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])}x, e.g. {violation['nodes'][0]['target']})"
        for violation in results["violations"]
    ]
    assert problems == []
    assert "color-contrast" in {rule["id"] for rule in results["passes"]}
