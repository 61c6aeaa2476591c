"""Calendars for visitors: the iCalendar feed, one file per date and session, and the page's
"add to calendar" links, read back as a calendar application reads them (icalendar)."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar, Event
from werkzeug.test import TestResponse

from scripts.generate_edition import generate
from tests.conftest import EXAMPLE_DATA, SHIPPED_SITE_URL, build_app, edit_data_file
from tests.dom import Element, parse_html
from tests.test_reload import settle, store_of

EDITION = "icml2023"
FEED = f"/api/v1/editions/{EDITION}/dates.ics"
HONOLULU = ZoneInfo("Pacific/Honolulu")
SUBMISSION_DEADLINE_UTC = dt.datetime(2023, 5, 20, 11, 59, tzinfo=dt.UTC)  # 2023-05-19 23:59 AoE
# Without CALENDAR_UID_DOMAIN, the host of the shipped data's site_url.
UID_DOMAIN = urlsplit(SHIPPED_SITE_URL).hostname
DATE_IDS = ["submission-deadline", "author-notification", "camera-ready-paper", "camera-ready-poster", "workshop"]


def calendar_of(response: TestResponse) -> Calendar:
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == "text/calendar"
    assert response.mimetype_params.get("charset", "").lower() == "utf-8"
    return Calendar.from_ical(response.data)


def events_by_uid(calendar: Calendar) -> dict[str, Event]:
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert len(events) == len(calendar.walk("VEVENT")), "two events share a UID"
    return events


def event_for(calendar: Calendar, kind: str, item_id: str, edition: str = EDITION) -> Event:
    """The event of one date or session, found by its UID as a calendar application does."""
    found = [event for event in calendar.walk("VEVENT") if str(event["UID"]).startswith(f"{edition}-{kind}-{item_id}@")]
    assert len(found) == 1, f"{len(found)} events for {kind} {item_id}"
    return found[0]


def start_end(event: Event) -> tuple[dt.date, dt.date]:
    """As RFC 5545 reads an event: without DTEND or DURATION, a time ends when it starts, a day the day after."""
    return event.start, event.end


def assert_all_day(event: Event, first: dt.date, after_last: dt.date) -> None:
    start, end = start_end(event)
    assert not isinstance(start, dt.datetime) and not isinstance(end, dt.datetime), event["SUMMARY"]
    assert event["DTSTART"].params.get("VALUE") == "DATE"
    assert (start, end) == (first, after_last), event["SUMMARY"]


def api_items(client: FlaskClient, edition: str = EDITION) -> list[dict]:
    return client.get(f"/api/v1/editions/{edition}/dates.json").get_json()["data"]["items"]


# --- The feed -------------------------------------------------------------------------------


def test_feed_has_every_important_date_with_its_kind_and_zone(client: FlaskClient) -> None:
    calendar = calendar_of(client.get(FEED))
    assert str(calendar["X-WR-CALNAME"]).startswith("Machine Learning for Astrophysics (ICML 2023)")
    items = api_items(client)
    assert [item["id"] for item in items] == DATE_IDS
    assert len(calendar.walk("VEVENT")) == len(items), "one event per date, and no session before the program"

    for item in items:
        event = event_for(calendar, "date", item["id"])
        assert item["title"] in str(event["SUMMARY"])
        start, _ = start_end(event)
        # A precise time is a timed event; a day (or days to choose from) is an all-day event.
        assert isinstance(start, dt.datetime) == (item["at"] is not None), item["id"]
        assert str(event["URL"]).endswith(f"/{EDITION}/#date-{item['id']}")
        assert str(event["URL"]) in str(event["DESCRIPTION"])

    # 23:59 AoE is 11:59 UTC the next day, a moment: DTSTART alone, the event ends when it starts.
    deadline = event_for(calendar, "date", "submission-deadline")
    start, end = start_end(deadline)
    assert start == end == SUBMISSION_DEADLINE_UTC
    assert "DTEND" not in deadline and "DURATION" not in deadline
    assert start.utcoffset() == dt.timedelta(0)
    assert "23:59 AoE" in str(deadline["DESCRIPTION"])
    assert_all_day(event_for(calendar, "date", "author-notification"), dt.date(2023, 6, 16), dt.date(2023, 6, 17))
    assert_all_day(event_for(calendar, "date", "camera-ready-paper"), dt.date(2023, 7, 10), dt.date(2023, 7, 11))
    assert_all_day(event_for(calendar, "date", "camera-ready-poster"), dt.date(2023, 7, 21), dt.date(2023, 7, 22))
    # The page's relative link in the details becomes an absolute one.
    assert "/icml2023/#posters" in str(event_for(calendar, "date", "camera-ready-poster")["DESCRIPTION"])


def test_a_day_not_fixed_yet_spans_its_options_and_is_tentative(client: FlaskClient) -> None:
    workshop = event_for(calendar_of(client.get(FEED)), "date", "workshop")
    assert_all_day(workshop, dt.date(2023, 7, 28), dt.date(2023, 7, 30))
    assert str(workshop["STATUS"]) == "TENTATIVE"
    assert "to be confirmed" in str(workshop["SUMMARY"]).lower()
    assert "July 28 or Saturday, July 29" in str(workshop["DESCRIPTION"])


def test_current_edition_feed_is_the_editions_feed(client: FlaskClient) -> None:
    current, edition = client.get("/api/v1/dates.ics"), client.get(FEED)
    assert calendar_of(current) and current.data == edition.data
    assert current.headers["ETag"] == edition.headers["ETag"]


def test_published_program_sessions_are_in_the_venue_zone() -> None:
    client = build_app(EXAMPLE_DATA).test_client()
    calendar = calendar_of(client.get("/api/v1/editions/example/dates.ics"))
    sessions = client.get("/api/v1/editions/example/program.json").get_json()["data"]["sessions"]
    assert len(sessions) == 7
    assert len(calendar.walk("VEVENT")) == len(api_items(client, "example")) + len(sessions)

    # The zone is defined in the file itself, so any client reads the venue's times right.
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Pacific/Honolulu"]
    for session in sessions:
        event = event_for(calendar, "session", session["id"], edition="example")
        start, end = start_end(event)
        assert event["DTSTART"].params["TZID"] == "Pacific/Honolulu"
        assert (start, end) == (
            dt.datetime.fromisoformat(session["starts_at"]),
            dt.datetime.fromisoformat(session["ends_at"]),
        ), session["id"]
        assert str(event["LOCATION"]) == "Example Conference 2030, Honolulu, Hawaii"
    keynote = event_for(calendar, "session", "keynote-doe", edition="example")
    assert start_end(keynote) == (
        dt.datetime(2030, 7, 28, 9, 0, tzinfo=HONOLULU),
        dt.datetime(2030, 7, 28, 9, 45, tzinfo=HONOLULU),
    )
    assert "Jane Doe" in str(keynote["DESCRIPTION"])
    # The second day's session is on its own day.
    assert start_end(event_for(calendar, "session", "day-two", edition="example"))[0].date() == dt.date(2030, 7, 29)

    # The workshop runs from the program's first session to its last (on the second day), in venue
    # time; the AoE deadline stays in UTC.
    workshop = event_for(calendar, "date", "workshop", edition="example")
    assert workshop["DTSTART"].params["TZID"] == "Pacific/Honolulu"
    assert start_end(workshop) == (
        dt.datetime(2030, 7, 28, 8, 50, tzinfo=HONOLULU),
        dt.datetime(2030, 7, 29, 9, 15, tzinfo=HONOLULU),
    )
    assert str(workshop["STATUS"]) == "CONFIRMED"
    deadline = event_for(calendar, "date", "submission-deadline", edition="example")
    assert start_end(deadline)[0] == dt.datetime(2030, 5, 27, 11, 59, tzinfo=dt.UTC)
    dinner = event_for(calendar, "date", "social-dinner", edition="example")
    assert_all_day(dinner, dt.date(2030, 7, 28), dt.date(2030, 7, 30))
    assert str(dinner["STATUS"]) == "TENTATIVE"


def test_sequence_counts_how_often_a_date_moved() -> None:
    calendar = calendar_of(build_app(EXAMPLE_DATA).test_client().get("/api/v1/editions/example/dates.ics"))
    sequences = {
        item_id: int(event_for(calendar, "date", item_id, edition="example")["SEQUENCE"])
        for item_id in ("submission-deadline", "camera-ready-poster", "author-notification")
    }
    assert sequences == {"submission-deadline": 1, "camera-ready-poster": 1, "author-notification": 0}
    assert "Extended from Sunday, May 19, 2030, 23:59 AoE" in str(
        event_for(calendar, "date", "submission-deadline", edition="example")["DESCRIPTION"]
    )


# --- Same bytes everywhere, updates instead of duplicates -------------------------------


def test_two_app_instances_serve_identical_bytes_and_etags() -> None:
    # Two workers, or one before and after a restart: loaded at different times.
    urls = [FEED, "/api/v1/dates.ics", f"/api/v1/editions/{EDITION}/dates/submission-deadline.ics"]
    first = build_app().test_client()
    before = {url: first.get(url) for url in urls}
    time.sleep(1.1)  # iCalendar times have whole seconds
    second = build_app().test_client()
    for url, response in before.items():
        again = second.get(url)
        assert calendar_of(response) and again.data == response.data, url
        assert again.headers["ETag"] == response.headers["ETag"]
        revalidated = second.get(url, headers={"If-None-Match": response.headers["ETag"]})
        assert revalidated.status_code == 304
        assert revalidated.data == b""


def test_uids_are_stable_and_a_moved_date_updates_its_event(data_dir: Path, make_app: Callable[..., Flask]) -> None:
    app = make_app(data_dir)
    client = app.test_client()
    before_response = client.get(FEED)
    before = events_by_uid(calendar_of(before_response))
    assert set(before) == set(events_by_uid(calendar_of(make_app(data_dir).test_client().get(FEED))))
    assert {uid.split("@")[0] for uid in before} == {f"{EDITION}-date-{item_id}" for item_id in DATE_IDS}

    # The organizers extend the deadline by a week and keep the old one, as data/README.md says.
    edit_data_file(
        data_dir / EDITION / "dates.yaml",
        "    at: 2023-05-19T23:59:00-12:00\n",
        "    at: 2023-05-26T23:59:00-12:00\n    previously:\n      - at: 2023-05-19T23:59:00-12:00\n",
    )
    settle(store_of(app))

    after_response = client.get(FEED, headers={"If-None-Match": before_response.headers["ETag"]})
    after = events_by_uid(calendar_of(after_response))
    assert set(after) == set(before), "a moved date keeps its UID: calendars update it instead of adding one"
    uid = f"{EDITION}-date-submission-deadline@{UID_DOMAIN}"
    assert start_end(after[uid])[0] == dt.datetime(2023, 5, 27, 11, 59, tzinfo=dt.UTC)
    assert (int(before[uid]["SEQUENCE"]), int(after[uid]["SEQUENCE"])) == (0, 1)
    assert int(after[f"{EDITION}-date-author-notification@{UID_DOMAIN}"]["SEQUENCE"]) == 0
    # The single event's file says the same.
    single = calendar_of(client.get(f"/api/v1/editions/{EDITION}/dates/submission-deadline.ics"))
    assert [str(event["UID"]) for event in single.walk("VEVENT")] == [uid]
    assert int(single.walk("VEVENT")[0]["SEQUENCE"]) == 1


def test_uid_domain_is_a_setting(data_dir: Path, make_app: Callable[..., Flask]) -> None:
    client = make_app(data_dir, CALENDAR_UID_DOMAIN="calendar.example.org").test_client()
    uids = set(events_by_uid(calendar_of(client.get(FEED))))
    assert f"{EDITION}-date-workshop@calendar.example.org" in uids


# --- One event per file ---------------------------------------------------------------------


def test_each_date_has_its_own_file_with_the_feeds_event(client: FlaskClient) -> None:
    feed = calendar_of(client.get(FEED))
    for item_id in DATE_IDS:
        response = client.get(f"/api/v1/editions/{EDITION}/dates/{item_id}.ics")
        (event,) = calendar_of(response).walk("VEVENT")
        in_feed = event_for(feed, "date", item_id)
        assert event.to_ical() == in_feed.to_ical(), item_id
        assert client.get(response.request.path, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_each_published_session_has_its_own_file() -> None:
    client = build_app(EXAMPLE_DATA).test_client()
    feed = calendar_of(client.get("/api/v1/editions/example/dates.ics"))
    (event,) = calendar_of(client.get("/api/v1/editions/example/sessions/panel.ics")).walk("VEVENT")
    assert event.to_ical() == event_for(feed, "session", "panel", edition="example").to_ical()


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/editions/{EDITION}/dates/no-such-date.ics",
        "/api/v1/editions/icml1999/dates.ics",
        "/api/v1/editions/icml1999/dates/workshop.ics",
        # The program is not published: its sessions are not public.
        f"/api/v1/editions/{EDITION}/sessions/welcome.ics",
    ],
)
def test_unknown_items_are_api_problems(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert json.loads(response.data)["status"] == 404


def test_unknown_session_is_an_api_problem() -> None:
    response = build_app(EXAMPLE_DATA).test_client().get("/api/v1/editions/example/sessions/no-such-session.ics")
    assert (response.status_code, response.mimetype) == (404, "application/problem+json")
    assert "panel" in json.loads(response.data)["detail"]


# --- On the page ----------------------------------------------------------------------------


def calendar_links_of(entry: Element) -> tuple[Element, Element]:
    """The .ics link and the Google Calendar link of one date or session on the page."""
    (links,) = entry.find_all(cls="calendar-links")
    ics, google = links.find_all("a")
    assert ics.attrs.get("type") == "text/calendar"
    assert (ics.attrs["href"] or "").endswith(".ics")
    assert (google.attrs["href"] or "").startswith("https://calendar.google.com/calendar/render?")
    return ics, google


def google_parameters(link: Element) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(link.attrs["href"] or "").query).items()}


@pytest.mark.parametrize("use_example", [False, True], ids=["icml2023", "example"])
def test_every_calendar_link_on_the_page_gives_a_calendar(use_example: bool) -> None:
    client = (build_app(EXAMPLE_DATA) if use_example else build_app()).test_client()
    page = parse_html(client.get("/").get_data(as_text=True))
    hrefs = [link.attrs["href"] or "" for link in page.find_all("a") if (link.attrs["href"] or "").endswith(".ics")]
    assert len(hrefs) == len(page.find_all(cls="calendar-links")) + 1  # and the feed
    for href in hrefs:
        calendar_of(client.get(href))

    (feed,) = [
        link for link in page.by_id("dates").find_all("a") if link.text() == "Subscribe to all dates (iCalendar)"
    ]
    assert feed.attrs.get("type") == "text/calendar"
    assert len(calendar_of(client.get(feed.attrs["href"] or "")).walk("VEVENT")) == len(hrefs) - 1


def test_each_date_links_to_its_own_event_with_a_name_saying_which(client: FlaskClient) -> None:
    page = parse_html(client.get("/").get_data(as_text=True))
    for item in api_items(client):
        ics, google = calendar_links_of(page.by_id(f"date-{item['id']}"))
        (event,) = calendar_of(client.get(ics.attrs["href"] or "")).walk("VEVENT")
        assert str(event["UID"]).startswith(f"{EDITION}-date-{item['id']}@")
        # Visible "Add to calendar", and a name that says what it adds.
        assert ics.text().startswith("Add to calendar")
        assert item["title"] in ics.text()
        assert item["title"] in google.text() and "Google Calendar" in google.text()
        assert item["title"] in google_parameters(google)["text"]


def test_google_links_carry_the_events_dates(client: FlaskClient) -> None:
    page = parse_html(client.get("/").get_data(as_text=True))

    def dates_of(item_id: str) -> str:
        return google_parameters(calendar_links_of(page.by_id(f"date-{item_id}"))[1])["dates"]

    assert dates_of("submission-deadline") == "20230520T115900Z/20230520T115900Z"
    assert dates_of("author-notification") == "20230616/20230617"
    assert dates_of("camera-ready-paper") == "20230710/20230711"
    assert dates_of("workshop") == "20230728/20230730"
    details = google_parameters(calendar_links_of(page.by_id("date-submission-deadline"))[1])["details"]
    assert "23:59 AoE" in details
    assert details.endswith("/icml2023/#date-submission-deadline")


def test_each_session_links_to_its_own_event() -> None:
    client = build_app(EXAMPLE_DATA).test_client()
    page = parse_html(client.get("/").get_data(as_text=True))
    sessions = client.get("/api/v1/editions/example/program.json").get_json()["data"]["sessions"]
    for session in sessions:
        ics, google = calendar_links_of(page.by_id(f"session-{session['id']}"))
        (event,) = calendar_of(client.get(ics.attrs["href"] or "")).walk("VEVENT")
        assert str(event["UID"]).startswith(f"example-session-{session['id']}@")
        assert session["title"] in ics.text() and session["title"] in google.text()
        start = dt.datetime.fromisoformat(session["starts_at"]).astimezone(dt.UTC)
        end = dt.datetime.fromisoformat(session["ends_at"]).astimezone(dt.UTC)
        parameters = google_parameters(google)
        assert parameters["dates"] == f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}"
        assert parameters["location"] == "Example Conference 2030, Honolulu, Hawaii"
    keynote = google_parameters(calendar_links_of(page.by_id("session-keynote-doe"))[1])
    assert keynote["dates"] == "20300728T190000Z/20300728T194500Z"  # 09:00-09:45 in Honolulu (UTC-10)


def test_the_shipped_calendars_keep_the_uids_and_links_they_were_published_with(client: FlaskClient) -> None:
    # As served before the site's address was data: a subscriber's calendar must see the same events.
    calendar = calendar_of(client.get(FEED))
    assert {str(event["UID"]): str(event["URL"]) for event in calendar.walk("VEVENT")} == {
        f"icml2023-date-{name}@ml4astro.github.io": f"https://ml4astro.github.io/icml2023/#date-{name}"
        for name in DATE_IDS
    }
    assert str(calendar["UID"]) == "icml2023-calendar-dates@ml4astro.github.io"


def test_without_a_site_url_uids_take_the_local_address(data_dir: Path, make_app: Callable[..., Flask]) -> None:
    edit_data_file(data_dir / "editions.yaml", "site_url: https://ml4astro.github.io\n", "")
    calendar = calendar_of(make_app(data_dir).test_client().get(FEED))
    events = events_by_uid(calendar)
    assert events and all(uid.endswith("@127.0.0.1") for uid in events), list(events)
    assert all(str(event["URL"]).startswith("http://127.0.0.1:8000/icml2023/#") for event in events.values())


@pytest.mark.parametrize(
    ("settings", "domain"),
    [
        ({}, "ml4astro.github.io"),
        ({"SITE_URL": "https://oceans.example.org/"}, "oceans.example.org"),
        ({"SITE_URL": "https://oceans.example.org", "CALENDAR_UID_DOMAIN": "uids.example.net"}, "uids.example.net"),
    ],
)
def test_uids_take_the_site_urls_host_unless_a_domain_is_set(settings: dict[str, str], domain: str) -> None:
    events = events_by_uid(calendar_of(build_app(**settings).test_client().get(FEED)))
    assert events and all(uid.endswith(f"@{domain}") for uid in events), list(events)


def test_a_session_with_many_papers_gets_a_short_google_link_and_a_full_calendar_file(tmp_path: Path) -> None:
    # Each session's Google Calendar link is a URL written into the page: with every paper title in it,
    # a poster session of 300 papers made a link of tens of kilobytes (too long for Google to open).
    generate(tmp_path / "data", papers=300, sessions=10)
    client = build_app(tmp_path / "data").test_client()
    page = parse_html(client.get("/").get_data(as_text=True))
    program = client.get("/api/v1/program.json").json["data"]
    titles = {paper["id"]: paper["title"] for paper in client.get("/api/v1/papers.json").json["data"]["papers"]}
    session = max(program["sessions"], key=lambda session: len(session["papers"]))
    assert len(session["papers"]) > 10
    ics, google = calendar_links_of(page.by_id(f"session-{session['id']}"))
    assert len(google.attrs["href"] or "") < 2000
    details = google_parameters(google)["details"]
    assert titles[session["papers"][0]] in details
    assert titles[session["papers"][-1]] not in details
    assert f"and {len(session['papers']) - 3} more papers" in details
    assert f"#session-{session['id']}" in details  # where the rest are listed
    event = calendar_of(client.get(ics.attrs["href"] or "")).walk("VEVENT")[0]
    assert all(titles[paper] in str(event["DESCRIPTION"]) for paper in session["papers"])
