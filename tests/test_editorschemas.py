"""The JSON Schemas that editors use while organizers type: current, right, and wired up."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from marshmallow import Schema, ValidationError

from tests.conftest import PROJECT_ROOT, SHIPPED_DATA
from workshop.cli import main
from workshop.content import EDITIONS_FILE, parse_yaml
from workshop.editorschemas import (
    SCHEMA_DIR,
    VSCODE_SETTINGS,
    WRITE_COMMAND,
    data_file_kinds,
    file_states,
    generated_schemas,
    write_files,
)
from workshop.schemas import RESOURCE_SCHEMAS, EditionsSchema

KINDS = {kind.name: kind for kind in data_file_kinds()}
EDITION = "icml2023"

FieldPath = tuple[str | int, ...]


def shipped_data_files() -> list[Path]:
    editions = sorted(path for path in SHIPPED_DATA.iterdir() if (path / "site.yaml").is_file())
    return [SHIPPED_DATA / EDITIONS_FILE, *(file for edition in editions for file in sorted(edition.glob("*.yaml")))]


def kind_of(data_file: Path) -> str:
    return data_file.stem


def load(data_file: str) -> Any:
    """A shipped data file as the loader parses it (dates stay text)."""
    return parse_yaml((SHIPPED_DATA / data_file).read_text(encoding="utf-8")).data


def committed_schema(kind: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / KINDS[kind].schema_file).read_text(encoding="utf-8"))


def validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(committed_schema(kind), format_checker=Draft202012Validator.FORMAT_CHECKER)


def marshmallow_schema(kind: str) -> Schema:
    return EditionsSchema() if kind == KINDS["editions"].name else RESOURCE_SCHEMAS[kind]()


def walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


# --- The committed files are the generated ones ---------------------------------


def test_committed_json_schemas_are_current() -> None:
    stale = [f"{state.path.relative_to(PROJECT_ROOT)}: {state.state}" for state in file_states() if not state.current]
    assert not stale, f"Out of date: {stale}; run `{WRITE_COMMAND}`"


def test_there_is_one_json_schema_per_data_file_kind() -> None:
    assert set(generated_schemas()) == {f"{name}.schema.json" for name in ("editions", *RESOURCE_SCHEMAS)}
    assert {path.name for path in SCHEMA_DIR.iterdir()} == set(generated_schemas())


def test_json_schema_command_reports_every_file_up_to_date() -> None:
    result = CliRunner().invoke(main, ["json-schema"])
    assert result.exit_code == 0, result.output
    for name in generated_schemas():
        assert f"data/schemas/{name} " in result.output
    assert result.output.count(": up to date") == len(generated_schemas()) + 1  # and .vscode/settings.json


def test_write_creates_updates_and_deletes_and_keeps_other_editor_settings(tmp_path: Path) -> None:
    schema_dir = tmp_path / "data" / "schemas"
    schema_dir.mkdir(parents=True)
    (schema_dir / "dates.schema.json").write_text("{}\n", encoding="utf-8")
    (schema_dir / "gone.schema.json").write_text("{}\n", encoding="utf-8")
    settings = tmp_path / ".vscode" / "settings.json"
    settings.parent.mkdir()
    settings.write_text('{"editor.tabSize": 2, "yaml.schemas": {"old.json": ["x.yaml"]}}', encoding="utf-8")

    before = {state.path.name: state.state for state in write_files(tmp_path)}

    assert before["dates.schema.json"] == "out of date"
    assert before["site.schema.json"] == "missing"
    assert before["gone.schema.json"] == "not generated any more"
    assert not (schema_dir / "gone.schema.json").exists()
    assert {path.name: path.read_text(encoding="utf-8") for path in schema_dir.iterdir()} == generated_schemas()
    written = json.loads(settings.read_text(encoding="utf-8"))
    assert written["editor.tabSize"] == 2
    assert "old.json" not in written["yaml.schemas"]
    assert all(state.current for state in write_files(tmp_path)), "a second run must change nothing"


# --- What the files say -------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_json_schema_is_self_contained_2020_12_and_refuses_unknown_fields(kind: str) -> None:
    schema = committed_schema(kind)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == KINDS[kind].title
    assert "$id" not in schema
    objects = [node for node in walk(schema) if node.get("type") in ("object", ["object", "null"])]
    assert objects
    for node in walk(schema):
        assert "$ref" not in node and "readOnly" not in node
    for node in objects:
        assert node["additionalProperties"] is False, node
        for name, field in node["properties"].items():
            assert field.get("description"), f"{kind}: {name} has no description to show on hover"


def test_derived_api_fields_are_not_offered_in_data_files() -> None:
    item = committed_schema("dates")["properties"]["items"]["items"]["properties"]
    assert {"at", "date", "date_options"} <= set(item)
    assert not {"starts_at", "ends_at"} & set(item)
    person = committed_schema("committee")["properties"]["members"]["items"]["properties"]
    assert "photo" in person
    assert not {"photo_url", "initials"} & set(person)


def test_fields_map_to_what_a_data_file_holds() -> None:
    site = committed_schema("site")["properties"]
    assert site["rationale"]["type"] == "string"  # Markdown: text in the file, an object in the API
    assert site["call_to_action"]["properties"]["href"]["type"] == "string"  # Link
    assert site["venue"]["properties"]["timezone"]["type"] == "string"  # TimeZoneName
    assert site["venue"]["properties"]["city"]["type"] == ["string", "null"]
    item = committed_schema("dates")["properties"]["items"]["items"]["properties"]
    assert (item["at"]["format"], item["date"]["format"], item["date_options"]["items"]["format"]) == (
        "date-time",
        "date",
        "date",
    )
    assert item["kind"]["enum"] == ["deadline", "announcement", "event"]
    assert item["id"]["pattern"] == "^[a-z0-9]+(?:-[a-z0-9]+)*$"
    assert committed_schema("dates")["properties"]["preliminary"]["default"] is False
    member = committed_schema("committee")["properties"]["members"]["items"]
    assert member["properties"]["role"]["default"] == "member"
    assert member["properties"]["url"]["format"] == "uri"
    assert member["required"] == ["affiliation", "id", "name"]
    size = committed_schema("posters")["properties"]["sizes"]["items"]["properties"]
    assert size["width_cm"]["minimum"] == 1
    assert committed_schema("topics")["properties"]["items"]["minItems"] == 1


# --- Shipped data and broken data ----------------------------------------------------


@pytest.mark.parametrize("data_file", shipped_data_files(), ids=lambda path: path.relative_to(SHIPPED_DATA).as_posix())
def test_every_shipped_data_file_is_valid_for_its_json_schema(data_file: Path) -> None:
    data = parse_yaml(data_file.read_text(encoding="utf-8")).data
    errors = [
        f"{list(error.absolute_path)}: {error.message}" for error in validator(kind_of(data_file)).iter_errors(data)
    ]
    assert not errors


def marshmallow_paths(messages: Any, path: FieldPath = ()) -> Iterator[FieldPath]:
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from marshmallow_paths(value, path if key == "_schema" else (*path, key))
    else:
        yield path


DELETE = object()


def edit(data: Any, path: FieldPath, value: Any) -> None:
    *parents, last = path
    for key in parents:
        data = data[key]
    if value is DELETE:
        del data[last]
    else:
        data[last] = value


BROKEN = {
    "unknown field": ("icml2023/site.yaml", ("titel",), "Machine Learning for Astrophysics"),
    "unknown field in a list item": ("icml2023/dates.yaml", ("items", 0, "colour"), "red"),
    "derived API field": ("icml2023/dates.yaml", ("items", 0, "starts_at"), "2023-05-19T23:59:00-12:00"),
    "wrong enum value": ("icml2023/dates.yaml", ("items", 0, "kind"), "deadlines"),
    "wrong role": ("icml2023/committee.yaml", ("members", 0, "role"), "chair"),
    "missing required field": ("icml2023/site.yaml", ("venue", "timezone"), DELETE),
    "missing required field in a list item": ("icml2023/topics.yaml", ("items", 0, "title"), DELETE),
    "text for a number": ("icml2023/call-for-abstracts.yaml", ("format", "max_pages"), "four"),
    "text for a true/false": ("icml2023/dates.yaml", ("preliminary",), "maybe"),
    "number for text": (EDITIONS_FILE, ("current",), 2023),
    "bad id": ("icml2023/topics.yaml", ("items", 0, "id"), "Open_Problem"),
    "time without offset": ("icml2023/dates.yaml", ("items", 0, "at"), "2023-05-19T23:59:00"),
    "no such day": ("icml2023/dates.yaml", ("items", 1, "date"), "2023-06-31"),
    "blank Markdown": ("icml2023/site.yaml", ("rationale",), "   "),
    "URL that is not http(s)": ("icml2023/call-for-abstracts.yaml", ("submission", "url"), "ftp://example.org/x"),
    "empty list that needs an item": ("icml2023/topics.yaml", ("items",), []),
    "size below the minimum": ("icml2023/posters.yaml", ("sizes", 0, "width_in"), 0),
    "empty text": ("icml2023/topics.yaml", ("items", 0, "title"), ""),
}


@pytest.mark.parametrize(("data_file", "path", "value"), BROKEN.values(), ids=BROKEN.keys())
def test_editor_and_loader_reject_the_same_mistake_at_the_same_place(
    data_file: str, path: FieldPath, value: Any
) -> None:
    data = load(data_file)
    edit(data, path, value)
    kind = kind_of(Path(data_file))

    with pytest.raises(ValidationError) as rejected:
        marshmallow_schema(kind).load(copy.deepcopy(data))
    loader_paths = list(marshmallow_paths(rejected.value.messages))
    editor_paths = [tuple(error.absolute_path) for error in validator(kind).iter_errors(data)]

    assert editor_paths, f"the JSON Schema accepts what the loader rejects: {rejected.value.messages}"
    # The editor marks the field itself, or the mapping that lacks it or has one too many.
    for editor_path in editor_paths:
        assert any(
            loader_path[: len(editor_path)] == editor_path and len(loader_path) - len(editor_path) <= 1
            for loader_path in loader_paths
        ), (editor_path, loader_paths)


ACCEPTED = {
    "a day not fixed yet": (
        "icml2023/dates.yaml",
        ("items", 1),
        {"id": "social", "title": "Social dinner", "kind": "event", "date_options": ["2023-07-27", "2023-07-28"]},
    ),
    "an event with an end": (
        "icml2023/dates.yaml",
        ("items", 0),
        {
            "id": "tutorial",
            "title": "Tutorial",
            "kind": "event",
            "at": "2023-07-28T09:00:00-10:00",
            "end": "2023-07-28T17:00:00-10:00",
            "details": "In **room 316**.",
        },
    ),
    "no city": ("icml2023/site.yaml", ("venue", "city"), None),
    "a link to a section": ("icml2023/site.yaml", ("call_to_action", "href"), "#topics"),
    "a link to a page": ("icml2023/site.yaml", ("call_to_action", "href"), "https://example.org/cfp"),
    "an IANA time zone": ("icml2023/dates.yaml", ("timezone",), "Pacific/Honolulu"),
    "a panelist": (
        "icml2023/speakers.yaml",
        ("speakers",),
        [
            {
                "id": "jane-doe",
                "name": "Jane Doe",
                "affiliation": "Example University",
                "url": "https://example.org/~doe",
                "role": "panelist",
            }
        ],
    ),
    "a published program": (
        "icml2023/program.yaml",
        ("sessions",),
        [
            {
                "id": "opening",
                "kind": "welcome",
                "title": "Opening remarks",
                "date": "2023-07-28",
                "start": "09:00",
                "end": "09:15",
            }
        ],
    ),
    "a question and answer": (
        "icml2023/logistics.yaml",
        ("faqs",),
        [{"id": "virtual", "question": "Can I present remotely?", "answer": "Yes, see [the FAQ](https://icml.cc)."}],
    ),
}


@pytest.mark.parametrize(("data_file", "path", "value"), ACCEPTED.values(), ids=ACCEPTED.keys())
def test_editor_and_loader_accept_the_same_valid_edits(data_file: str, path: FieldPath, value: Any) -> None:
    data = load(data_file)
    edit(data, path, value)
    kind = kind_of(Path(data_file))
    marshmallow_schema(kind).load(copy.deepcopy(data))
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in validator(kind).iter_errors(data)]
    assert not errors


# --- Editor set-up --------------------------------------------------------------------


def test_vscode_maps_every_data_file_kind_to_its_existing_schema() -> None:
    mapping = json.loads(VSCODE_SETTINGS.read_text(encoding="utf-8"))["yaml.schemas"]
    for kind in KINDS.values():
        schema_paths = [path for path, globs in mapping.items() if path.endswith(f"/{kind.schema_file}")]
        assert len(schema_paths) == 1, f"no yaml.schemas entry for {kind.title}"
        assert not Path(schema_paths[0]).is_absolute()
        assert (PROJECT_ROOT / schema_paths[0]).is_file()
    for data_file in shipped_data_files():
        relative = data_file.relative_to(PROJECT_ROOT).as_posix()
        matching = [path for path, globs in mapping.items() if any(fnmatchcase(relative, glob) for glob in globs)]
        assert matching == [f"./data/schemas/{kind_of(data_file)}.schema.json"], relative


def test_in_file_schema_line_of_the_data_readme_points_at_a_schema() -> None:
    readme = (SHIPPED_DATA / "README.md").read_text(encoding="utf-8")
    line = "# yaml-language-server: $schema=../schemas/dates.schema.json"
    assert line in readme
    assert (SHIPPED_DATA / EDITION / line.split("=", 1)[1]).resolve().is_file()
