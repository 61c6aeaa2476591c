"""Time done right for visitors, in real Chromium: countdown, venue/local switch with day
markers, now/next marks, DST, and a page that follows organizers' edits without a reload."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from tests.conftest import EXAMPLE_DATA, LiveServer, build_app, edit_data_file
from tests.test_reload import ROBUSTNESS
from workshop import clock

pytestmark = pytest.mark.browser

ZONES = ["Pacific/Honolulu", "Europe/Paris", "Asia/Tokyo"]


@pytest.fixture
def example_server() -> Iterator[LiveServer]:
    """The example edition: a published program on 2030-07-28 in Honolulu, and deadlines."""
    with LiveServer(build_app(EXAMPLE_DATA)) as server:
        yield server


def open_page(browser: Browser, url: str, *, now: str, time_zone: str = "Europe/Paris", **options: object) -> Page:
    page = browser.new_context(locale="en-US", timezone_id=time_zone, **options).new_page()
    page.clock.install(time=now)
    page.goto(url)
    expect(page.locator("#dates")).to_have_attribute("data-enhanced", "true")
    return page


# --- Countdown -------------------------------------------------------------------


@pytest.fixture
def server_clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Set the server's clock (it runs in this process) to the browser's emulated instant."""

    def set_to(now: str) -> None:
        instant = dt.datetime.fromisoformat(now)
        monkeypatch.setattr(clock, "now", lambda: instant)

    return set_to


def test_countdown_to_the_submission_deadline_while_the_call_is_open(
    browser: Browser, live_server: LiveServer, server_clock: Callable[[str], None]
) -> None:
    # Whole minutes left are shown: 19 days, 11 hours, 59 minutes and 30 seconds.
    server_clock("2023-04-30T23:59:30Z")
    page = open_page(browser, f"{live_server.url}/", now="2023-04-30T23:59:30Z")
    countdown = page.locator("#countdown")
    expect(countdown).to_be_visible()
    expect(countdown).to_have_attribute("data-deadline", "submission-deadline")
    expect(countdown.locator(".countdown-left")).to_have_text("19 days, 11 hours, 59 minutes")


@pytest.mark.parametrize("now", ["2023-06-01T00:00:00Z", "2023-07-11T12:00:30Z", "2023-08-01T00:00:00Z"])
def test_no_countdown_once_the_call_has_closed(
    browser: Browser, live_server: LiveServer, server_clock: Callable[[str], None], now: str
) -> None:
    server_clock(now)
    page = open_page(browser, f"{live_server.url}/", now=now)
    expect(page.locator("#countdown")).to_be_hidden()


def test_countdown_updates_while_the_page_is_open(
    browser: Browser, live_server: LiveServer, server_clock: Callable[[str], None]
) -> None:
    server_clock("2023-04-30T23:59:30Z")
    page = open_page(browser, f"{live_server.url}/", now="2023-04-30T23:59:30Z")
    left = page.locator("#countdown .countdown-left")
    expect(left).to_have_text("19 days, 11 hours, 59 minutes")
    page.clock.run_for("01:00:00")
    expect(left).to_have_text("19 days, 10 hours, 59 minutes")


def test_the_countdown_goes_with_the_call_at_the_deadline(
    browser: Browser, live_server: LiveServer, server_clock: Callable[[str], None]
) -> None:
    server_clock("2023-05-20T11:57:30Z")  # 90 s before 23:59 AoE
    page = open_page(browser, f"{live_server.url}/", now="2023-05-20T11:57:30Z")
    expect(page.locator("#countdown .countdown-left")).to_have_text("0 days, 0 hours, 1 minute")
    page.clock.run_for("00:01:31")
    expect(page.locator("#countdown")).to_be_hidden()
    expect(page.locator(".phase[data-phase=review]")).to_be_visible()


# --- Program: venue or local time, day markers, now and next ----------------------


@pytest.mark.parametrize("time_zone", ZONES)
def test_program_switches_between_venue_and_local_time(
    browser: Browser, example_server: LiveServer, time_zone: str
) -> None:
    page = open_page(browser, f"{example_server.url}/", now="2030-06-01T00:00:00Z", time_zone=time_zone)
    keynote = page.locator("#session-keynote-doe .session-time")
    panel = page.locator("#session-panel")
    switch = page.locator("fieldset.time-mode")
    expect(switch).to_be_visible()
    expect(keynote).to_have_text("09:00\u201309:45")  # venue time by default
    expect(page.locator(".day-shift")).to_have_count(0)

    switch.get_by_label(re.compile("Your time")).check()
    # In the page's language (the example's en-GB: a 24-hour clock), whatever the browser's (en-US).
    expected = {
        # Honolulu: venue time is local time.
        "Pacific/Honolulu": ("09:00\u201309:45", None),
        # Paris (CEST, UTC+2): 09:00 HST is 21:00 the same day; the 16:00 panel is 04:00 the next day.
        "Europe/Paris": ("21:00\u201321:45", "+1 day"),
        # Tokyo (UTC+9): every session is on the next day.
        "Asia/Tokyo": ("04:00\u201304:45", "+1 day"),
    }[time_zone]
    expect(keynote).to_have_text(expected[0])
    if expected[1]:
        expect(panel.locator(".day-shift")).to_have_text(expected[1])
    else:
        expect(page.locator(".day-shift")).to_have_count(0)
    expect(page.locator("#program .zone-note")).to_contain_text(time_zone)
    # The datetime attributes stay unambiguous whatever is shown.
    assert keynote.locator("time").first.get_attribute("datetime") == "2030-07-28T09:00:00-10:00"

    # The choice is remembered on the next visit.
    page.reload()
    expect(page.get_by_label(re.compile("Your time"))).to_be_checked()
    expect(keynote).to_have_text(expected[0])
    page.get_by_label(re.compile("Venue time")).check()
    page.reload()
    expect(keynote).to_have_text("09:00\u201309:45")


def test_switch_works_with_the_keyboard(browser: Browser, example_server: LiveServer) -> None:
    page = open_page(browser, f"{example_server.url}/", now="2030-06-01T00:00:00Z", time_zone="Asia/Tokyo")
    page.get_by_label(re.compile("Venue time")).focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_label(re.compile("Your time"))).to_be_checked()
    expect(page.locator("#session-keynote-doe .session-time")).to_have_text("04:00\u201304:45")
    focused = page.evaluate("document.activeElement.value")
    assert focused == "local"


@pytest.mark.parametrize(
    ("now", "current", "upcoming"),
    [
        ("2030-07-27T12:00:00Z", None, None),  # the day before: no marks
        ("2030-07-28T19:10:00Z", "keynote-doe", "spotlights-morning"),  # 09:10 in Honolulu
        ("2030-07-28T20:20:00Z", "coffee", "posters"),
        ("2030-07-29T19:30:00Z", None, None),  # after the last session
    ],
)
def test_now_and_next_on_the_event_day(
    browser: Browser, example_server: LiveServer, now: str, current: str | None, upcoming: str | None
) -> None:
    page = open_page(browser, f"{example_server.url}/", now=now, time_zone="Europe/Paris")
    expect(page.locator(".session.is-now")).to_have_count(1 if current else 0)
    expect(page.locator(".session.is-next")).to_have_count(1 if upcoming else 0)
    if current:
        expect(page.locator(f"#session-{current} .session-state")).to_have_text("Now")
    if upcoming:
        expect(page.locator(f"#session-{upcoming} .session-state")).to_have_text("Next")


def test_now_moves_on_as_time_passes(browser: Browser, example_server: LiveServer) -> None:
    page = open_page(browser, f"{example_server.url}/", now="2030-07-28T19:40:00Z", time_zone="Asia/Tokyo")
    expect(page.locator("#session-keynote-doe")).to_have_class(re.compile(r"\bis-now\b"))
    page.clock.run_for("00:10:00")  # 09:50 in Honolulu: the spotlights have started
    expect(page.locator("#session-spotlights-morning")).to_have_class(re.compile(r"\bis-now\b"))
    expect(page.locator("#session-coffee")).to_have_class(re.compile(r"\bis-next\b"))


def test_times_stay_right_across_a_dst_change(browser: Browser, live_server: LiveServer) -> None:
    """Paris moves from UTC+1 to UTC+2 at 01:00 UTC on 2030-03-31."""
    page = open_page(browser, f"{live_server.url}/", now="2023-05-01T00:00:00Z", time_zone="Europe/Paris")
    results = page.evaluate(
        """async () => {
            const time = await import('/static/js/time.js');
            const zone = 'Europe/Paris';
            return {
                before: time.formatClock('2030-03-31T00:30:00Z', zone, 'en-GB'),
                after: time.formatClock('2030-03-31T01:30:00Z', zone, 'en-GB'),
                zoneBefore: time.zoneAbbreviation('2030-03-31T00:30:00Z', zone, 'en-GB'),
                zoneAfter: time.zoneAbbreviation('2030-03-31T01:30:00Z', zone, 'en-GB'),
                // 24 hours across the change: one day, not one day and an hour.
                across: time.describeDuration(
                    time.timeUntil('2030-03-31T12:00:00Z', Date.parse('2030-03-30T12:00:00Z'))),
            };
        }"""
    )
    assert results == {
        "before": "01:30",
        "after": "03:30",
        "zoneBefore": "CET",
        "zoneAfter": "CEST",
        "across": "1 day, 0 hours, 0 minutes",
    }


# --- A page that follows organizers' edits ----------------------------------------


def wait_for_new_content(base_url: str, old_version: str) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{base_url}/api/v1/status.json", timeout=5) as response:
            if json.load(response)["content_version"] != old_version:
                return
        time.sleep(0.1)
    raise AssertionError("the server did not pick up the edit")


def test_open_page_picks_up_an_edit_keeping_scroll_and_focus(
    browser: Browser, data_dir: Path, make_app: Callable[..., Flask]
) -> None:
    app = make_app(data_dir, CONTENT_RELOAD=True)
    page_statuses: list[int] = []
    serve = app.wsgi_app

    def record(environ: dict, start_response: Callable) -> object:
        # Outside every layer of the app: what the browser really got for the page.
        def recording(status: str, headers: list, exc_info: object = None) -> object:
            if environ["PATH_INFO"] == "/":
                page_statuses.append(int(status[:3]))
            return start_response(status, headers, exc_info)

        return serve(environ, recording)

    app.wsgi_app = record  # type: ignore[method-assign]

    with LiveServer(app) as server:
        page = open_page(browser, f"{server.url}/", now="2023-05-01T00:00:00Z")
        version = page.evaluate("fetch('/api/v1/status.json').then(r => r.json()).then(s => s.content_version)")

        # Nothing changed: the check costs a 304 and leaves the page alone.
        page.clock.run_for("00:00:31")
        deadline = time.monotonic() + 15
        while page_statuses[-1:] != [304] and time.monotonic() < deadline:
            page.wait_for_timeout(50)
        assert page_statuses == [200, 304]

        button = page.locator("#rationale .button")
        button.focus()
        page.locator("#posters").scroll_into_view_if_needed()
        top_before = page.locator("#posters").evaluate("element => element.getBoundingClientRect().top")

        edited = "Robustness to distribution shifts and model misspecification"
        edit_data_file(data_dir / "icml2023" / "topics.yaml", ROBUSTNESS, edited)
        wait_for_new_content(server.url, version)
        page.clock.run_for("00:00:31")

        expect(page.locator("#topic-robustness")).to_have_text(edited)
        assert page.url == f"{server.url}/"  # no navigation
        assert page.evaluate("document.activeElement.closest('#rationale') !== null")
        assert page.evaluate("document.activeElement.classList.contains('button')")
        top_after = page.locator("#posters").evaluate("element => element.getBoundingClientRect().top")
        assert abs(top_after - top_before) <= 2
        # The enhancements are applied to the new content too.
        expect(page.locator("#dates")).to_have_attribute("data-enhanced", "true")
        expect(page.locator("#live-status")).to_contain_text("updated")
        store = app.extensions["workshop.store"]
        store.stop_watching()


def test_nothing_is_polled_while_the_tab_is_hidden(browser: Browser, live_server: LiveServer) -> None:
    page = open_page(browser, f"{live_server.url}/", now="2023-05-01T00:00:00Z")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.evaluate(
        """() => {
            Object.defineProperty(document, 'hidden', {value: true, configurable: true});
            Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});
            document.dispatchEvent(new Event('visibilitychange'));
        }"""
    )
    page.clock.run_for("00:05:00")
    page.wait_for_timeout(300)
    assert requests == []
    # Back in view: it checks at once.
    page.evaluate(
        """() => {
            Object.defineProperty(document, 'hidden', {value: false, configurable: true});
            Object.defineProperty(document, 'visibilityState', {value: 'visible', configurable: true});
            document.dispatchEvent(new Event('visibilitychange'));
        }"""
    )
    deadline = time.monotonic() + 10  # at once; room for a busy machine
    while f"{live_server.url}/" not in requests and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert f"{live_server.url}/" in requests
