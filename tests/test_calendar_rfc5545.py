"""Every calendar the site serves (the feeds, each date's and each session's file, of the
shipped data and of the example edition) follows RFC 5545, and two independent parsers
read the same events from it: the Python icalendar package and ical.js (Thunderbird's)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, url_for
from icalendar import Calendar

from tests import rfc5545
from tests.conftest import EXAMPLE_DATA, SHIPPED_DATA, build_app
from workshop.catalogue import api_urls
from workshop.store import get_content

ICAL_JS_SCRIPT = Path(__file__).with_name("ical_events.mjs")
DATASETS = {"shipped": SHIPPED_DATA, "example": EXAMPLE_DATA}
# The feed of the current edition and of each edition, and one file per date and published session.
CALENDAR_COUNTS = {"shipped": 2 + 5, "example": 2 + 5 + 7}


def app_for(data_dir: Path) -> Flask:
    return build_app(data_dir)


@cache
def served_calendars(dataset: str) -> dict[str, bytes]:
    """URL -> body of every calendar the site serves for ``dataset`` (the URLs the static export finds)."""
    app = app_for(DATASETS[dataset])
    with app.app_context():
        content = get_content()
    with app.test_request_context():
        urls = sorted({url_for(endpoint, **values) for endpoint, values in api_urls(content)})
    client = app.test_client()
    calendars = {}
    for url in (url for url in urls if url.endswith(".ics")):
        response = client.get(url)
        assert (response.status_code, response.mimetype) == (200, "text/calendar"), url
        calendars[url] = response.data
    return calendars


def read_by_ical_js(data: bytes) -> list[dict[str, Any]]:
    done = subprocess.run(["node", str(ICAL_JS_SCRIPT)], input=data, capture_output=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def _moment(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def _zone(value: dt.date | dt.datetime) -> str:
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        return "floating"
    if value.tzinfo == dt.UTC:
        return "UTC"
    return str(getattr(value.tzinfo, "key", value.tzinfo))


def read_by_icalendar(data: bytes) -> list[dict[str, Any]]:
    """The same fields as tests/ical_events.mjs prints, as the icalendar package reads them."""
    return [
        {
            "uid": str(event["UID"]),
            "summary": str(event["SUMMARY"]),
            "all_day": not isinstance(event.start, dt.datetime),
            "start": _moment(event.start),
            "end": _moment(event.end),
            "duration": int(event.duration.total_seconds()),
            "timezone": _zone(event.start),
        }
        for event in Calendar.from_ical(data).walk("VEVENT")
    ]


@pytest.mark.parametrize("dataset", DATASETS)
def test_every_served_calendar_follows_rfc5545(dataset: str) -> None:
    calendars = served_calendars(dataset)
    assert len(calendars) == CALENDAR_COUNTS[dataset], sorted(calendars)
    broken = {url: rfc5545.problems(body) for url, body in calendars.items()}
    assert {url: found for url, found in broken.items() if found} == {}


@pytest.mark.parametrize("dataset", DATASETS)
def test_two_parsers_read_the_same_events_from_every_calendar(dataset: str) -> None:
    for url, body in served_calendars(dataset).items():
        by_ical_js, by_icalendar = read_by_ical_js(body), read_by_icalendar(body)
        assert by_icalendar, url
        assert by_ical_js == by_icalendar, url


@pytest.mark.parametrize(
    ("dataset", "url", "instant"),
    [
        ("shipped", "/api/v1/editions/icml2023/dates/submission-deadline.ics", "2023-05-20T11:59:00Z"),
        ("example", "/api/v1/editions/example/dates/submission-deadline.ics", "2030-05-27T11:59:00Z"),
    ],
)
def test_a_deadline_is_a_moment_that_ends_when_it_starts(dataset: str, url: str, instant: str) -> None:
    """RFC 5545 3.6.1: a DATE-TIME DTSTART without DTEND or DURATION ends at that same instant."""
    body = served_calendars(dataset)[url]
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert "DTEND" not in event and "DURATION" not in event
    for reader in (read_by_icalendar, read_by_ical_js):
        ((start, end, duration),) = [(read["start"], read["end"], read["duration"]) for read in reader(body)]
        assert (start, end, duration) == (instant, instant, 0), reader.__name__
    # The feed says the same.
    feed = served_calendars(dataset)[url.rsplit("/dates/", 1)[0] + "/dates.ics"]
    in_feed = [read for read in read_by_ical_js(feed) if read["uid"].startswith(url.split("/")[4] + "-date-submission")]
    assert [(read["start"], read["end"]) for read in in_feed] == [(instant, instant)]


def test_sessions_and_the_workshop_are_in_the_venue_zone_for_both_parsers() -> None:
    feed = served_calendars("example")["/api/v1/editions/example/dates.ics"]
    by_uid = {read["uid"].split("@")[0]: read for read in read_by_ical_js(feed)}
    assert by_uid["example-session-keynote-doe"]["timezone"] == "Pacific/Honolulu"
    # 09:00-09:45 in Honolulu (UTC-10): the file's VTIMEZONE gives ical.js the right offset.
    assert (by_uid["example-session-keynote-doe"]["start"], by_uid["example-session-keynote-doe"]["end"]) == (
        "2030-07-28T19:00:00Z",
        "2030-07-28T19:45:00Z",
    )
    # A whole day is a DATE, the end being the next day.
    assert (by_uid["example-date-author-notification"]["start"], by_uid["example-date-author-notification"]["end"]) == (
        "2030-06-16",
        "2030-06-17",
    )
