"""/api/v1/index.json: every document the API serves, with its URL and media type, so a client needs no other list."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import EXAMPLE_DATA, build_app
from workshop import apiroutes
from workshop.catalogue import Described, Route
from workshop.documents import Served

INDEX_URL = "/api/v1/index.json"


@pytest.fixture(params=["shipped", "example"])
def any_app(request: pytest.FixtureRequest) -> Flask:
    """The shipped data (no program yet), and the example edition that uses every feature."""
    return build_app(EXAMPLE_DATA if request.param == "example" else None)


def index_of(client: FlaskClient) -> dict[str, Any]:
    response = client.get(INDEX_URL)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return json.loads(response.data)


def listed_documents(index: dict[str, Any]) -> Iterator[dict[str, str]]:
    yield from index["documents"]
    yield from index["current_documents"]
    for edition in index["editions"]:
        yield from edition["documents"]


def filled(template: dict[str, Any], client: FlaskClient, edition: str) -> Iterator[str]:
    """The URLs of a template: each id of the edition's items the variable names (dates, sessions or papers)."""
    (variable,) = template["variables"]
    lists = {
        "item_id": ("dates", "items"),
        "session_id": ("program", "sessions"),
        "section_id": ("sections", "sections"),
        "paper_id": ("papers", "papers"),
    }
    resource, key = lists[variable]
    data = json.loads(client.get(f"/api/v1/editions/{edition}/{resource}.json").data)["data"]
    for item in data[key] or []:
        yield template["url_template"].replace(f"{{{variable}}}", item["id"])


def test_every_listed_url_answers_with_its_media_type(any_app: Flask) -> None:
    client = any_app.test_client()
    index = index_of(client)
    fetched = 0
    for document in listed_documents(index):
        response = client.get(document["url"])
        assert response.status_code == 200, document["url"]
        assert response.mimetype == document["media_type"], document["url"]
        fetched += 1
    for edition in index["editions"]:
        for template in edition["url_templates"]:
            for url in filled(template, client, edition["id"]):
                response = client.get(url)
                assert response.status_code == 200, url
                assert response.mimetype == template["media_type"], url
                fetched += 1
    assert fetched >= 35


def test_every_document_of_the_api_is_listed(any_app: Flask) -> None:
    """Each kind of document, for every edition and for the current one: what the README promises."""
    index = index_of(any_app.test_client())
    assert {(d["name"], d["media_type"]) for d in index["documents"]} == {
        ("index.json", "application/json"),
        ("status.json", "application/json"),
        ("openapi.json", "application/json"),
    }
    expected = {f"{resource}.json" for resource in index["current_resources"]}
    expected |= {"dates.ics", "schedule.json", "feed.json"}
    current = {d["name"]: d for d in index["current_documents"]}
    assert expected <= set(current)
    assert current["dates.ics"] == {
        "name": "dates.ics",
        "url": "/api/v1/dates.ics",
        "media_type": "text/calendar",
        "summary": current["dates.ics"]["summary"],
    }
    for edition in index["editions"]:
        names = [d["name"] for d in edition["documents"]]
        assert names == list(current), edition["id"]  # the same documents, under the edition's URL
        for document in edition["documents"]:
            assert document["url"] == f"/api/v1/editions/{edition['id']}/{document['name']}"
        # Every resource URL of the older "resources" map is among them.
        assert set(edition["resources"].values()) <= {d["url"] for d in edition["documents"]}
        templates = {t["name"]: t for t in edition["url_templates"]}
        assert set(templates) == {
            "dates/{item_id}.ics",
            "sessions/{session_id}.ics",
            "sections/{section_id}.json",
            "papers/{paper_id}.json",
            "papers/{paper_id}.bib",
            "papers/{paper_id}.csl.json",
        }
        dates = templates["dates/{item_id}.ics"]
        assert dates["url_template"] == f"/api/v1/editions/{edition['id']}/dates/{{item_id}}.ics"
        assert "dates.json" in dates["variables"]["item_id"]


def test_a_document_added_to_the_api_is_listed_without_another_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a new format needs to be served and appear in index.json: one entry in the catalogue."""
    program_csv = Route(
        "program_csv",
        "program.csv",
        Served("program-csv", "text/csv", lambda content, edition: f"id,title\n{edition.name},\n"),
        "both",
        described=(
            Described(
                name="ProgramCsv",
                example="program.csv",
                summary="Program of {edition} as CSV",
                description="The program as a table.",
                tag="Other formats",
                schema=lambda content: {"type": "string"},
            ),
        ),
    )
    monkeypatch.setattr(apiroutes, "EDITION_ROUTES", (*apiroutes.EDITION_ROUTES, program_csv))
    client = build_app().test_client()

    index = index_of(client)
    assert {"name": "program.csv", "url": "/api/v1/program.csv", "media_type": "text/csv"}.items() <= next(
        d for d in index["current_documents"] if d["name"] == "program.csv"
    ).items()
    (listed,) = [d for d in index["editions"][0]["documents"] if d["name"] == "program.csv"]
    assert (listed["url"], listed["media_type"]) == ("/api/v1/editions/icml2023/program.csv", "text/csv")
    response = client.get(listed["url"])
    assert (response.status_code, response.mimetype) == (200, "text/csv")
    assert response.data == b"id,title\nicml2023,\n"


def test_the_index_shape_is_documented(client: FlaskClient) -> None:
    """index.json's fields are in its OpenAPI schema, each with a description (its example is checked as served)."""
    document = json.loads(client.get("/api/v1/openapi.json").data)
    schemas = document["components"]["schemas"]
    assert {"documents", "current_documents"} <= set(schemas["Index"]["properties"])
    assert {"documents", "url_templates"} <= set(schemas["IndexEdition"]["properties"])
    assert list(schemas["ListedDocument"]["properties"]) == ["name", "url", "media_type", "summary"]
    assert re.fullmatch(schemas["ListedDocument"]["properties"]["media_type"]["pattern"], "text/calendar")
    assert "url_template" in schemas["ListedTemplate"]["properties"]
