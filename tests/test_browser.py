"""The page in real Chromium: local times per time zone, "passed" marks, phone and dark layouts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import EXAMPLE_DATA, PROJECT_ROOT, LiveServer, build_app

SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
SUBMISSION_DEADLINE_UTC = dt.datetime(2023, 5, 20, 11, 59, tzinfo=dt.UTC)  # 2023-05-19 23:59 AoE
# Between the submission deadline and the author notification.
BETWEEN_DEADLINES = "2023-06-01T00:00:00Z"


@pytest.fixture(params=["icml2023", "example"])
def any_edition(request: pytest.FixtureRequest) -> Iterator[tuple[str, LiveServer]]:
    """The shipped edition, and the example edition that uses every feature (program, papers, news...)."""
    with LiveServer(build_app(EXAMPLE_DATA if request.param == "example" else None)) as server:
        yield request.param, server


PASSED_CLASS = re.compile(r"\bis-passed\b")


def open_page(browser: Browser, **context_options: object) -> Page:
    return browser.new_context(locale="en-US", **context_options).new_page()


@pytest.mark.browser
@pytest.mark.parametrize("time_zone", ["Pacific/Honolulu", "Europe/Paris", "Asia/Tokyo"])
def test_dates_show_the_visitors_local_time(browser: Browser, live_server: LiveServer, time_zone: str) -> None:
    page = open_page(browser, timezone_id=time_zone)
    page.clock.set_fixed_time(BETWEEN_DEADLINES)
    page.goto(f"{live_server.url}/")
    expect(page.locator("#dates")).to_have_attribute("data-enhanced", "true")

    local = SUBMISSION_DEADLINE_UTC.astimezone(ZoneInfo(time_zone))
    deadline = page.locator("#date-submission-deadline")
    local_text = deadline.locator(".date-local")
    expect(local_text).to_be_visible()
    # The AoE time stays, and the visitor's own day and hour sit beside it.
    expect(deadline).to_contain_text("May 19, 2023, 23:59 AoE")
    expect(local_text).to_contain_text(f"{local:%b} {local.day}, {local.year}")
    expect(local_text).to_contain_text(re.compile(rf"\b{local:%I:%M}\s{local:%p}"))
    expect(page.locator(".local-zone")).to_contain_text(time_zone)
    local_iso = local_text.locator("time").get_attribute("datetime")
    assert dt.datetime.fromisoformat(local_iso) == SUBMISSION_DEADLINE_UTC

    # A date-only deadline counts until the end of its day AoE.
    paper = page.locator("#date-camera-ready-paper .date-local")
    paper_end = dt.datetime(2023, 7, 11, 11, 59, 59, tzinfo=dt.UTC).astimezone(ZoneInfo(time_zone))
    expect(paper).to_contain_text("until ")
    expect(paper).to_contain_text(f"{paper_end:%b} {paper_end.day}")

    # Every date gets a local reading, the not-yet-fixed workshop day included.
    for item_id in ["author-notification", "camera-ready-poster", "workshop"]:
        expect(page.locator(f"#date-{item_id} .date-local time").first).to_be_visible()
    workshop_start = dt.datetime(2023, 7, 28, 12, 0, tzinfo=dt.UTC).astimezone(ZoneInfo(time_zone))
    expect(page.locator("#date-workshop .date-local")).to_contain_text(
        f"between {workshop_start:%a}, {workshop_start:%b} {workshop_start.day}"
    )


@pytest.mark.browser
@pytest.mark.parametrize(
    ("now", "passed", "upcoming"),
    [
        ("2023-05-01T00:00:00Z", [], ["submission-deadline", "author-notification", "workshop"]),
        ("2023-06-01T00:00:00Z", ["submission-deadline"], ["author-notification", "camera-ready-paper", "workshop"]),
        (
            "2023-08-01T00:00:00Z",
            ["submission-deadline", "author-notification", "camera-ready-paper", "camera-ready-poster", "workshop"],
            [],
        ),
    ],
)
def test_passed_dates_are_marked(
    browser: Browser, live_server: LiveServer, now: str, passed: list[str], upcoming: list[str]
) -> None:
    page = open_page(browser, timezone_id="Europe/Paris")
    page.clock.set_fixed_time(now)
    page.goto(f"{live_server.url}/")
    expect(page.locator("#dates")).to_have_attribute("data-enhanced", "true")
    for date_id in passed:
        expect(page.locator(f"#date-{date_id} .date-status")).to_have_text("Passed")
        expect(page.locator(f"#date-{date_id}")).to_have_class(PASSED_CLASS)
    for date_id in upcoming:
        expect(page.locator(f"#date-{date_id} .date-status")).to_be_hidden()
        expect(page.locator(f"#date-{date_id}")).not_to_have_class(PASSED_CLASS)


@pytest.mark.browser
def test_page_without_javascript_shows_every_date_in_aoe(browser: Browser, live_server: LiveServer) -> None:
    page = open_page(browser, java_script_enabled=False)
    page.goto(f"{live_server.url}/")
    dates = page.locator("#dates")
    for text in ["May 19, 2023, 23:59 AoE", "June 16, 2023 AoE", "July 10, 2023 AoE", "July 21, 2023 AoE", "July 28"]:
        expect(dates).to_contain_text(text)
    expect(page.locator(".date-local").first).to_be_hidden()


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_layout_fits_and_stays_on_site(
    browser: Browser, any_edition: tuple[str, LiveServer], width: int, scheme: str
) -> None:
    edition, live_server = any_edition
    page = open_page(browser, viewport={"width": width, "height": 800}, color_scheme=scheme)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server.url}/")
    expect(page.locator("#dates")).to_have_attribute("data-enhanced", "true")
    # No sideways scrolling on a phone; no request to any other origin.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert requests and all(url.startswith(live_server.url) for url in requests), requests
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(255, 255, 255)") == (scheme == "light")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{edition}-{width}-{scheme}.png"), full_page=True)


AXE_SCRIPT = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_accessibility_violations(
    browser: Browser, any_edition: tuple[str, LiveServer], width: int, scheme: str
) -> None:
    edition, live_server = any_edition
    assert AXE_SCRIPT.exists(), "axe-core is missing: run `make test` (it runs `npm ci`)"
    # bypass_csp only lets the test inject axe; the page itself runs under its real policy elsewhere.
    page = open_page(browser, viewport={"width": width, "height": 800}, color_scheme=scheme, bypass_csp=True)
    page.goto(f"{live_server.url}/")
    expect(page.locator("#dates")).to_have_attribute("data-enhanced", "true")
    if edition == "example":  # checked with the venue, the sponsors (a logo) and a section of its own, with a heading
        expect(page.locator("#venue, #sponsors, #code-of-conduct")).to_have_count(3)
        expect(page.locator("#code-of-conduct h3")).to_have_count(1)
    page.add_script_tag(path=str(AXE_SCRIPT))
    # WCAG, and the outline (an own section's headings nest under its title): axe's heading-order.
    rules = "rules => axe.run(document, {runOnly: {type: 'rule', values: rules}})"
    for results in (
        page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS),
        page.evaluate(rules, ["heading-order"]),
    ):
        problems = [
            f"{found['id']}: {found['help']} ({len(found['nodes'])}x, e.g. {found['nodes'][0]['target']})"
            for found in results["violations"]
        ]
        assert problems == []
        assert results["passes"], "axe ran no checks"


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_api_page_has_no_accessibility_violations(browser: Browser, live_server: LiveServer, scheme: str) -> None:
    # /api/: WCAG and axe's best practices (heading order, landmarks), on a phone, where it must not scroll sideways.
    page = open_page(browser, viewport={"width": 360, "height": 800}, color_scheme=scheme, bypass_csp=True)
    page.goto(f"{live_server.url}/api/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", [*WCAG_TAGS, "best-practice"]
    )
    assert [(violation["id"], violation["nodes"][0]["target"]) for violation in results["violations"]] == []
    assert {"heading-order", "landmark-one-main", "region"} <= {rule["id"] for rule in results["passes"]}
