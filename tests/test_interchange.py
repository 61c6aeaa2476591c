"""Formats other tools already read: the program as frab/c3voc schedule JSON, news as a JSON Feed."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator

from tests.test_reload import edit, settle
from workshop import create_app
from workshop.fieldref import EXAMPLE_DATA

FRAB_SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "frab-schedule.schema.json").read_text())


@pytest.fixture
def example_client() -> FlaskClient:
    return create_app({"TESTING": True, "CONTENT_RELOAD": False, "DATA_DIR": str(EXAMPLE_DATA)}).test_client()


def frab_errors(document: dict) -> list[str]:
    validator = Draft202012Validator(FRAB_SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(document)]


def events_of(schedule: dict) -> list[dict]:
    return [
        event
        for day in schedule["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for event in events
    ]


def test_published_program_as_frab_schedule(example_client: FlaskClient) -> None:
    response = example_client.get("/api/v1/schedule.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    schedule = response.json
    assert frab_errors(schedule) == []
    conference = schedule["schedule"]["conference"]
    assert (conference["start"], conference["end"], conference["daysCount"]) == ("2030-07-28", "2030-07-29", 2)
    assert conference["time_zone_name"] == "Pacific/Honolulu"
    assert [day["date"] for day in conference["days"]] == ["2030-07-28", "2030-07-29"]
    events = events_of(schedule)
    assert [event["slug"] for event in events] == [
        "example-welcome",
        "example-keynote-doe",
        "example-spotlights-morning",
        "example-coffee",
        "example-posters",
        "example-panel",
        "example-day-two",
    ]
    keynote = events[1]
    assert (keynote["date"], keynote["start"], keynote["duration"]) == ("2030-07-28T09:00:00-10:00", "09:00", "00:45")
    assert [person["name"] for person in keynote["persons"]] == ["Jane Doe"]
    assert [person["name"] for person in events[5]["persons"]] == ["John Roe", "Ada Example"]
    assert "Fast emulators for cosmological simulations" in events[2]["description"]
    assert len({event["guid"] for event in events}) == len(events)
    assert len({event["id"] for event in events}) == len(events)


def test_schedule_ids_are_stable_across_instances_and_edits(data_dir: Path, make_app: Callable[..., Flask]) -> None:
    example = Path(data_dir).parent / "example-data"
    shutil.copytree(EXAMPLE_DATA, example)
    app = make_app(example)
    client = app.test_client()
    before = {
        event["slug"]: (event["guid"], event["id"]) for event in events_of(client.get("/api/v1/schedule.json").json)
    }
    again = make_app(example).test_client().get("/api/v1/schedule.json")
    assert again.data == client.get("/api/v1/schedule.json").data
    # An organizer moves the keynote: the app must recognize it as the same event.
    edit(
        example / "example" / "program.yaml",
        'title: "Keynote: learning from simulations"',
        'title: "Keynote: simulations"',
    )
    settle(app.extensions["workshop.store"])
    after = {
        event["slug"]: (event["guid"], event["id"]) for event in events_of(client.get("/api/v1/schedule.json").json)
    }
    assert after == before


def test_unpublished_program_is_an_empty_but_valid_schedule(client: FlaskClient) -> None:
    schedule = client.get("/api/v1/schedule.json").json
    assert frab_errors(schedule) == []
    conference = schedule["schedule"]["conference"]
    # The workshop day is not fixed: the schedule spans both candidate days, with no events yet.
    assert (conference["start"], conference["end"]) == ("2023-07-28", "2023-07-29")
    assert conference["days"] == []
    assert client.get("/api/v1/editions/icml2023/schedule.json").data == client.get("/api/v1/schedule.json").data


def test_news_as_json_feed(example_client: FlaskClient) -> None:
    feed = example_client.get("/api/v1/feed.json").json
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] and feed["home_page_url"].endswith("/example/")
    assert feed["feed_url"].endswith("/api/v1/editions/example/feed.json")
    (item,) = feed["items"]
    assert item["title"] == "Submission deadline extended by one week"
    assert item["url"].endswith("/example/#announcement-deadline-extended")
    assert "<strong>May 26</strong>" in item["content_html"]
    assert dt.datetime.fromisoformat(item["date_published"]) == dt.datetime(2030, 5, 12, tzinfo=dt.UTC)


def test_feed_item_ids_stay_when_an_announcement_is_edited(data_dir: Path, make_app: Callable[..., Flask]) -> None:
    app = make_app(data_dir)
    client = app.test_client()
    assert client.get("/api/v1/feed.json").json["items"] == []
    (data_dir / "icml2023" / "announcements.yaml").write_text(
        "announcements:\n  - id: call-open\n    published: 2023-04-01\n    title: The call is open\n", encoding="utf-8"
    )
    settle(app.extensions["workshop.store"])
    first = client.get("/api/v1/feed.json").json["items"]
    edit(data_dir / "icml2023" / "announcements.yaml", "The call is open", "The call for abstracts is open")
    settle(app.extensions["workshop.store"])
    second = client.get("/api/v1/feed.json").json["items"]
    assert [item["id"] for item in first] == [item["id"] for item in second]
    assert second[0]["title"] == "The call for abstracts is open"
