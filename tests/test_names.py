"""One name per person: a session's presenter is one of the paper's authors (an error otherwise), and
names one slip apart across speakers, authors and committee are warned about (check, reload log, status)."""

from __future__ import annotations

import logging
import shutil
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLE_DATA, build_app, edit_data_file
from workshop.cli import main
from workshop.names import NameUse, near_duplicates, written_form


def pairs(*names: str) -> set[frozenset[str]]:
    uses = [NameUse("papers", ("papers", index), name) for index, name in enumerate(names)]
    return {frozenset((one.name, other.name)) for one, other in near_duplicates(uses)}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Anna Scaife", "Anna Scaiffe"),  # a letter doubled
        ("Megan Ansdell", "Megan Andsell"),  # two letters swapped
        ("Brice Ménard", "Brice Menard"),  # an accent lost: accents are kept, so the two differ by one
        ("François Lanusse", "Francois Lanusse"),
    ],
)
def test_names_one_slip_apart_are_near_duplicates(one: str, other: str) -> None:
    assert pairs(one, other, "Someone Else") == {frozenset((one, other))}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Wei Lee", "Wei Li"),  # short words are different names far more often than misspellings of one
        ("Jo Smith", "Joe Smith"),
        ("Anna Scaife", "Anna Scaife"),  # identical: one person, written one way
        ("Anna Scaife", "ANNA SCAIFE"),  # case alone is no second spelling
        ("Megan Ansdell", "Morgan Ansdell"),  # clearly different first names
        ("Anna Scaife", "Anna Scaife Jones"),  # a word more is not a slip
    ],
)
def test_different_or_identical_names_are_not_near_duplicates(one: str, other: str) -> None:
    assert pairs(one, other) == set()


def test_names_are_compared_in_nfc() -> None:
    composed = "Brice Ménard"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    # One name typed two ways (é as one character, or e and a combining accent): the same name.
    assert pairs(composed, decomposed) == set()
    assert pairs(decomposed, "Brice Menard") == {frozenset((decomposed, "Brice Menard"))}


@pytest.fixture
def example_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(EXAMPLE_DATA, target)
    return target


def test_check_warns_about_an_author_written_like_a_speaker_and_still_passes(example_dir: Path) -> None:
    edit_data_file(example_dir / "example" / "papers.yaml", "- name: Emmy Example", "- name: Jnae Doe")

    result = CliRunner().invoke(main, ["check", "--data-dir", str(example_dir)])

    assert result.exit_code == 0, result.output
    warning = next(line for line in result.output.splitlines() if line.startswith("warning: "))
    assert warning.startswith("warning: data/example/papers.yaml:")
    assert "papers[1].authors[0].name: 'Jnae Doe' is nearly 'Jane Doe' (speakers.yaml, speakers[0].name)" in warning
    assert "1 warning(s)" in result.output
    assert "OK: " in result.output


def test_check_shows_no_warning_for_the_example_edition(example_dir: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--data-dir", str(example_dir)])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output


def test_a_session_presenter_who_is_not_an_author_is_an_error(example_dir: Path) -> None:
    edit_data_file(
        example_dir / "example" / "program.yaml",
        "    papers: [fast-emulators]\n",
        "    papers: [fast-emulators]\n    presenters:\n      - {paper: fast-emulators, name: Jane Doe}\n",
    )

    result = CliRunner().invoke(main, ["check", "--data-dir", str(example_dir)])

    assert result.exit_code == 1, result.output
    assert (
        "data/example/program.yaml:25: sessions[2].presenters[0].name: Session 'spotlights-morning' presents "
        "paper 'fast-emulators', but its presenter 'Jane Doe' is not among the paper's authors "
        "(Grace Example, Alan Example)."
    ) in result.output


def test_a_session_presenter_is_written_as_papers_yaml_writes_the_author(example_dir: Path) -> None:
    edit_data_file(
        example_dir / "example" / "program.yaml",
        "    papers: [fast-emulators]\n",
        # Another case is another form of the name: one form everywhere.
        "    papers: [fast-emulators]\n    presenters:\n      - {paper: fast-emulators, name: alan example}\n",
    )

    result = CliRunner().invoke(main, ["check", "--data-dir", str(example_dir)])

    assert result.exit_code == 1, result.output
    assert "but its presenter 'alan example' is not among the paper's authors" in result.output


def test_a_name_typed_decomposed_is_the_same_written_form() -> None:
    composed = "Brice Ménard"
    assert written_form(unicodedata.normalize("NFD", composed)) == written_form(composed)
    assert written_form("Brice  Ménard ") == composed
    assert written_form("brice ménard") != composed


def test_a_presenter_for_a_paper_the_session_does_not_present_is_an_error(example_dir: Path) -> None:
    edit_data_file(
        example_dir / "example" / "program.yaml",
        "    papers: [fast-emulators]\n",
        "    papers: [fast-emulators]\n    presenters:\n      - {paper: rare-signals, name: Emmy Example}\n",
    )

    result = CliRunner().invoke(main, ["check", "--data-dir", str(example_dir)])

    assert result.exit_code == 1, result.output
    assert "Session 'spotlights-morning' does not present paper 'rare-signals'" in result.output


def test_status_lists_warnings_and_the_reload_logs_them(example_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    app = build_app(example_dir)
    client = app.test_client()
    assert client.get("/api/v1/status.json").get_json()["warnings"] == []

    edit_data_file(example_dir / "example" / "committee.yaml", "name: John Roe", "name: Jonh Roe")
    with caplog.at_level(logging.WARNING, logger="workshop.store"):
        store = app.extensions["workshop.store"]
        store.poll()
        assert store.poll()

    status = client.get("/api/v1/status.json").get_json()
    assert status["state"] == "current"
    assert status["warnings"] == [
        {
            "file": "example/committee.yaml",
            "line": 10,
            "field": "members[1].name",
            "message": "'Jonh Roe' is nearly 'John Roe' (speakers.yaml, speakers[1].name): "
            "one person written two ways? Write the name one way everywhere.",
        }
    ]
    assert "1 warning(s)" in caplog.text
    assert "example/committee.yaml:10: members[1].name: 'Jonh Roe' is nearly 'John Roe'" in caplog.text


def test_warnings_are_logged_when_the_server_starts(example_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    edit_data_file(example_dir / "example" / "committee.yaml", "name: John Roe", "name: Jonh Roe")
    with caplog.at_level(logging.WARNING, logger="workshop.store"):
        build_app(example_dir)
    assert "example/committee.yaml:10: members[1].name: 'Jonh Roe' is nearly 'John Roe'" in caplog.text
