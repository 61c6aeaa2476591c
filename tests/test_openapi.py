"""/api/v1/openapi.json: every route, its parameters and responses, and schemas that match what is served."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator, FormatChecker
from werkzeug.routing import Rule

from tests.conftest import EXAMPLE_DATA, build_app, edit_data_file
from workshop.datafields import SLUG_PATTERN
from workshop.schemas import SERVED_SCHEMAS

OPENAPI_URL = "/api/v1/openapi.json"


@pytest.fixture(params=["shipped", "example"])
def any_app(request: pytest.FixtureRequest) -> Flask:
    """The shipped data (no program yet), and the example edition that uses every feature."""
    return build_app(EXAMPLE_DATA if request.param == "example" else None)


def document_of(client: FlaskClient) -> dict[str, Any]:
    response = client.get(OPENAPI_URL)
    assert response.status_code == 200, response.data[:500]
    assert response.mimetype == "application/json"
    return json.loads(response.data)


def api_rules(app: Flask) -> list[Rule]:
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")]


def rule_pattern(rule: str) -> re.Pattern[str]:
    """A documented path matches a rule when each <argument> is a value or an {argument} template."""
    parts = re.split(r"<(?:[^:<>]+:)?[^<>]+>", rule)
    return re.compile("^" + r"(?:[^/{}]+|\{[^/{}]+\})".join(re.escape(part) for part in parts) + "$")


def operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        yield path, item["get"]


def deref(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """The object a {"$ref": "#/components/..."} points to (the node itself when it is no reference)."""
    while "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def validator_for(document: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    # "#/components/..." references resolve within the schema itself: give it the document's components.
    return Draft202012Validator({**schema, "components": document["components"]}, format_checker=FormatChecker())


def concrete(path: str, parameters: list[dict[str, Any]], document: dict[str, Any]) -> Iterator[str]:
    """Every URL of a documented path, one per example of its last parameter, the others at their example.

    (The examples of an item id are ids of the edition that is the edition parameter's example.)
    """
    names = re.findall(r"\{([^}]+)\}", path)
    if not names:
        yield path
        return
    by_name = {deref(document, p)["name"]: deref(document, p) for p in parameters}
    for name in names[:-1]:
        path = path.replace(f"{{{name}}}", by_name[name]["example"])
    for value in by_name[names[-1]]["schema"].get("examples", []):
        yield path.replace(f"{{{names[-1]}}}", value)


def enums(node: Any) -> Iterator[list[Any]]:
    """Every ``enum`` of a document (examples, which are documents served, are not searched)."""
    if isinstance(node, dict):
        if isinstance(node.get("enum"), list):
            yield node["enum"]
        for key, value in node.items():
            if key not in ("example", "examples"):
                yield from enums(value)
    elif isinstance(node, list):
        for value in node:
            yield from enums(value)


# --- Every route -------------------------------------------------------------------------


def test_every_route_of_the_api_blueprint_is_documented(any_app: Flask) -> None:
    document = document_of(any_app.test_client())
    paths = list(document["paths"])
    for rule in api_rules(any_app):
        pattern = rule_pattern(rule.rule)
        assert any(pattern.match(path) for path in paths), f"{rule.rule} ({rule.endpoint}) is not in openapi.json"
    # And nothing is documented that the app does not serve.
    patterns = [rule_pattern(rule.rule) for rule in api_rules(any_app)]
    for path in paths:
        assert any(pattern.match(path) for pattern in patterns), f"{path} is documented but no route serves it"


def test_a_new_route_without_documentation_is_noticed(app: Flask) -> None:
    app.add_url_rule("/api/v1/talks.json", endpoint="api.talks", view_func=lambda: "{}")
    document = document_of(app.test_client())
    undocumented = [
        rule.rule
        for rule in api_rules(app)
        if not any(rule_pattern(rule.rule).match(path) for path in document["paths"])
    ]
    assert undocumented == ["/api/v1/talks.json"]


def test_one_path_per_resource_and_the_editions_as_examples(client: FlaskClient) -> None:
    document = document_of(client)
    for resource in SERVED_SCHEMAS:
        assert f"/api/v1/{resource}.json" in document["paths"]
        operation = document["paths"][f"/api/v1/editions/{{edition}}/{resource}.json"]["get"]
        (edition,) = [p for p in operation["parameters"] if p.get("name") == "edition"]
        assert edition["in"] == "path" and edition["required"] is True
        assert edition["schema"] == {"type": "string", "pattern": SLUG_PATTERN.pattern, "examples": ["icml2023"]}
        assert edition["example"] == "icml2023"
    assert "/api/v1/{resource}.json" not in document["paths"]


def test_every_documented_value_of_every_parameter_answers(any_app: Flask) -> None:
    client = any_app.test_client()
    document = document_of(client)
    fetched = 0
    for path, operation in operations(document):
        for url in concrete(path, operation["parameters"], document):
            response = client.get(url)
            assert response.status_code == 200, url
            media_types = list(operation["responses"]["200"]["content"])
            assert response.mimetype in media_types, url
            fetched += 1
    assert fetched >= 30


def add_edition(data_dir: Path, *, current: bool) -> None:
    """What organizers do for a new year: copy the edition, with a date of a new id; maybe make it current."""
    shutil.copytree(data_dir / "icml2023", data_dir / "icml2024")
    dates = data_dir / "icml2024" / "dates.yaml"
    edit_data_file(dates, "id: workshop", "id: workshop-day")
    if current:
        editions = data_dir / "editions.yaml"
        edit_data_file(editions, "icml2023", "icml2024", every=True)


def test_no_enum_grows_with_the_data(data_dir: Path, make_app) -> None:
    """Editions and ids are open: a closed list of them would make generated clients refuse new ones."""
    before = list(enums(document_of(make_app(data_dir).test_client())))
    add_edition(data_dir, current=False)
    after = list(enums(document_of(make_app(data_dir).test_client())))
    assert after == before  # only the code's lists (resources, kinds, roles...) are enums
    assert [values for values in after if {"icml2023", "icml2024", "workshop-day"} & set(values)] == []


def test_a_client_of_todays_document_accepts_the_documents_of_a_new_edition(data_dir: Path, make_app) -> None:
    """The response schemas of today's document validate what the API serves once organizers add an edition."""
    today = document_of(make_app(data_dir).test_client())
    add_edition(data_dir, current=True)
    client = make_app(data_dir).test_client()
    urls = {
        "/api/v1/index.json": "/api/v1/index.json",
        "/api/v1/status.json": "/api/v1/status.json",
        "/api/v1/dates.json": "/api/v1/dates.json",
        "/api/v1/site.json": "/api/v1/site.json",
        "/api/v1/editions/{edition}/dates.json": "/api/v1/editions/icml2024/dates.json",
        "/api/v1/editions/{edition}/topics.json": "/api/v1/editions/icml2024/topics.json",
    }
    for path, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        schema = today["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        errors = list(validator_for(today, schema).iter_errors(json.loads(response.data)))
        assert not errors, f"{url}: {errors[0].message} at {list(errors[0].path)}"
    # The new edition's new date: today's path and parameters describe its URL too.
    operation = today["paths"]["/api/v1/editions/{edition}/dates/{item_id}.ics"]["get"]
    for parameter, value in (("edition", "icml2024"), ("item_id", "workshop-day")):
        (declared,) = [p for p in operation["parameters"] if p.get("name") == parameter]
        assert Draft202012Validator(declared["schema"]).is_valid(value), parameter
    assert client.get("/api/v1/editions/icml2024/dates/workshop-day.ics").status_code == 200


def test_item_calendars_have_one_path_for_every_edition(data_dir: Path, make_app) -> None:
    add_edition(data_dir, current=False)
    client = make_app(data_dir).test_client()
    document = document_of(client)
    item_paths = [path for path in document["paths"] if path.endswith("}.ics")]
    assert item_paths == [
        "/api/v1/editions/{edition}/dates/{item_id}.ics",
        "/api/v1/editions/{edition}/sessions/{session_id}.ics",
    ]
    dates = document["paths"]["/api/v1/editions/{edition}/dates/{item_id}.ics"]["get"]
    parameters = {p["name"]: p for p in dates["parameters"] if "name" in p}
    # The ids shown are the current edition's, and so is the edition the examples go with.
    assert parameters["edition"]["example"] == "icml2023"
    assert parameters["edition"]["schema"]["examples"] == ["icml2023", "icml2024"]
    assert "workshop" in parameters["item_id"]["schema"]["examples"]
    assert "workshop-day" not in parameters["item_id"]["schema"]["examples"]
    # Both editions' files are among the response examples.
    examples = dates["responses"]["200"]["content"]["text/calendar"]["examples"]
    assert {"icml2023/workshop", "icml2024/workshop-day"} <= set(examples)
    # No program is published: the session files are documented, and every id is a 404 for now.
    sessions = document["paths"]["/api/v1/editions/{edition}/sessions/{session_id}.ics"]["get"]
    assert "published yet" in sessions["description"]
    assert client.get("/api/v1/editions/icml2023/sessions/keynote.ics").status_code == 404


# --- Schemas: the data files' schemas, for the output side ----------------------------------


def test_examples_are_the_documents_served_and_match_their_schemas(any_app: Flask) -> None:
    client = any_app.test_client()
    document = document_of(client)
    checked = 0
    for path, operation in operations(document):
        for media_type, media in operation["responses"]["200"]["content"].items():
            for name, reference in media.get("examples", {}).items():
                example = deref(document, reference)
                # application/feed+json is JSON too (a structured syntax suffix).
                is_json = media_type == "application/json" or media_type.endswith("+json")
                if is_json:
                    errors = list(validator_for(document, media["schema"]).iter_errors(example["value"]))
                    assert not errors, f"{path} example {name}: {errors[0].message} at {list(errors[0].path)}"
                # Named after the values of the path's parameters: "icml2023", or "icml2023/workshop".
                url = path
                for placeholder, value in zip(re.findall(r"\{[^}]+\}", path), name.split("/"), strict=False):
                    url = url.replace(placeholder, value)
                served = client.get(url)
                assert served.status_code == 200, url
                expected = example["value"]
                got = json.loads(served.data) if is_json else served.data.decode()
                if url.endswith("/status.json"):
                    got["loaded_at"] = expected["loaded_at"]  # when this process loaded the content
                assert got == expected, f"{path}: the example {name} is not what {url} serves"
                checked += 1
    assert checked >= 30


def test_rich_text_urls_derived_fields_and_nullable_fields(client: FlaskClient) -> None:
    schemas = document_of(client)["components"]["schemas"]
    rich_text = {"$ref": "#/components/schemas/RichText"}
    assert schemas["RichText"]["required"] == ["markdown", "html"]
    assert schemas["RichText"]["properties"]["html"]["type"] == "string"
    # Markdown: {markdown, html}, and null where the field may be left out of the data file.
    assert {k: v for k, v in schemas["Site"]["properties"]["rationale"].items() if k != "description"} == rich_text
    assert schemas["DateItem"]["properties"]["details"]["anyOf"] == [rich_text, {"type": "null"}]
    # URLs are "uri"; derived (dump_only) fields are readOnly, and may be null when they say so.
    assert schemas["Speaker"]["properties"]["url"]["format"] == "uri"
    assert schemas["Speaker"]["properties"]["url"]["type"] == ["string", "null"]
    assert schemas["Speaker"]["properties"]["photo_url"] == {
        "type": ["string", "null"],
        "readOnly": True,
        "description": "URL of the photo, or null.",
    }
    assert schemas["DateItem"]["properties"]["starts_at"]["readOnly"] is True
    assert schemas["DateItem"]["properties"]["starts_at"]["format"] == "date-time"
    # Every field is in every response, except in CSL-JSON, whose rules leave out what is unknown (never null).
    for name, schema in schemas.items():
        if schema.get("type") == "object" and "properties" in schema and not name.startswith("Csl"):
            assert schema["required"] == list(schema["properties"]), name
    assert schemas["CslName"].get("required", []) == []
    assert "abstract" not in schemas["CslItem"]["required"] and "title" in schemas["CslItem"]["required"]


def test_each_resource_has_an_envelope_around_its_schema(client: FlaskClient) -> None:
    document = document_of(client)
    schemas = document["components"]["schemas"]
    for resource in SERVED_SCHEMAS:
        media = document["paths"][f"/api/v1/{resource}.json"]["get"]["responses"]["200"]["content"]
        envelope = deref(document, media["application/json"]["schema"])
        assert list(envelope["properties"]) == [
            "api_version",
            "content_version",
            "edition",
            "resource",
            "url",
            "html_url",
            "data",
            *(["phase"] if resource == "site" else []),  # site.json also says the workshop's phase
        ]
        assert envelope["properties"]["resource"]["enum"] == [resource]
        data = deref(document, envelope["properties"]["data"])
        schema_class = SERVED_SCHEMAS[resource]
        if resource == "site":  # every section under its key
            assert set(data["properties"]) == {name.replace("-", "_") for name in SERVED_SCHEMAS}
        else:
            assert list(data["properties"]) == list(schema_class().fields)
    assert "Problem" in schemas


def test_every_field_and_parameter_is_described(client: FlaskClient) -> None:
    document = document_of(client)
    undescribed = [
        f"{name}.{field}"
        for name, schema in document["components"]["schemas"].items()
        for field, prop in schema.get("properties", {}).items()
        if not prop.get("description")
    ]
    assert undescribed == []
    for path, operation in operations(document):
        assert operation["summary"] and operation["description"], path
        for parameter in operation["parameters"]:
            assert deref(document, parameter)["description"], path
    for name, header in document["components"]["headers"].items():
        assert header["description"], name


# --- Responses: errors, 304 and headers as documented -----------------------------------------


def test_every_error_is_a_documented_problem(client: FlaskClient) -> None:
    document = document_of(client)
    problem = document["components"]["schemas"]["Problem"]
    assert problem["required"] == ["type", "title", "status", "detail"]
    responses = document["paths"]["/api/v1/editions/{edition}/topics.json"]["get"]["responses"]
    assert set(responses) == {"200", "304", "404", "405", "406", "500"}
    cases = {
        "404": client.get("/api/v1/editions/icml1999/topics.json"),
        "405": client.post("/api/v1/editions/icml2023/topics.json"),
        "406": client.get("/api/v1/editions/icml2023/topics.json", headers={"Accept": "text/html"}),
    }
    for status, response in cases.items():
        assert str(response.status_code) == status
        documented = deref(document, responses[status])
        media = documented["content"][response.mimetype]
        assert not list(validator_for(document, media["schema"]).iter_errors(json.loads(response.data)))
        for name, header in documented["headers"].items():
            if deref(document, header)["required"]:
                assert name in response.headers, f"{status} lacks {name}"
    assert "Allow" in deref(document, responses["405"])["headers"]
    # A path without parameters cannot be a 404.
    assert "404" not in document["paths"]["/api/v1/index.json"]["get"]["responses"]


def test_conditional_requests_and_response_headers_are_documented(client: FlaskClient) -> None:
    document = document_of(client)
    operation = document["paths"]["/api/v1/topics.json"]["get"]
    assert {deref(document, p)["name"] for p in operation["parameters"]} == {"If-None-Match", "If-Modified-Since"}
    first = client.get("/api/v1/topics.json")
    documented = operation["responses"]["200"]["headers"]
    for name in ("ETag", "Last-Modified", "Cache-Control", "Link", "Access-Control-Allow-Origin"):
        header = deref(document, documented[name])
        assert header["required"], name
        assert Draft202012Validator(header["schema"]).is_valid(first.headers[name]), (name, first.headers[name])
    again = client.get("/api/v1/topics.json", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    for name, header in operation["responses"]["304"]["headers"].items():
        if deref(document, header)["required"]:
            assert name in again.headers, name
    # status.json is revalidated every time and has no Last-Modified.
    status = document["paths"]["/api/v1/status.json"]["get"]["responses"]["200"]["headers"]
    assert "Last-Modified" not in status


def test_the_document_is_built_once_per_content_version(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    from workshop import openapi

    builds: list[str] = []
    build: Callable[..., dict[str, Any]] = openapi.openapi_document

    def counting(content: Any) -> dict[str, Any]:
        builds.append(content.version)
        return build(content)

    monkeypatch.setattr(openapi, "openapi_document", counting)
    client = app.test_client()
    first = client.get(OPENAPI_URL)
    second = client.get(OPENAPI_URL, headers={"Accept-Encoding": "identity", "Accept": "application/json"})
    assert first.data == second.data
    assert len(builds) == 1
    assert first.headers["ETag"] == second.headers["ETag"]
    assert json.loads(first.data)["info"]["description"].endswith(f"content version {builds[0]}.")


def test_the_api_is_public_and_says_who_answers_for_it_and_under_which_license(data_dir: Path, make_app) -> None:
    client = make_app(data_dir, CONTENT_LICENSE="CC0-1.0", SITE_URL="https://astro.example.org").test_client()
    document = document_of(client)
    # No operation needs credentials: generated clients ask for none.
    assert document["security"] == []
    assert all("security" not in operation for _, operation in operations(document))
    assert document["info"]["license"] == {"name": "CC0-1.0", "identifier": "CC0-1.0"}
    logistics = json.loads(client.get("/api/v1/logistics.json").data)["data"]
    assert document["info"]["contact"] == {
        "name": "The organizers of Machine Learning for Astrophysics",
        "url": "https://astro.example.org/",
        "email": logistics["contact"]["email"],
    }
