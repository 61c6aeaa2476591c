"""The workshop's phases, server side, with a frozen clock: the phase at each boundary, what the
page's first screen says in each, site.json's phase, and prepared documents that expire at the
next boundary (through the fast path too)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import Headers, ResponseCacheControl
from werkzeug.http import parse_cache_control_header, parse_date

from tests.conftest import EXAMPLE_DATA, build_app, edit_data_file
from tests.dom import Element, parse_html
from tests.test_asgi import call
from tests.test_content import problems_of
from workshop import clock
from workshop.asgi import SiteASGI
from workshop.model import Edition
from workshop.store import get_content

HONOLULU = dt.timezone(dt.timedelta(hours=-10))
AOE = dt.timezone(dt.timedelta(hours=-12))
SECOND = dt.timedelta(seconds=1)

# The example edition: deadline (extended) May 26 23:59 AoE; program published (no review phase);
# workshop from July 28 08:50 to July 29 09:15 in Honolulu.
EXAMPLE_BOUNDARIES = [
    ("call", "program", dt.datetime(2030, 5, 26, 23, 59, tzinfo=AOE)),
    ("program", "live", dt.datetime(2030, 7, 28, 8, 50, tzinfo=HONOLULU)),
    ("live", "archive", dt.datetime(2030, 7, 29, 9, 15, tzinfo=HONOLULU)),
]
# The shipped edition: deadline May 19 23:59 AoE, notification on June 16 (AoE), the workshop on
# July 28 or 29 (not chosen yet: no live phase; the archive starts when the last option ends).
SHIPPED_BOUNDARIES = [
    ("call", "review", dt.datetime(2023, 5, 19, 23, 59, tzinfo=AOE)),
    ("review", "program", dt.datetime(2023, 6, 17, 0, 0, tzinfo=AOE)),
    ("program", "archive", dt.datetime(2023, 7, 30, 0, 0, tzinfo=AOE)),
]
# During the coffee break of the example edition (10:15-10:45 in Honolulu).
COFFEE_BREAK = dt.datetime(2030, 7, 28, 10, 30, tzinfo=HONOLULU)
# The example edition's phases (its program is published before the deadline: no review).
PHASES = ["call", "program", "live", "archive"]


class FrozenClock:
    """The site's clock (workshop/clock.py), set by the test."""

    def __init__(self, instant: dt.datetime) -> None:
        self.instant = instant

    def __call__(self) -> dt.datetime:
        return self.instant


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> Iterator[FrozenClock]:
    frozen_clock = FrozenClock(dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    monkeypatch.setattr(clock, "now", frozen_clock)
    yield frozen_clock


def edition_of(app: Flask, name: str) -> Edition:
    with app.app_context():
        return get_content().editions[name]


@pytest.mark.parametrize(
    ("data", "edition", "boundaries"),
    [(EXAMPLE_DATA, "example", EXAMPLE_BOUNDARIES), (None, "icml2023", SHIPPED_BOUNDARIES)],
    ids=["example", "icml2023"],
)
def test_the_phase_changes_exactly_at_each_boundary(
    data: Path | None, edition: str, boundaries: list[tuple[str, str, dt.datetime]]
) -> None:
    model = edition_of(build_app(data), edition)
    for before, after, boundary in boundaries:
        assert model.moment(boundary - SECOND).phase.name == before
        assert model.moment(boundary - SECOND).changes_at == boundary or before == "live"
        assert model.moment(boundary).phase.name == after
    assert [phase.name for phase in model.phases] == [boundaries[0][0], *(after for _, after, _ in boundaries)]
    assert model.moment(boundaries[-1][2] + dt.timedelta(days=3650)).changes_at is None


def test_while_live_the_moment_names_the_session_now_and_next_and_changes_at_their_boundary() -> None:
    model = edition_of(build_app(EXAMPLE_DATA), "example")
    moment = model.moment(COFFEE_BREAK)
    assert (moment.phase.name, moment.current_session.id, moment.next_session.id) == ("live", "coffee", "posters")
    assert moment.changes_at == dt.datetime(2030, 7, 28, 10, 45, tzinfo=HONOLULU)
    # Between the posters (until 12:00) and the panel (from 16:00): nothing now, the panel next.
    gap = model.moment(dt.datetime(2030, 7, 28, 13, 0, tzinfo=HONOLULU))
    assert (gap.current_session, gap.next_session.id) == (None, "panel")
    assert gap.changes_at == dt.datetime(2030, 7, 28, 16, 0, tzinfo=HONOLULU)


def test_organizers_can_fix_the_phase(data_dir: Path, make_app: Callable[..., Flask]) -> None:
    edit_data_file(data_dir / "icml2023" / "site.yaml", "call_to_action:", "phase: review\ncall_to_action:")
    model = edition_of(make_app(data_dir), "icml2023")
    for year in (2020, 2023, 2040):
        moment = model.moment(dt.datetime(year, 6, 1, tzinfo=dt.UTC))
        assert (moment.phase.name, moment.changes_at) == ("review", None)


def test_an_unknown_phase_is_refused_with_its_file_and_field(data_dir: Path, make_app: Callable[..., Flask]) -> None:
    edit_data_file(data_dir / "icml2023" / "site.yaml", "call_to_action:", "phase: postponed\ncall_to_action:")
    (problem,) = problems_of(data_dir)
    assert (problem.path, problem.field) == ("icml2023/site.yaml", "phase")
    assert "call, review, program, live, archive" in problem.message


# --- The page's first screen ---------------------------------------------------------


def shown_phase(page: Element) -> str:
    """The one phase block of the header not hidden (what a visitor without JavaScript sees)."""
    (shown,) = [block for block in page.find_all(cls="phase") if "hidden" not in block.attrs]
    return (shown.attrs["data-phase"] or "").strip()


def header_of(client: FlaskClient) -> tuple[Element, Element]:
    page = parse_html(client.get("/").get_data(as_text=True))
    return page, page.find_all("header")[0]


@pytest.mark.parametrize(
    ("instant", "phase", "says_and_leads_to"),
    [
        (dt.datetime(2030, 5, 20, tzinfo=dt.UTC), "call", ("26 May 2030, 23:59 AoE", "#call-for-abstracts")),
        (dt.datetime(2030, 6, 20, tzinfo=dt.UTC), "program", ("The program is out.", "#schedule")),
        (COFFEE_BREAK, "live", ("", "https://example.org/live")),
        (dt.datetime(2030, 8, 1, tzinfo=dt.UTC), "archive", ("The workshop took place.", "#papers")),
    ],
)
def test_the_first_screen_leads_to_what_the_phase_is_about(
    example_client: FlaskClient, frozen: FrozenClock, instant: dt.datetime, phase: str, says_and_leads_to: tuple
) -> None:
    says, button = says_and_leads_to
    frozen.instant = instant
    page, header = header_of(example_client)
    assert shown_phase(page) == phase
    (shown,) = [block for block in header.find_all(cls="phase") if "hidden" not in block.attrs]
    assert says in shown.text()
    assert [link.attrs["href"] for link in shown.find_all(cls="button")] == [button]
    # The deadline's countdown is in the call's block only: gone with it; phases past are not sent.
    assert ("countdown" in shown.ids()) == (phase == "call") and ("countdown" in page.ids()) == (phase == "call")
    assert [block.attrs["data-phase"] for block in page.find_all(cls="phase")] == PHASES[PHASES.index(phase) :]
    shown_banners = [banner for banner in page.find_all(id="live-banner") if "hidden" not in banner.attrs]
    assert len(shown_banners) == (phase == "live")


@pytest.mark.parametrize(
    ("instant", "button"),
    [
        (dt.datetime(2030, 5, 20, tzinfo=dt.UTC), "#call-for-abstracts"),
        (dt.datetime(2030, 6, 20, tzinfo=dt.UTC), "#schedule"),
        (COFFEE_BREAK, "https://example.org/live"),
        (dt.datetime(2030, 8, 1, tzinfo=dt.UTC), "#papers"),
    ],
)
def test_the_button_below_the_topics_is_the_phases_as_in_the_header(
    example_client: FlaskClient, frozen: FrozenClock, instant: dt.datetime, button: str
) -> None:
    frozen.instant = instant
    page, header = header_of(example_client)
    shown = [
        (link.attrs["href"], link.text())
        for block in page.by_id("rationale").find_all(cls="center")
        if "hidden" not in block.attrs
        for link in block.find_all(cls="button")
    ]
    (in_header,) = [
        (link.attrs["href"], link.text())
        for block in header.find_all(cls="phase")
        if "hidden" not in block.attrs
        for link in block.find_all(cls="button")
    ]
    assert shown == [in_header]
    assert in_header[0] == button


def test_the_live_banner_names_the_session_now_the_next_and_the_remote_links(
    example_client: FlaskClient, frozen: FrozenClock
) -> None:
    frozen.instant = COFFEE_BREAK
    page, header = header_of(example_client)
    banner = page.by_id("live-banner")
    assert next(child for child in header.children if isinstance(child, Element)) is banner
    assert " ".join(banner.one(cls="live-now").text().split()) == "Now: Coffee break (10:15\u201310:45 venue time)"
    assert " ".join(banner.one(cls="live-next").text().split()) == "Next: Poster session (10:45\u201312:00 venue time)"
    links = {link.text(): link.attrs["href"] for link in banner.find_all("a")}
    assert links["Watch the stream"] == "https://example.org/live"
    assert links["Virtual posters"] == "https://example.org/posters"


def test_the_review_phase_says_when_authors_hear_back(client: FlaskClient, frozen: FrozenClock) -> None:
    frozen.instant = dt.datetime(2023, 6, 1, tzinfo=dt.UTC)
    page, _header = header_of(client)
    assert shown_phase(page) == "review"
    (shown,) = [block for block in page.find_all(cls="phase") if "hidden" not in block.attrs]
    assert "Authors hear back on" in shown.text() and "June 16, 2023" in shown.text()


def test_news_is_folded_once_its_moment_has_passed(example_client: FlaskClient, frozen: FrozenClock) -> None:
    frozen.instant = dt.datetime(2030, 5, 20, tzinfo=dt.UTC)
    news = parse_html(example_client.get("/").get_data(as_text=True)).by_id("announcements").one("details")
    assert "open" in news.attrs
    frozen.instant = dt.datetime(2030, 6, 20, tzinfo=dt.UTC)
    news = parse_html(example_client.get("/").get_data(as_text=True)).by_id("announcements").one("details")
    assert "open" not in news.attrs
    assert "Submission deadline extended" in news.text()  # still there, one click away


def test_the_archive_links_the_next_edition(tmp_path: Path, frozen: FrozenClock) -> None:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE_DATA, data)
    shutil.copytree(Path(__file__).resolve().parent.parent / "data" / "icml2023", data / "icml2023")
    client = build_app(data).test_client()
    frozen.instant = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    page = parse_html(client.get("/icml2023/").get_data(as_text=True))
    assert shown_phase(page) == "archive"
    links = {
        link.attrs["href"]: link.text()
        for link in next(
            block for block in page.find_all(cls="phase") if "archive" in (block.attrs["data-phase"] or "")
        ).find_all("a")
    }
    assert links["/example/"].startswith("Next edition: Example Workshop")


# --- site.json and the prepared documents' expiry --------------------------------------


def test_site_json_says_the_phase_and_when_it_changes(example_client: FlaskClient, frozen: FrozenClock) -> None:
    frozen.instant = dt.datetime(2030, 6, 20, tzinfo=dt.UTC)
    phase = example_client.get("/api/v1/site.json").json["phase"]
    assert phase == {
        "name": "program",
        "since": "2030-05-26T23:59:00-12:00",
        "until": "2030-07-28T08:50:00-10:00",
        "fixed": False,
    }


@pytest.mark.parametrize("url", ["/", "/example/", "/api/v1/site.json"])
def test_a_prepared_document_is_prepared_again_at_the_boundary(
    example_app: Flask, frozen: FrozenClock, url: str
) -> None:
    """Through the fast path: a replayed answer stops at the boundary, and the next request gets the new phase."""
    client = example_app.test_client()
    entered: list[str] = []
    example_app.before_request(lambda: entered.append("flask"))
    boundary = dt.datetime(2030, 5, 26, 23, 59, tzinfo=AOE)
    frozen.instant = boundary - dt.timedelta(minutes=5)
    before = client.get(url)
    assert client.get(url).headers["ETag"] == before.headers["ETag"]
    assert entered == ["flask"], "replayed before the boundary"
    # No cache may keep it past the boundary (at most 60 s before it, the configured max-age).
    frozen.instant = boundary - dt.timedelta(seconds=20)
    late = client.get(url, headers={"Accept-Encoding": "identity"})
    frozen.instant = boundary
    after = client.get(url)
    assert after.headers["ETag"] != before.headers["ETag"]
    assert b"program" in after.data
    assert client.get(url, headers={"If-None-Match": before.headers["ETag"]}).status_code == 200
    # Replayed again, for the new phase.
    count = len(entered)
    assert client.get(url).headers["ETag"] == after.headers["ETag"]
    assert len(entered) == count
    assert late.headers["ETag"] == before.headers["ETag"]


def test_cache_lifetime_never_reaches_past_the_boundary(example_app: Flask, frozen: FrozenClock) -> None:
    boundary = dt.datetime(2030, 5, 26, 23, 59, tzinfo=AOE)
    frozen.instant = boundary - dt.timedelta(seconds=20)
    response = build_app(EXAMPLE_DATA, FAST_PATH=False).test_client().get("/")
    assert response.cache_control.max_age == 20
    assert response.cache_control.stale_while_revalidate is None
    frozen.instant = boundary - dt.timedelta(days=2)
    response = build_app(EXAMPLE_DATA, FAST_PATH=False).test_client().get("/")
    assert (response.cache_control.max_age, response.cache_control.stale_while_revalidate) == (60, 300)


def kept_until(headers: Mapping[str, str], now: dt.datetime) -> dt.datetime:
    """The last instant a cache may serve an answer with these headers (fresh, then stale while revalidating)."""
    control = parse_cache_control_header(headers.get("Cache-Control"), cls=ResponseCacheControl)
    assert control.max_age is not None, headers
    kept = now + dt.timedelta(seconds=control.max_age + (control.stale_while_revalidate or 0))
    expires = headers.get("Expires")
    return max(kept, parse_date(expires)) if expires else kept


@pytest.mark.parametrize("url", ["/", "/api/v1/site.json"])
def test_a_replayed_timed_document_is_kept_by_no_cache_past_the_boundary(frozen: FrozenClock, url: str) -> None:
    """Learned an hour before the boundary, replayed a second before it: through the WSGI fast path, and
    through the ASGI front's (what gunicorn's HTTP/1 connection writes), 200, 304 and gzip alike."""
    boundary = dt.datetime(2030, 5, 26, 23, 59, tzinfo=AOE)
    wsgi_app = build_app(EXAMPLE_DATA)
    client = wsgi_app.test_client()
    site = SiteASGI(build_app(EXAMPLE_DATA))
    entered: list[str] = []
    for app in (wsgi_app, site.flask_app):
        app.before_request(lambda: entered.append("flask"))

    frozen.instant = boundary - dt.timedelta(hours=1)
    learned = client.get(url)
    assert kept_until(learned.headers, frozen.instant) == frozen.instant + dt.timedelta(seconds=360)
    assert call(site, url).status == 200
    assert len(entered) == 2

    for before in (dt.timedelta(seconds=1), dt.timedelta(seconds=100)):
        frozen.instant = boundary - before
        etag = learned.headers["ETag"]
        answers = [
            client.get(url).headers,
            client.get(url, headers={"Accept-Encoding": "gzip"}).headers,
            client.get(url, headers={"If-None-Match": etag}).headers,
            call(site, url).headers,
            call(site, url, accept_encoding="gzip").headers,
            call(site, url, if_none_match=etag).headers,
        ]
        assert len(entered) == 2, "replayed, not prepared again"
        for headers in answers:
            assert kept_until(Headers(headers), frozen.instant) <= boundary, headers
    # A minute and forty seconds before it: fresh for the configured minute, then stale for the rest.
    control = parse_cache_control_header(answers[0]["Cache-Control"], cls=ResponseCacheControl)
    assert (control.max_age, control.stale_while_revalidate) == (60, 40)
