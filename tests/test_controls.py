"""Every control, as a visitor uses it in real Chromium: calendar links, keyboard focus, reduced motion."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from icalendar import Calendar
from playwright.sync_api import Browser, expect

from tests.conftest import LiveServer

pytestmark = pytest.mark.browser


def test_add_to_calendar_links_give_the_right_event(browser: Browser, live_server: LiveServer) -> None:
    page = browser.new_context(locale="en-US").new_page()
    page.goto(f"{live_server.url}/")
    item = page.locator("#date-submission-deadline")
    ics_link = item.get_by_role("link", name=re.compile(r"Add to calendar\s*: Submission deadline"))
    expect(ics_link).to_be_visible()
    response = page.request.get(f"{live_server.url}{ics_link.get_attribute('href')}")
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(response.body()).walk("VEVENT")
    assert event.decoded("dtstart").isoformat() == "2023-05-20T11:59:00+00:00"  # 23:59 AoE
    google = item.get_by_role("link", name=re.compile("Submission deadline to Google Calendar"))
    query = parse_qs(urlsplit(google.get_attribute("href")).query)
    assert query["dates"] == ["20230520T115900Z/20230520T115900Z"]
    assert query["text"][0].startswith("Submission deadline")


def test_keyboard_focus_is_always_visible(browser: Browser, live_server: LiveServer) -> None:
    page = browser.new_context(locale="en-US").new_page()
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    # The first stop is the skip link, shown on focus, and it leads to the main content.
    skip = page.locator(":focus")
    expect(skip).to_have_text("Skip to content")
    assert skip.evaluate("element => element.getBoundingClientRect().top >= 0")
    for _ in range(12):
        focused = page.locator(":focus")
        outline = focused.evaluate("element => getComputedStyle(element).outlineStyle")
        assert outline not in ("none", ""), focused.evaluate("element => element.outerHTML.slice(0, 80)")
        page.keyboard.press("Tab")


@pytest.mark.parametrize(("motion", "behavior"), [("reduce", "auto"), ("no-preference", "smooth")])
def test_reduced_motion_is_respected(browser: Browser, live_server: LiveServer, motion: str, behavior: str) -> None:
    page = browser.new_context(reduced_motion=motion).new_page()
    page.goto(f"{live_server.url}/")
    assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == behavior
