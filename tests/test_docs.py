"""Docs checked by tests: the field reference, the README's commands and API list."""

from __future__ import annotations

import re

from click.testing import CliRunner

from tests.conftest import EXAMPLE_DATA, EXAMPLE_EDITION, PROJECT_ROOT, edit_data_file
from workshop.cli import main
from workshop.content import load_content, parse_yaml
from workshop.documents import API_RESOURCES
from workshop.fieldref import (
    END_MARKER,
    START_MARKER,
    example_path,
    field_reference,
    field_rows,
)
from workshop.schemas import RESOURCE_SCHEMAS, EditionsSchema

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
DATA_README = (PROJECT_ROOT / "data" / "README.md").read_text(encoding="utf-8")


def test_field_reference_in_data_readme_is_current() -> None:
    start = DATA_README.index(START_MARKER)
    end = DATA_README.index(END_MARKER) + len(END_MARKER)
    assert DATA_README[start:end] == field_reference(), (
        "data/README.md is out of date: run `python -m workshop field-reference --write`"
    )


def test_every_schema_field_is_documented() -> None:
    for schema_class in (EditionsSchema, *RESOURCE_SCHEMAS.values()):
        for path, _kind, _presence, description in field_rows(schema_class()):
            assert f"| `{path}` |" in DATA_README, f"{schema_class.__name__}: {path} missing from data/README.md"
            assert description, f"{schema_class.__name__}.{path} has no description"


def _example_paths(value: object, prefix: str = "") -> set[str]:
    """Field paths present in parsed YAML, spelled as in the reference (items[].id)."""
    paths: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            paths |= {f"{prefix}{key}"} | _example_paths(item, f"{prefix}{key}.")
    elif isinstance(value, list):
        for item in value:
            paths |= _example_paths(item, f"{prefix.removesuffix('.')}[].")
    return paths


def test_the_example_edition_is_valid_and_uses_every_field() -> None:
    content = load_content(EXAMPLE_DATA)
    assert list(content.editions) == [EXAMPLE_EDITION]
    for file_name, schema_class in [("editions.yaml", EditionsSchema)] + [
        (f"{resource}.yaml", schema) for resource, schema in RESOURCE_SCHEMAS.items()
    ]:
        used = _example_paths(parse_yaml(example_path(file_name).read_text(encoding="utf-8")).data)
        fields = {path for path, *_ in field_rows(schema_class())}
        assert fields - used == set(), f"{file_name}: the example does not show {sorted(fields - used)}"


def test_readme_starts_with_the_two_commands_ci_runs() -> None:
    commands = re.findall(r"```sh\n(.+?)\n```", README)
    assert commands[:2] == ["make run", "make test"]
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run:", makefile, re.MULTILINE)
    assert re.search(r"^test:", makefile, re.MULTILINE)
    assert re.search(r"^make test$", (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8"), re.MULTILINE)


def test_readme_lists_every_api_resource() -> None:
    for resource in API_RESOURCES:
        assert f"`{resource}`" in README, f"README does not mention the {resource} resource"


def test_check_command_passes_on_shipped_data() -> None:
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert "current icml2023" in result.output


def test_check_command_lists_every_problem_and_fails(data_dir) -> None:
    (data_dir / "icml2023" / "topics.yaml").write_text("items: 3\n", encoding="utf-8")
    dates = data_dir / "icml2023" / "dates.yaml"
    edit_data_file(dates, "-12:00", "", every=True)
    result = CliRunner().invoke(main, ["check", "--data-dir", str(data_dir)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert any(line.startswith("data/icml2023/topics.yaml:1: items: ") for line in lines), lines
    assert any(re.match(r"data/icml2023/dates\.yaml:\d+: items\[0\]\.at: Missing UTC offset", line) for line in lines)
    assert lines[-1].endswith("problem(s) found.")
