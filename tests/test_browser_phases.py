"""The workshop's phases in real Chromium, on a phone (390x844), with the browser's clock and zone
emulated and the server's clock frozen at the same instant: what the first screen shows in each
phase, with and without JavaScript, the live banner moving on at a session boundary without a
reload, one calendar control per program row, and no axe-core violation in any phase."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import EXAMPLE_DATA, LiveServer, build_app
from tests.test_browser import AXE_SCRIPT, WCAG_TAGS
from tests.test_phases import FrozenClock
from workshop import clock

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
HONOLULU = dt.timezone(dt.timedelta(hours=-10))
COFFEE_BREAK = dt.datetime(2030, 7, 28, 10, 30, tzinfo=HONOLULU)

# (edition, instant, phase, what the first screen says, where its button leads)
MOMENTS = [
    ("example", dt.datetime(2030, 5, 20, tzinfo=dt.UTC), "call", "left (until", "#call-for-abstracts"),
    ("example", dt.datetime(2030, 6, 20, tzinfo=dt.UTC), "program", "The program is out.", "#schedule"),
    ("example", COFFEE_BREAK, "live", "Now: Coffee break", "https://example.org/live"),
    ("example", dt.datetime(2030, 8, 1, tzinfo=dt.UTC), "archive", "The workshop took place.", "#papers"),
    ("icml2023", dt.datetime(2023, 5, 1, tzinfo=dt.UTC), "call", "left (until", "#call-for-abstracts"),
    ("icml2023", dt.datetime(2023, 6, 1, tzinfo=dt.UTC), "review", "Authors hear back on", "#dates"),
    ("icml2023", dt.datetime(2023, 7, 1, tzinfo=dt.UTC), "program", "The program is being prepared.", "#program"),
    ("icml2023", dt.datetime(2023, 8, 1, tzinfo=dt.UTC), "archive", "The workshop took place.", "#program"),
]


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> FrozenClock:
    """The server's clock (it runs in this process, in a thread)."""
    server_clock = FrozenClock(dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    monkeypatch.setattr(clock, "now", server_clock)
    return server_clock


class Servers:
    """A server per edition, started on first use: each test its own (the tests move the clock back and forth)."""

    def __init__(self) -> None:
        self.started: dict[str, LiveServer] = {}

    def __getitem__(self, edition: str) -> LiveServer:
        if edition not in self.started:
            server = LiveServer(build_app(EXAMPLE_DATA if edition == "example" else None))
            self.started[edition] = server.__enter__()
        return self.started[edition]


@pytest.fixture
def servers() -> Iterator[Servers]:
    started = Servers()
    yield started
    for server in started.started.values():
        server.__exit__(None, None, None)


def open_phone(browser: Browser, url: str, instant: dt.datetime, *, javascript: bool = True, **options: object) -> Page:
    context = browser.new_context(
        **{"locale": "en-US", "timezone_id": "Europe/Paris", **options},
        viewport=PHONE,
        java_script_enabled=javascript,
    )
    page = context.new_page()
    if javascript:
        page.clock.install(time=instant)
    page.goto(url)
    if javascript:
        expect(page.locator("#dates")).to_have_attribute("data-enhanced", "true")
    return page


def on_first_screen(page: Page, selector: str) -> bool:
    """Whether the element is shown and wholly within the first 844 pixels."""
    box = page.locator(selector).bounding_box()
    return box is not None and page.locator(selector).is_visible() and box["y"] >= 0 and box["y"] + box["height"] <= 844


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("moment", MOMENTS, ids=[f"{edition}-{phase}" for edition, _, phase, _, _ in MOMENTS])
def test_the_first_screen_shows_what_the_moment_is_about(
    browser: Browser, servers: Servers, frozen: FrozenClock, javascript: bool, moment: tuple
) -> None:
    edition, instant, phase, says, leads_to = moment
    frozen.instant = instant
    page = open_phone(browser, f"{servers[edition].url}/", instant, javascript=javascript)
    shown = page.locator(f".phase[data-phase={phase}]")
    expect(shown).to_be_visible()
    expect(page.locator(".phase:visible")).to_have_count(1)
    button = shown.locator(".button")
    assert button.get_attribute("href") == leads_to
    assert on_first_screen(page, f".phase[data-phase={phase}] .button")
    if phase == "live":
        assert on_first_screen(page, "#live-banner")
        banner = page.locator("#live-banner")
        expect(banner.locator(".live-now")).to_contain_text(says)
        expect(banner.get_by_role("link", name="Watch the stream")).to_be_visible()
        if javascript:  # the visitor's time beside the venue's
            expect(banner.locator(".live-now")).to_contain_text("your time")
    elif says != "left (until" or javascript:  # the countdown is JavaScript's
        expect(page.locator("header")).to_contain_text(says)
        assert page.locator("header").get_by_text(says).first.bounding_box()["y"] < 844
    if edition == "example" and phase != "call":
        # The news about the extended deadline no longer takes the first screen.
        expect(page.locator("#announcements details")).not_to_have_attribute("open", "")
        assert page.locator("#announcement-deadline-extended").is_hidden()


def test_the_live_banner_moves_on_at_a_session_boundary_without_a_reload(
    browser: Browser, servers: Servers, frozen: FrozenClock
) -> None:
    instant = dt.datetime(2030, 7, 28, 10, 44, 30, tzinfo=HONOLULU)
    frozen.instant = instant
    page = open_phone(browser, f"{servers['example'].url}/", instant)
    page.evaluate("window.notReloaded = true")
    banner = page.locator("#live-banner")
    expect(banner.locator(".live-now")).to_contain_text("Now: Coffee break")
    expect(banner.locator(".live-next")).to_contain_text("Next: Poster session")
    expect(banner.locator("[aria-live=polite]")).to_have_count(1)
    page.clock.run_for("00:00:31")  # 10:45:01: the poster session has begun
    expect(banner.locator(".live-now")).to_contain_text("Now: Poster session")
    expect(banner.locator(".live-next")).to_contain_text("Next: Panel")
    assert page.evaluate("window.notReloaded") is True


def banner_lines(page: Page) -> list[str]:
    """The banner's two lines, spaces collapsed (Intl writes a narrow no-break space before PM)."""
    return [" ".join(page.locator(f"#live-banner .{line}").inner_text().split()) for line in ("live-now", "live-next")]


def test_the_live_banner_says_times_in_one_wording_with_and_without_javascript(
    browser: Browser, servers: Servers, frozen: FrozenClock
) -> None:
    frozen.instant = COFFEE_BREAK
    url = f"{servers['example'].url}/"
    served = banner_lines(open_phone(browser, url, COFFEE_BREAK, javascript=False))
    assert served == [
        "Now: Coffee break (10:15\u201310:45 venue time)",
        "Next: Poster session (10:45\u201312:00 venue time)",
    ]
    # At the venue, JavaScript writes the very same lines; elsewhere it adds the visitor's time to them.
    at_the_venue = open_phone(browser, url, COFFEE_BREAK, timezone_id="Pacific/Honolulu")
    expect(at_the_venue.locator("#live-banner .live-now")).to_have_attribute("data-shown", "session-coffee")
    assert banner_lines(at_the_venue) == served
    in_paris = open_phone(browser, url, COFFEE_BREAK)
    expect(in_paris.locator("#live-banner .live-now")).to_have_attribute("data-shown", "session-coffee")
    # In the page's language (the example's en-GB: a 24-hour clock), whatever the browser's.
    assert banner_lines(in_paris) == [
        "Now: Coffee break (10:15\u201310:45 venue time, 22:15\u201322:45 your time)",
        "Next: Poster session (10:45\u201312:00 venue time, 22:45\u201300:00 your time)",
    ]


def test_the_phase_changes_at_its_boundary_without_a_reload(
    browser: Browser, servers: Servers, frozen: FrozenClock
) -> None:
    instant = dt.datetime(2030, 7, 28, 8, 49, 50, tzinfo=HONOLULU)  # 10 s before the first session
    frozen.instant = instant
    page = open_phone(browser, f"{servers['example'].url}/", instant)
    expect(page.locator("#live-banner")).to_be_hidden()
    expect(page.locator(".phase[data-phase=program]")).to_be_visible()
    page.clock.run_for("00:00:11")
    expect(page.locator("#live-banner")).to_be_visible()
    expect(page.locator("#live-banner .live-now")).to_contain_text("Now: Welcome and introduction")
    expect(page.locator(".phase[data-phase=live]")).to_be_visible()
    expect(page.locator(".phase[data-phase=program]")).to_be_hidden()


def test_one_calendar_control_per_program_row_on_a_phone(
    browser: Browser, servers: Servers, frozen: FrozenClock
) -> None:
    frozen.instant = dt.datetime(2030, 6, 20, tzinfo=dt.UTC)
    page = open_phone(browser, f"{servers['example'].url}/", frozen.instant)
    rows = page.locator("#program .session")
    for index in range(rows.count()):
        row = rows.nth(index)
        expect(row.locator("a:visible, summary:visible").filter(has_text="calendar")).to_have_count(1)
        expect(row.get_by_role("link", name="Google Calendar")).to_be_hidden()
    first = rows.first
    first.locator("summary").click()
    expect(first.get_by_role("link", name="Google Calendar")).to_be_visible()
    expect(first.locator("a[type='text/calendar']")).to_be_visible()


@pytest.mark.parametrize("moment", MOMENTS, ids=[f"{edition}-{phase}" for edition, _, phase, _, _ in MOMENTS])
def test_no_accessibility_violations_in_any_phase(
    browser: Browser, servers: Servers, frozen: FrozenClock, moment: tuple
) -> None:
    edition, instant, phase, _says, _leads_to = moment
    frozen.instant = instant
    page = open_phone(browser, f"{servers[edition].url}/", instant, bypass_csp=True)
    expect(page.locator(f".phase[data-phase={phase}]")).to_be_visible()
    page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    problems = [f"{violation['id']}: {violation['nodes'][0]['target']}" for violation in results["violations"]]
    assert problems == []
    assert results["passes"], "axe ran no checks"
