"""Docs checked by tests: the field reference, the README's commands and API list, the links between documents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
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


# --- Links between the documents ----------------------------------------------------------------

DOCUMENTS = [
    PROJECT_ROOT / "README.md",
    PROJECT_ROOT / "data" / "README.md",
    *sorted((PROJECT_ROOT / "docs").glob("*.md")),
]
FENCED_CODE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
INLINE_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _prose(text: str) -> str:
    """The Markdown outside code blocks and code spans (a link or heading in code is none)."""
    return re.sub(r"`[^`\n]*`(?!\])", "", FENCED_CODE.sub("", text))


def heading_anchors(text: str) -> set[str]:
    """The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces as hyphens."""
    anchors: set[str] = set()
    for heading in re.findall(r"^#{1,6} +(.+?) *#*$", FENCED_CODE.sub("", text), re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.replace("`", "").lower()).replace(" ", "-")
        number = 0
        while (anchor := slug if number == 0 else f"{slug}-{number}") in anchors:
            number += 1
        anchors.add(anchor)
    return anchors


def broken_links(document: Path) -> list[str]:
    """Each relative link of ``document`` whose file, or whose #anchor in that file, does not exist."""
    broken = []
    for target in INLINE_LINK.findall(_prose(document.read_text(encoding="utf-8"))):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:: not a file of the project
            continue
        path, _, anchor = target.partition("#")
        linked = (document.parent / path).resolve() if path else document
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in heading_anchors(linked.read_text(encoding="utf-8")):
            broken.append(f"{target}: no heading #{anchor} in {linked.name}")
    return broken


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(PROJECT_ROOT)))
def test_every_relative_link_leads_to_a_file_and_heading(document: Path) -> None:
    assert broken_links(document) == []


def test_a_broken_link_or_anchor_is_found(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# Other\n\n## A `code` heading (twice)\n", encoding="utf-8")
    document = tmp_path / "doc.md"
    document.write_text(
        "# Title\n\n[ok](other.md#a-code-heading-twice) [ok](#title) [gone](missing.md) [bad](other.md#nope)\n"
        "[off](#elsewhere) [web](https://example.org/x) `[code](missing-too.md)`\n",
        encoding="utf-8",
    )
    assert broken_links(document) == [
        "missing.md: no such file",
        "other.md#nope: no heading #nope in other.md",
        "#elsewhere: no heading #elsewhere in doc.md",
    ]
