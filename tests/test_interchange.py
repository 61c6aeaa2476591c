"""Formats other tools already read: the program as frab/c3voc schedule JSON and XML, news as a JSON Feed 1.1."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urldefrag, urlsplit
from xml.etree import ElementTree

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator

from tests import frab_xml
from tests.conftest import EXAMPLE_DATA, EXAMPLE_SITE_URL, SHIPPED_DATA, build_app, edit_data_file, site_url_of
from tests.dom import parse_html
from tests.test_reload import settle

FRAB_SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "frab-schedule.schema.json").read_text())
JSON_FEED_SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "jsonfeed-1.1.schema.json").read_text())


def frab_errors(document: dict) -> list[str]:
    validator = Draft202012Validator(FRAB_SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(document)]


def json_feed_errors(document: dict) -> list[str]:
    validator = Draft202012Validator(JSON_FEED_SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
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
    # The format numbers days from 1 (its XML schema types index as a positive integer).
    assert [day["index"] for day in conference["days"]] == [1, 2]
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
    edit_data_file(
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
    response = example_client.get("/api/v1/feed.json")
    assert response.status_code == 200
    assert response.mimetype == "application/feed+json"
    feed = response.json
    assert json_feed_errors(feed) == []
    assert feed["title"] and feed["home_page_url"] == f"{EXAMPLE_SITE_URL}/example/"
    assert feed["feed_url"] == f"{EXAMPLE_SITE_URL}/api/v1/editions/example/feed.json"
    (item,) = feed["items"]
    assert item["title"] == "Submission deadline extended by one week"
    assert item["id"] == item["url"] == f"{EXAMPLE_SITE_URL}/example/#announcement-deadline-extended"
    assert "<strong>May 26</strong>" in item["content_html"]
    assert dt.datetime.fromisoformat(item["date_published"]) == dt.datetime(2030, 5, 12, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("accept", "status"),
    [
        (None, 200),
        ("application/feed+json", 200),
        # The JSON Feed spec's readers may ask for plain JSON, which a feed is.
        ("application/json", 200),
        ("application/json, text/plain;q=0.5", 200),
        ("application/*", 200),
        ("text/html", 406),
        ("application/xml", 406),
    ],
)
def test_the_feed_is_served_to_readers_that_accept_json(example_client: FlaskClient, accept: str, status: int) -> None:
    response = example_client.get("/api/v1/feed.json", headers={"Accept": accept} if accept else {})
    assert response.status_code == status
    if status == 200:
        assert response.mimetype == "application/feed+json"
        assert json_feed_errors(response.json) == []


def resolve(client: FlaskClient, url: str) -> None:
    """Fetch a URL of the site from the app; a fragment must name an element of the page."""
    site_url = site_url_of(client)
    assert url.startswith(f"{site_url}/"), f"{url} is not an absolute URL of the site"
    target, fragment = urldefrag(url)
    response = client.get(target.removeprefix(site_url))
    assert response.status_code == 200, f"{url} answers {response.status_code}"
    if fragment:
        assert response.mimetype == "text/html", url
        ids = {element.attrs.get("id") for element in parse_html(response.get_data(as_text=True)).iter()}
        assert fragment in ids, f"{url}: no element with id={fragment!r} on the page"


def assert_every_feed_url_resolves(client: FlaskClient, feed_path: str) -> int:
    """Every URL of the feed (its own, the page's, each item's id, url and links) answers; returns links followed."""
    feed = client.get(feed_path).json
    assert json_feed_errors(feed) == []
    resolve(client, feed["home_page_url"])
    resolve(client, feed["feed_url"])
    followed = 0
    for item in feed["items"]:
        for url in (item["id"], item["url"]):
            resolve(client, url)
        for link in parse_html(item["content_html"]).find_all("a"):
            href = link.attrs["href"] or ""
            assert urlsplit(href).scheme in ("http", "https", "mailto"), f"{item['id']}: relative link {href!r}"
            if href.startswith(f"{site_url_of(client)}/"):
                resolve(client, href)
                followed += 1
    return followed


def test_every_url_in_the_example_feed_resolves(example_client: FlaskClient) -> None:
    # Its one item links to #dates on the page.
    assert assert_every_feed_url_resolves(example_client, "/api/v1/editions/example/feed.json") == 1


def test_every_url_in_the_shipped_feed_resolves(data_dir: Path, make_app: Callable[..., Flask]) -> None:
    client = make_app(data_dir).test_client()
    assert client.get("/api/v1/feed.json").json["items"] == []
    assert assert_every_feed_url_resolves(client, "/api/v1/feed.json") == 0
    # With news that links to the page, the API's documentation, another site and a mail address.
    (data_dir / "icml2023" / "announcements.yaml").write_text(
        "announcements:\n"
        "  - id: call-open\n"
        "    published: 2023-04-01\n"
        "    title: The call is open\n"
        "    body: See the [dates](#dates), the [API](/api/), [ICML](https://icml.cc) or [write](mailto:a@b.org).\n",
        encoding="utf-8",
    )
    assert assert_every_feed_url_resolves(make_app(data_dir).test_client(), "/api/v1/editions/icml2023/feed.json") == 2


def test_a_title_is_text_in_the_feeds_html(data_dir: Path, make_app: Callable[..., Flask]) -> None:
    (data_dir / "icml2023" / "announcements.yaml").write_text(
        "announcements:\n  - id: qa\n    published: 2023-03-01\n    title: Q&A <session> announced\n",
        encoding="utf-8",
    )
    (item,) = make_app(data_dir).test_client().get("/api/v1/feed.json").json["items"]
    # With no body, the title is the content: shown as written, never read as markup.
    assert item["content_html"] == "<p>Q&amp;A &lt;session&gt; announced</p>"
    assert item["content_text"] == "Q&A <session> announced"


def test_feed_item_ids_stay_when_an_announcement_is_edited(data_dir: Path, make_app: Callable[..., Flask]) -> None:
    app = make_app(data_dir)
    client = app.test_client()
    assert client.get("/api/v1/feed.json").json["items"] == []
    (data_dir / "icml2023" / "announcements.yaml").write_text(
        "announcements:\n  - id: call-open\n    published: 2023-04-01\n    title: The call is open\n", encoding="utf-8"
    )
    settle(app.extensions["workshop.store"])
    first = client.get("/api/v1/feed.json").json["items"]
    edit_data_file(data_dir / "icml2023" / "announcements.yaml", "The call is open", "The call for abstracts is open")
    settle(app.extensions["workshop.store"])
    second = client.get("/api/v1/feed.json").json["items"]
    assert [item["id"] for item in first] == [item["id"] for item in second]
    assert second[0]["title"] == "The call for abstracts is open"


# --- The same schedule as frab/c3voc XML ---------------------------------------------------------


def xml_of(client: FlaskClient, url: str = "/api/v1/schedule.xml") -> ElementTree.Element:
    response = client.get(url)
    assert (response.status_code, response.mimetype) == (200, "application/xml"), response.data[:300]
    assert response.data.startswith(b"<?xml version=")
    return ElementTree.fromstring(response.data)


@pytest.mark.parametrize("data_dir", [EXAMPLE_DATA, SHIPPED_DATA], ids=["example", "shipped"])
def test_schedule_xml_follows_the_format(data_dir: Path) -> None:
    client = build_app(data_dir).test_client()
    schedule = xml_of(client)
    assert frab_xml.problems(schedule) == []
    edition = schedule.findtext("conference/acronym")
    assert client.get(f"/api/v1/editions/{edition}/schedule.xml").data == client.get("/api/v1/schedule.xml").data


def test_schedule_xml_has_the_published_program(example_client: FlaskClient) -> None:
    schedule = xml_of(example_client)
    conference = schedule.find("conference")
    assert conference is not None
    assert [(child.tag, child.text) for child in conference if child.tag != "title"][:5] == [
        ("acronym", "example"),
        ("start", "2030-07-28"),
        ("end", "2030-07-29"),
        ("days", "2"),
        ("timeslot_duration", "00:05"),
    ]
    assert conference.findtext("time_zone_name") == "Pacific/Honolulu"
    days = schedule.findall("day")
    assert [(day.get("index"), day.get("date")) for day in days] == [("1", "2030-07-28"), ("2", "2030-07-29")]
    assert days[0].get("start") == "2030-07-28T08:50:00-10:00" and days[0].get("end") == "2030-07-28T17:00:00-10:00"
    panel = schedule.find(".//event[slug='example-panel']")
    assert panel is not None
    assert [person.text for person in panel.iterfind("persons/person")] == ["John Roe", "Ada Example"]
    assert (panel.findtext("start"), panel.findtext("duration"), panel.findtext("type")) == ("16:00", "01:00", "Podium")
    posters = schedule.find(".//event[slug='example-posters']")
    assert posters is not None and "Fast emulators for cosmological simulations" in (
        posters.findtext("description") or ""
    )


def test_unpublished_program_is_an_empty_but_valid_schedule_xml(client: FlaskClient) -> None:
    schedule = xml_of(client)
    assert frab_xml.problems(schedule) == []
    assert (schedule.findtext("conference/start"), schedule.findtext("conference/end")) == ("2023-07-28", "2023-07-29")
    assert schedule.findall("day") == []


def _xml_events(schedule: ElementTree.Element) -> list[dict]:
    return [
        {
            "day": (int(day.get("index") or 0), day.get("date"), day.get("start"), day.get("end")),
            "id": int(event.get("id") or 0),
            "guid": event.get("guid"),
            "room": (room.get("name"), room.get("guid"), event.findtext("room")),
            "persons": [(int(person.get("id") or 0), person.text) for person in event.iterfind("persons/person")],
            "links": [(link.get("href"), link.text) for link in event.iterfind("links/link")],
            **{name: event.findtext(name) or "" for name in ("title", "date", "start", "duration", "slug", "track")},
        }
        for day in schedule.findall("day")
        for room in day.findall("room")
        for event in room.findall("event")
    ]


def _json_events(schedule: dict) -> list[dict]:
    conference = schedule["schedule"]["conference"]
    guids = {room["name"]: room["guid"] for room in conference["rooms"]}
    return [
        {
            "day": (day["index"], day["date"], day["day_start"], day["day_end"]),
            "id": event["id"],
            "guid": event["guid"],
            "room": (room, guids[room], event["room"]),
            "persons": [(person["id"], person["public_name"]) for person in event["persons"]],
            "links": [(link["url"], link["title"]) for link in event["links"]],
            **{name: event[name] for name in ("title", "date", "start", "duration", "slug", "track")},
        }
        for day in conference["days"]
        for room, events in day["rooms"].items()
        for event in events
    ]


def test_schedule_json_and_xml_agree_event_by_event(example_client: FlaskClient) -> None:
    as_json, as_xml = example_client.get("/api/v1/schedule.json").json, xml_of(example_client)
    assert len(_json_events(as_json)) == 7
    assert _xml_events(as_xml) == _json_events(as_json)
    conference = as_json["schedule"]["conference"]
    assert [as_xml.findtext(f"conference/{name}") for name in ("acronym", "title", "start", "end", "days")] == [
        conference["acronym"],
        conference["title"],
        conference["start"],
        conference["end"],
        str(conference["daysCount"]),
    ]
    assert as_xml.findtext("version") == as_json["schedule"]["version"]


def test_events_presenting_papers_name_their_presenters_and_link_the_papers(example_client: FlaskClient) -> None:
    as_json, as_xml = example_client.get("/api/v1/schedule.json").json, xml_of(example_client)
    events = {event["slug"]: event for event in events_of(as_json)}
    site = EXAMPLE_SITE_URL

    spotlight, posters = events["example-spotlights-morning"], events["example-posters"]
    assert [person["name"] for person in spotlight["persons"]] == ["Grace Example"]
    # The poster session names its own presenter for fast-emulators (program.yaml's presenters).
    assert [person["name"] for person in posters["persons"]] == ["Alan Example", "Emmy Example"]
    assert posters["links"] == [
        {"url": f"{site}/example/papers/fast-emulators/", "title": "Fast emulators for cosmological simulations"},
        {
            "url": f"{site}/example/papers/fast-emulators.pdf",
            "title": "Fast emulators for cosmological simulations (PDF)",
        },
        {"url": f"{site}/example/papers/rare-signals/", "title": "Searching for rare signals with normalizing flows"},
        {
            "url": "https://example.org/papers/rare-signals.pdf",
            "title": "Searching for rare signals with normalizing flows (PDF)",
        },
    ]
    # The XML carries the same persons and links.
    xml_event = next(event for event in as_xml.iter("event") if event.findtext("slug") == "example-posters")
    assert [person.text for person in xml_event.iterfind("persons/person")] == ["Alan Example", "Emmy Example"]
    assert [link.get("href") for link in xml_event.iterfind("links/link")] == [link["url"] for link in posters["links"]]
    assert frab_errors(as_json) == []


def test_a_presenter_who_is_also_a_speaker_is_one_person_with_one_id(
    tmp_path: Path, make_app: Callable[..., Flask]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE_DATA, data)
    edit_data_file(data / "example" / "papers.yaml", "- name: Emmy Example", "- name: Jane Doe")
    schedule = make_app(data).test_client().get("/api/v1/schedule.json").json
    events = {event["slug"]: event for event in events_of(schedule)}
    keynote_speaker = events["example-keynote-doe"]["persons"][0]
    presenter = events["example-posters"]["persons"][1]
    assert presenter == keynote_speaker


def test_a_session_presenter_replaces_the_marked_author_in_the_schedule(
    tmp_path: Path, make_app: Callable[..., Flask]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE_DATA, data)
    edit_data_file(
        data / "example" / "program.yaml",
        "    papers: [fast-emulators]\n",
        "    papers: [fast-emulators]\n    presenters:\n      - {paper: fast-emulators, name: Alan Example}\n",
    )
    schedule = make_app(data).test_client().get("/api/v1/schedule.json").json
    spotlight = next(event for event in events_of(schedule) if event["slug"] == "example-spotlights-morning")
    assert [person["name"] for person in spotlight["persons"]] == ["Alan Example"]


def test_schedule_xml_is_served_like_every_document(example_client: FlaskClient) -> None:
    response = example_client.get("/api/v1/editions/example/schedule.xml")
    assert response.status_code == 200
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.mimetype_params.get("charset", "").lower() == "utf-8"
    again = example_client.get(response.request.path, headers={"If-None-Match": response.headers["ETag"]})
    assert (again.status_code, again.data) == (304, b"")
    refused = example_client.get(response.request.path, headers={"Accept": "application/json"})
    assert (refused.status_code, refused.mimetype) == (406, "application/problem+json")
    missing = example_client.get("/api/v1/editions/icml1999/schedule.xml")
    assert (missing.status_code, missing.mimetype) == (404, "application/problem+json")


def test_schedule_xml_stays_well_formed_whatever_the_titles_hold(
    tmp_path: Path, make_app: Callable[..., Flask]
) -> None:
    example = tmp_path / "example-data"
    shutil.copytree(EXAMPLE_DATA, example)
    # A YAML escape can put a character in a title that XML 1.0 cannot hold, even escaped: a
    # noncharacter such as U+FFFE passes the text rules (control characters do not, workshop/textrules.py).
    edit_data_file(
        example / "example" / "program.yaml",
        'title: "Keynote: learning from simulations"',
        'title: "Keynote <&>\\uFFFE"',
    )
    schedule = xml_of(make_app(example).test_client())
    assert frab_xml.problems(schedule) == []
    assert schedule.find(".//event[slug='example-keynote-doe']/title").text == "Keynote <&>\ufffd"
