"""When the workshop takes place, one answer everywhere: once the program is published, its
first session starts the workshop and its last one ends it, on the page, in the JSON-LD,
in the calendars and in the schedule; ``check`` refuses a workshop date that contradicts it."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar

from tests.conftest import EXAMPLE_DATA, edit_data_file
from tests.dom import parse_html
from tests.test_content import PUBLISHED_PROGRAM, line_containing, problems_of
from tests.test_seo import head_of, json_ld
from workshop.cli import main

HONOLULU = ZoneInfo("Pacific/Honolulu")
WORKSHOP_END = "    end: 2030-07-29T09:15:00-10:00\n"


def workshop_everywhere(client: FlaskClient, edition: str) -> dict[str, object]:
    """What each output says about when the workshop is."""
    event = json_ld(head_of(client))
    hero = parse_html(client.get("/").get_data(as_text=True)).one(cls="hero-when")
    feed = Calendar.from_ical(client.get(f"/api/v1/editions/{edition}/dates.ics").data)
    (in_feed,) = [item for item in feed.walk("VEVENT") if str(item["UID"]).startswith(f"{edition}-date-workshop@")]
    (alone,) = Calendar.from_ical(client.get(f"/api/v1/editions/{edition}/dates/workshop.ics").data).walk("VEVENT")
    conference = client.get("/api/v1/schedule.json").json["schedule"]["conference"]
    return {
        "json-ld": (event["startDate"], event.get("endDate")),
        "page": hero.datetimes(),
        "hero": hero.text(),
        "feed": (in_feed.start, in_feed.end, str(in_feed["STATUS"])),
        "file": (alone.start, alone.end),
        "schedule": (conference["start"], conference["end"]),
    }


def test_the_example_edition_agrees_with_its_two_day_program(example_client: FlaskClient) -> None:
    start, end = dt.datetime(2030, 7, 28, 8, 50, tzinfo=HONOLULU), dt.datetime(2030, 7, 29, 9, 15, tzinfo=HONOLULU)
    seen = workshop_everywhere(example_client, "example")
    assert seen["json-ld"] == ("2030-07-28T08:50:00-10:00", "2030-07-29T09:15:00-10:00")
    assert seen["page"] == ["2030-07-28T08:50:00-10:00"]
    assert "28 July 2030, 08:50 HST" in str(seen["hero"]) and "29 July 2030, 09:15 HST" in str(seen["hero"])
    assert seen["feed"] == (start, end, "CONFIRMED")
    assert seen["file"] == (start, end)
    assert seen["schedule"] == ("2030-07-28", "2030-07-29")


def test_publishing_the_program_gives_the_workshop_its_times(data_dir: Path, make_app: Callable[..., Flask]) -> None:
    # The day is not fixed in dates.yaml (July 28 or 29); the program fixes it, 09:00-10:00 on the 28th.
    program = PUBLISHED_PROGRAM.replace("    speakers: [jane-doe]\n", "")  # the shipped data has no speakers
    (data_dir / "icml2023" / "program.yaml").write_text(program, encoding="utf-8")
    seen = workshop_everywhere(make_app(data_dir).test_client(), "icml2023")
    start, end = dt.datetime(2023, 7, 28, 9, 0, tzinfo=HONOLULU), dt.datetime(2023, 7, 28, 10, 0, tzinfo=HONOLULU)
    assert seen["json-ld"] == ("2023-07-28T09:00:00-10:00", "2023-07-28T10:00:00-10:00")
    assert "to be confirmed" not in str(seen["hero"]) and "09:00" in str(seen["hero"])
    assert seen["feed"] == (start, end, "CONFIRMED")
    assert seen["file"] == (start, end)
    assert seen["schedule"] == ("2023-07-28", "2023-07-28")


@pytest.fixture
def example_dir(tmp_path: Path) -> Path:
    target = tmp_path / "example-data"
    shutil.copytree(EXAMPLE_DATA, target)
    return target


@pytest.mark.parametrize(
    ("old", "new", "field", "says"),
    [
        # The case: the workshop ending on the first day of a two-day program.
        (WORKSHOP_END, "    end: 2030-07-28T17:00:00-10:00\n", "items[3].end", "2030-07-28T17:00:00-10:00"),
        ("    at: 2030-07-28T08:50", "    at: 2030-07-28T08:00", "items[3].at", "2030-07-28T08:00:00-10:00"),
        (
            "    at: 2030-07-28T08:50:00-10:00\n" + WORKSHOP_END,
            "    date: 2030-07-28\n",
            "items[3].date",
            "on 2030-07-28 and 2030-07-29",
        ),
        (
            "    at: 2030-07-28T08:50:00-10:00\n" + WORKSHOP_END,
            "    date_options: [2030-07-28, 2030-07-30]\n",
            "items[3].date_options",
            "2030-07-29 is not among",
        ),
    ],
    ids=["end", "at", "date", "date-options"],
)
def test_check_reports_a_workshop_date_that_contradicts_the_program(
    example_dir: Path, old: str, new: str, field: str, says: str
) -> None:
    dates = example_dir / "example" / "dates.yaml"
    edit_data_file(dates, old, new)
    (problem,) = problems_of(example_dir)
    assert (problem.file, problem.field) == ("example-data/example/dates.yaml", field)
    assert problem.line == line_containing(dates, new.strip())
    assert "program.yaml" in problem.message and says in problem.message
    assert "2030-07-28T08:50:00-10:00 to 2030-07-29T09:15:00-10:00" in problem.message
    result = CliRunner().invoke(main, ["check", "--data-dir", str(example_dir)])
    assert result.exit_code != 0
    assert str(problem) in result.output


def test_candidate_days_that_include_the_programs_are_no_contradiction(example_dir: Path) -> None:
    edit_data_file(
        example_dir / "example" / "dates.yaml",
        "    at: 2030-07-28T08:50:00-10:00\n" + WORKSHOP_END,
        "    date_options: [2030-07-27, 2030-07-28, 2030-07-29]\n",
    )
    result = CliRunner().invoke(main, ["check", "--data-dir", str(example_dir)])
    assert result.exit_code == 0, result.output


def test_without_a_workshop_date_the_page_and_the_schedule_take_the_same_day(
    data_dir: Path, make_app: Callable[..., Flask]
) -> None:
    """No workshop item in dates.yaml and no program: the last important date stands for the event,
    for the page's venue zone as for the frab schedule's days (they took the first and the last)."""
    edition = data_dir / "icml2023"
    edit_data_file(edition / "site.yaml", "timezone: Pacific/Honolulu", "timezone: Europe/Vienna")
    edit_data_file(edition / "program.yaml", "timezone: Pacific/Honolulu", "timezone: Europe/Vienna")
    # The first date in winter (CET), the last in summer (CEST).
    edit_data_file(edition / "dates.yaml", "at: 2023-05-19T23:59:00-12:00", "at: 2023-01-19T23:59:00-12:00")
    edit_data_file(
        edition / "dates.yaml",
        "  - id: workshop\n    title: Workshop date\n    kind: event\n    date_options: [2023-07-28, 2023-07-29]\n",
        "",
    )
    client = make_app(data_dir).test_client()
    conference = client.get("/api/v1/schedule.json").json["schedule"]["conference"]
    assert conference["start"] == "2023-07-21"  # the camera-ready poster deadline, the last date
    (in_person,) = parse_html(client.get("/").get_data(as_text=True)).find_all(id="attend-in-person")
    zone = in_person.one(cls="attendance-zone").text()
    assert "CEST, UTC+2" in zone, zone
