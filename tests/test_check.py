"""`python -m workshop check` says OK only when the site can serve every URL from the data files,
and checks the data folder the server would use."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLE_DATA
from workshop import citations, paperpage
from workshop.cli import main


def break_a_file(data_dir: Path) -> None:
    (data_dir / "icml2023" / "topics.yaml").write_text("items: 3\n", encoding="utf-8")


def test_check_builds_every_document_and_names_each_url_that_fails(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_calendar(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("this calendar cannot be written")

    # Valid data files whose calendars cannot be built (as a title ending in a newline once did).
    monkeypatch.setattr("workshop.calendarfiles.to_ical", failing_calendar)

    result = CliRunner().invoke(main, ["check", "--data-dir", str(data_dir)])

    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    for url in ("/api/v1/dates.ics", "/api/v1/editions/icml2023/dates.ics"):
        assert f"{url}: answered 500." in lines, result.output
    assert not any(line.startswith(("/api/v1/site.json", "/icml2023/:")) for line in lines), result.output
    assert "OK" not in result.output
    assert "the site cannot serve these URLs" in lines[-1]


def test_check_names_the_failing_documents_of_any_paper_not_only_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `check` requests the first URL of a route and builds the others' documents without a request
    # each: a paper further down whose page and BibTeX cannot be built is named all the same.
    data_dir = tmp_path / "data"
    shutil.copytree(EXAMPLE_DATA, data_dir)
    bibtex_entry, paper_meta = citations.bibtex_entry, paperpage.paper_meta

    def fails_on_the_second_paper(build: Any) -> Any:
        def failing(edition: Any, paper: Any) -> Any:
            if paper.id == "rare-signals":
                raise RuntimeError("this paper cannot be written")
            return build(edition, paper)

        return failing

    monkeypatch.setattr("workshop.citations.bibtex_entry", fails_on_the_second_paper(bibtex_entry))
    monkeypatch.setattr("workshop.paperpage.paper_meta", fails_on_the_second_paper(paper_meta))

    result = CliRunner().invoke(main, ["check", "--data-dir", str(data_dir)])

    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    for url in (
        "/example/papers/rare-signals/",
        "/api/v1/editions/example/papers/rare-signals.bib",
        "/api/v1/editions/example/papers.bib",
    ):
        assert f"{url}: answered 500." in lines, result.output
    assert not any("fast-emulators" in line or "rare-signals.json" in line for line in lines), result.output
    assert "OK" not in result.output


def test_check_passes_when_every_url_answers(data_dir: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    assert "pages, documents and photos built." in result.output


def test_check_uses_workshop_data_dir_like_the_server(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    break_a_file(data_dir)
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(data_dir))

    result = CliRunner().invoke(main, ["check"])

    assert result.exit_code == 1, result.output
    assert "data/icml2023/topics.yaml:1: items: " in result.output


def test_the_data_dir_option_wins_over_the_environment(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(tmp_path / "nowhere"))
    result = CliRunner().invoke(main, ["check", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
