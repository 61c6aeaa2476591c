"""`python -m workshop import-papers`: CMT and OpenReview exports, camera-ready PDFs, merging, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from flask import Flask

from tests.conftest import edit_data_file
from tests.papers_import_exports import (
    CMT_ROWS,
    EMAILS,
    HEADER,
    minimal_pdf,
    openreview_notes,
    write_cmt,
    write_workbook,
    write_zip,
)
from workshop.cli import main
from workshop.content import load_content
from workshop.export import export_site

EDITION = "icml2023"


def run_import(data_dir: Path, *args: str | Path) -> Result:
    return CliRunner().invoke(main, ["import-papers", EDITION, *map(str, args), "--data-dir", str(data_dir)])


def papers_of(data_dir: Path) -> list[dict[str, Any]]:
    return yaml.safe_load((data_dir / EDITION / "papers.yaml").read_text(encoding="utf-8"))["papers"]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes: to see that nothing at all was written."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


EXPECTED_CMT = [
    {
        "id": "cmt-1",
        "title": "Émulateurs rapides : N-body in milliseconds",
        "authors": [
            {
                "name": "José Müller-Lüdenscheidt",
                "family": "Müller-Lüdenscheidt",
                "affiliation": "Max Planck Institute for Astronomy (MPIA)",
                "presenter": True,
            },
            {"name": "Siobhán O'Brien", "family": "O'Brien", "affiliation": "Trinity College Dublin"},
        ],
        "abstract": "We train an emulator.\nIt is fast.",
        "keywords": ["Cosmology"],
        "track": "Extended abstracts",
        "source": {"cmt": 1},
    },
    {
        "id": "cmt-2",
        "title": "宇宙の大規模構造",
        "authors": [
            {"name": "王小明", "family": "王", "affiliation": "北京大学"},
            {"name": "Martin Luther King Jr.", "family": "King", "affiliation": "Morehouse College", "presenter": True},
            {"name": "Zoé D'Arcy", "family": "D'Arcy", "affiliation": "Université de Paris; CNRS"},
        ],
        "keywords": ["Large-scale structure"],
        "track": "Extended abstracts",
        "source": {"cmt": 2},
    },
]


# --- Each format -------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".txt", ".csv", ".xlsx", ".xls"])
def test_each_cmt_format_imports_the_accepted_papers_with_hard_names(
    data_dir: Path, tmp_path: Path, suffix: str
) -> None:
    export = write_cmt(tmp_path, suffix)
    result = run_import(data_dir, export)
    assert result.exit_code == 0, result.output
    assert papers_of(data_dir) == EXPECTED_CMT
    # One letter per accented letter (NFC), whatever the export held.
    assert "Zoé" in (data_dir / EDITION / "papers.yaml").read_text(encoding="utf-8")
    assert "Read 2 accepted paper(s) from cmt; not imported: Reject 1, Withdrawn 1." in result.output
    assert "cmt-1: Émulateurs rapides" in result.output and "cmt-2: 宇宙の大規模構造" in result.output
    written = b"".join(snapshot(data_dir).values()).decode("utf-8", "replace")
    assert not any(email in written for email in EMAILS), "e-mail addresses are never published"
    load_content(data_dir)  # what `workshop check` runs


def test_control_characters_from_the_export_are_dropped(data_dir: Path, tmp_path: Path) -> None:
    rows = [list(row) for row in CMT_ROWS]
    rows[0][1] = "Fast\x00 emulators\x07"
    rows[0][2] = "First line.\x1b[31m\r\nSecond\tline."
    assert run_import(data_dir, write_cmt(tmp_path, ".csv", rows)).exit_code == 0
    paper = papers_of(data_dir)[0]
    assert (paper["title"], paper["abstract"]) == ("Fast emulators", "First line.[31m\nSecond line.")


def test_the_check_command_passes_after_an_import(data_dir: Path, tmp_path: Path) -> None:
    assert run_import(data_dir, write_cmt(tmp_path, ".txt")).exit_code == 0
    result = CliRunner().invoke(main, ["check", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output


def test_a_workbook_with_one_sheet_per_track_takes_the_track_from_the_sheet(data_dir: Path, tmp_path: Path) -> None:
    header = [name for name in HEADER if name != "Track Name"]
    rows = [[cell for index, cell in enumerate(row) if HEADER[index] != "Track Name"] for row in CMT_ROWS]
    path = tmp_path / "Papers.xlsx"
    write_workbook(path, {"Main track": [header, rows[0]], "Datasets": [header, rows[1], rows[2]]})
    result = run_import(data_dir, path)
    assert result.exit_code == 0, result.output
    assert {paper["id"]: paper["track"] for paper in papers_of(data_dir)} == {
        "cmt-1": "Main track",
        "cmt-2": "Datasets",
    }
    assert "not imported: Reject 1." in result.output


def test_without_a_status_column_every_row_is_imported(data_dir: Path, tmp_path: Path) -> None:
    header = HEADER[:-1]
    rows = [row[:-1] for row in CMT_ROWS]
    result = run_import(data_dir, write_cmt(tmp_path, ".csv", rows, header))
    assert result.exit_code == 0, result.output
    assert [paper["id"] for paper in papers_of(data_dir)] == ["cmt-1", "cmt-2", "cmt-3", "cmt-4"]


def test_an_openreview_dump_links_each_paper_to_its_forum(data_dir: Path, tmp_path: Path) -> None:
    dump = tmp_path / "notes.json"
    dump.write_text(json.dumps(openreview_notes()), encoding="utf-8")
    result = run_import(data_dir, dump)
    assert result.exit_code == 0, result.output
    papers = papers_of(data_dir)
    assert [paper["id"] for paper in papers] == ["openreview-3", "openreview-7"]  # by submission number
    lensing = papers[1]
    assert lensing["title"] == "Simulation-based inference for strong lensing"
    assert [author["name"] for author in lensing["authors"]] == ["Ana María Pérez-Gómez", "Seán Ó Ceallaigh", "李华"]
    assert lensing["authors"][0]["presenter"] is True
    assert lensing["openreview"] == "https://openreview.net/forum?id=Xy12AbCdEf"
    assert lensing["pdf"] == "https://openreview.net/pdf?id=Xy12AbCdEf"
    assert lensing["keywords"] == ["strong lensing", "simulation-based inference"]
    assert lensing["abstract"] == "We fit lens models with *neural posterior estimation*.\n\nCode is public."
    assert lensing["source"] == {"openreview": "Xy12AbCdEf"}
    assert papers[0]["title"] == "Transients in survey data, found early"
    assert "pdf" not in papers[0]
    assert "Rejected Submission 1, Withdrawn Submission 1" in result.output
    text = (data_dir / EDITION / "papers.yaml").read_text(encoding="utf-8")
    assert "@" not in text and "~Ana" not in text, "author ids and e-mail addresses are never published"
    load_content(data_dir)


@pytest.mark.parametrize(("suffix", "renamed"), [(".txt", "papers.dat"), (".xlsx", "Papers"), (".xls", "export.bin")])
def test_the_format_is_recognized_from_the_content_when_the_name_does_not_say(
    data_dir: Path, tmp_path: Path, suffix: str, renamed: str
) -> None:
    export = write_cmt(tmp_path, suffix).rename(tmp_path / renamed)
    result = run_import(data_dir, export)
    assert result.exit_code == 0, result.output
    assert papers_of(data_dir) == EXPECTED_CMT


def test_format_option_overrides_the_file_name(data_dir: Path, tmp_path: Path) -> None:
    dump = tmp_path / "notes.txt"  # would be read as CMT's tab-separated text
    dump.write_text(json.dumps(openreview_notes()), encoding="utf-8")
    assert run_import(data_dir, dump).exit_code == 1
    result = run_import(data_dir, dump, "--format", "openreview")
    assert result.exit_code == 0, result.output
    assert len(papers_of(data_dir)) == 2


# --- Camera-ready PDFs -----------------------------------------------------------------


def test_camera_ready_zip_with_backslash_paths_is_stored_served_and_exported(
    data_dir: Path, tmp_path: Path, make_app: Callable[..., Flask]
) -> None:
    pdfs = {1: minimal_pdf("paper one"), 2: minimal_pdf("paper two")}
    archive = write_zip(
        tmp_path / "CameraReadys.zip",
        {"1\\CameraReady\\final paper.pdf": pdfs[1], "2\\CameraReady\\2_camera.pdf": pdfs[2]},
    )
    result = run_import(data_dir, write_cmt(tmp_path, ".csv"), "--pdfs", archive)
    assert result.exit_code == 0, result.output
    assert [paper["pdf"] for paper in papers_of(data_dir)] == ["papers/cmt-1.pdf", "papers/cmt-2.pdf"]
    assert (data_dir / EDITION / "papers" / "cmt-1.pdf").read_bytes() == pdfs[1]

    app = make_app(data_dir)
    client = app.test_client()
    served = client.get(f"/{EDITION}/papers/cmt-2.pdf")
    assert served.status_code == 200
    assert served.mimetype == "application/pdf"
    assert served.data == pdfs[2]
    api = client.get("/api/v1/papers.json").json["data"]["papers"]
    assert api[0]["pdf"] == f"/{EDITION}/papers/cmt-1.pdf"
    # The list on the page links each paper's page; its PDF is linked there.
    assert f'href="/{EDITION}/papers/cmt-1/"' in client.get(f"/{EDITION}/").get_data(as_text=True)
    assert f'href="/{EDITION}/papers/cmt-1.pdf"' in client.get(f"/{EDITION}/papers/cmt-1/").get_data(as_text=True)

    destination = tmp_path / "site"
    urls = export_site(app, destination)
    assert f"/{EDITION}/papers/cmt-1.pdf" in urls
    assert (destination / EDITION / "papers" / "cmt-2.pdf").read_bytes() == pdfs[2]
    assert not (destination / EDITION / "papers" / "last-import.json").exists()


def test_camera_ready_pdfs_from_a_folder(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "camera-ready"
    (folder / "2" / "CameraReady").mkdir(parents=True)
    (folder / "2" / "CameraReady" / "paper.pdf").write_bytes(minimal_pdf("two"))
    (folder / "1.pdf").write_bytes(minimal_pdf("one"))
    (folder / ".DS_Store").write_bytes(b"\0\0")  # Finder's, skipped
    result = run_import(data_dir, write_cmt(tmp_path, ".txt"), "--pdfs", folder)
    assert result.exit_code == 0, result.output
    assert (data_dir / EDITION / "papers" / "cmt-2.pdf").read_bytes() == minimal_pdf("two")
    assert (data_dir / EDITION / "papers" / "cmt-1.pdf").read_bytes() == minimal_pdf("one")


def test_a_pdf_for_a_paper_not_accepted_is_reported_not_stored(data_dir: Path, tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "c.zip", {"3\\CameraReady\\x.pdf": minimal_pdf("3")})
    result = run_import(data_dir, write_cmt(tmp_path, ".txt"), "--pdfs", archive)
    assert result.exit_code == 0, result.output
    assert "no accepted paper 3" in result.output
    assert not (data_dir / EDITION / "papers" / "cmt-3.pdf").exists()


@pytest.mark.parametrize(
    ("name", "setup"),
    [
        ("../papers.yaml", None),
        (".hidden.pdf", "hidden"),
        ("notes.txt", "text"),
        ("outside.pdf", "symlink"),
        ("missing.pdf", None),
    ],
)
def test_the_papers_route_serves_only_pdfs_inside_the_folder(
    data_dir: Path, tmp_path: Path, make_app: Callable[..., Flask], name: str, setup: str | None
) -> None:
    papers = data_dir / EDITION / "papers"
    papers.mkdir()
    (papers / "fine.pdf").write_bytes(minimal_pdf("fine"))
    # Loaded first: the loader itself refuses a data folder holding a link out of it.
    client = make_app(data_dir).test_client()
    if setup == "hidden":
        (papers / name).write_bytes(minimal_pdf("hidden"))
    elif setup == "text":
        (papers / name).write_text("not for visitors")
    elif setup == "symlink":
        secret = tmp_path / "secret.pdf"
        secret.write_bytes(minimal_pdf("secret"))
        (papers / name).symlink_to(secret)
    assert client.get(f"/{EDITION}/papers/fine.pdf").status_code == 200
    assert client.get(f"/{EDITION}/papers/{name}").status_code == 404


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "No such file."),
        (b"<html>not a pdf</html>", "Not a PDF"),
        ("symlink", "The site does not serve it: a link to a file outside the data folder"),
    ],
)
def test_a_stored_pdf_is_checked_when_loading(
    data_dir: Path, tmp_path: Path, content: bytes | str | None, message: str
) -> None:
    if content is not None:
        (data_dir / EDITION / "papers").mkdir()
        target = data_dir / EDITION / "papers" / "x.pdf"
        if content == "symlink":
            (tmp_path / "outside.pdf").write_bytes(minimal_pdf("outside"))
            target.symlink_to(tmp_path / "outside.pdf")
        else:
            assert isinstance(content, bytes)
            target.write_bytes(content)
    (data_dir / EDITION / "papers.yaml").write_text(
        "papers:\n  - id: x\n    title: X\n    authors:\n      - name: A\n        presenter: true\n"
        "    pdf: papers/x.pdf\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check", "--data-dir", str(data_dir)])
    assert result.exit_code == 1
    assert f"data/{EDITION}/papers.yaml:7: papers[0].pdf: {EDITION}/papers/x.pdf: {message}" in result.output


# --- Bad input: a clear message, nothing written --------------------------------------------


def _missing_column(tmp_path: Path) -> list[str | Path]:
    header = [name if name != "Paper Title" else "Title" for name in HEADER]
    return [write_cmt(tmp_path, ".csv", CMT_ROWS, header)]


def _duplicate_id(tmp_path: Path) -> list[str | Path]:
    return [write_cmt(tmp_path, ".txt", [*CMT_ROWS, ["2", "Again", "", "A B (C)*", "B, A*", "", "", "", "", "Accept"]])]


def _unknown_format(tmp_path: Path) -> list[str | Path]:
    path = tmp_path / "papers.dat"
    path.write_text("# Accepted papers\n\n- Galaxy zoo, by Ada\n", encoding="utf-8")
    return [path]


def _empty_export(tmp_path: Path) -> list[str | Path]:
    return [write_cmt(tmp_path, ".csv", [])]


def _empty_openreview(tmp_path: Path) -> list[str | Path]:
    path = tmp_path / "notes.json"
    path.write_text("[]", encoding="utf-8")
    return [path]


def _not_a_pdf(tmp_path: Path) -> list[str | Path]:
    archive = write_zip(
        tmp_path / "c.zip",
        {"1\\CameraReady\\paper.pdf": minimal_pdf("1"), "2\\CameraReady\\paper.pdf": b"PK\x03\x04 a zip, not a PDF"},
    )
    return [write_cmt(tmp_path, ".txt"), "--pdfs", archive]


def _traversal(tmp_path: Path) -> list[str | Path]:
    archive = write_zip(tmp_path / "c.zip", {"..\\..\\1.pdf": minimal_pdf("evil")})
    return [write_cmt(tmp_path, ".txt"), "--pdfs", archive]


def _absolute_entry(tmp_path: Path) -> list[str | Path]:
    archive = write_zip(tmp_path / "c.zip", {"C:\\Windows\\1.pdf": minimal_pdf("evil")})
    return [write_cmt(tmp_path, ".txt"), "--pdfs", archive]


def _broken_workbook(tmp_path: Path) -> list[str | Path]:
    path = tmp_path / "Papers.xlsx"
    path.write_bytes(b"PK\x03\x04 cut short")
    return [path]


def _not_a_zip(tmp_path: Path) -> list[str | Path]:
    archive = tmp_path / "CameraReadys.zip"
    archive.write_bytes(minimal_pdf("a PDF, not a zip"))
    return [write_cmt(tmp_path, ".txt"), "--pdfs", archive]


def _missing_file(tmp_path: Path) -> list[str | Path]:
    return [tmp_path / "nothing.csv"]


def _not_utf8(tmp_path: Path) -> list[str | Path]:
    path = tmp_path / "Papers.csv"
    path.write_bytes(b"Paper ID,Paper Title,Authors\n1,Caf\xe9,A (B)*\n")
    return [path]


@pytest.mark.parametrize(
    ("make_args", "message"),
    [
        (_missing_column, "Papers.csv: missing column 'Paper Title' (found: Paper ID, Title, Abstract"),
        (_duplicate_id, "Papers.txt, row 6: duplicate Paper ID 2 (also Papers.txt, row 3)."),
        (_unknown_format, "papers.dat: unknown format"),
        (_empty_export, "Papers.csv: no papers in the export"),
        (_empty_openreview, "notes.json: no papers in the export"),
        (_not_a_pdf, "c.zip: 2\\CameraReady\\paper.pdf: not a PDF"),
        (_traversal, "c.zip: ..\\..\\1.pdf: would land outside the papers folder"),
        (_absolute_entry, "would land outside the papers folder"),
        (_missing_file, "nothing.csv: no such file."),
        (_broken_workbook, "Papers.xlsx: not a readable .xlsx workbook"),
        (_not_a_zip, "CameraReadys.zip: not a readable zip file"),
        (_not_utf8, "Papers.csv:2: not UTF-8"),
    ],
    ids=lambda value: value.__name__.strip("_") if callable(value) else "",
)
def test_bad_input_gets_a_clear_message_and_writes_nothing(
    data_dir: Path, tmp_path: Path, make_args: Callable[[Path], list[str | Path]], message: str
) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    args = make_args(exports)
    before = snapshot(data_dir)
    result = run_import(data_dir, *args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Nothing was written." in result.output
    assert "Traceback" not in result.output
    assert snapshot(data_dir) == before
    assert not list(tmp_path.glob(".import-papers-*")), "the scratch copy is removed"


def test_an_import_that_would_break_the_data_writes_nothing(data_dir: Path, tmp_path: Path) -> None:
    export = write_cmt(tmp_path, ".txt")
    assert run_import(data_dir, export).exit_code == 0
    program = data_dir / EDITION / "program.yaml"
    program.write_text(
        "status: published\ntimezone: Pacific/Honolulu\ndate: 2023-07-28\nsessions:\n"
        "  - id: talks\n    kind: talk\n    title: Talks\n    start: '09:00'\n    end: '10:00'\n"
        "    papers: [cmt-2]\n",
        encoding="utf-8",
    )
    assert CliRunner().invoke(main, ["check", "--data-dir", str(data_dir)]).exit_code == 0
    without_two = [row for row in CMT_ROWS if row[0] != "2"]
    before = snapshot(data_dir)
    result = run_import(data_dir, write_cmt(tmp_path, ".csv", without_two), "--prune")
    assert result.exit_code == 1
    assert "would make the data invalid" in result.output
    assert "program.yaml:10: sessions[0].papers[0]: No paper with id 'cmt-2' in papers.yaml" in result.output
    assert snapshot(data_dir) == before


# --- Merging: never clobber -----------------------------------------------------------------------


def test_a_second_import_keeps_edits_updates_upstream_adds_and_reports_withdrawn(
    data_dir: Path, tmp_path: Path
) -> None:
    first = tmp_path / "first"
    first.mkdir()
    archive = write_zip(tmp_path / "c.zip", {"2\\CameraReady\\p.pdf": minimal_pdf("two")})
    assert run_import(data_dir, write_cmt(first, ".txt"), "--pdfs", archive).exit_code == 0
    papers_file = data_dir / EDITION / "papers.yaml"
    # The organizers' edits: a comment, a fixed name, the presenter, a poster board, a video.
    edit_data_file(papers_file, "  - id: cmt-1\n", "  # Spotlight: check the name with the authors.\n  - id: cmt-1\n")
    edit_data_file(papers_file, "name: Siobhán O'Brien", "name: Siobhán O\u2019Brien")
    edit_data_file(papers_file, "        presenter: true\n      - name: Siobhán", "      - name: Siobhán")
    edit_data_file(
        papers_file,
        "affiliation: Trinity College Dublin\n",
        "affiliation: Trinity College Dublin\n        presenter: true\n",
    )
    edit_data_file(
        papers_file,
        "    source:\n      cmt: 1\n",
        "    poster_board: 12\n    video: https://example.org/v/1\n    source:\n      cmt: 1\n",
    )

    # Upstream: paper 1's title and abstract changed, paper 2 withdrawn, paper 5 accepted.
    rows = [list(row) for row in CMT_ROWS]
    rows[0][1] = "Fast emulators for N-body simulations"
    rows[0][2] = "We train an emulator.\r\nIt is very fast."
    rows[1][9] = "Withdrawn"
    rows.append(
        ["5", "A late acceptance", "", "Ngũgĩ wa Thiong'o (Nairobi)*", "wa Thiong'o, Ngũgĩ*", "", "", "", "", "Accept"]
    )
    second = tmp_path / "second"
    second.mkdir()
    result = run_import(data_dir, write_cmt(second, ".csv", rows))
    assert result.exit_code == 0, result.output

    papers = {paper["id"]: paper for paper in papers_of(data_dir)}
    assert list(papers) == ["cmt-1", "cmt-2", "cmt-5"]
    one = papers["cmt-1"]
    assert one["title"] == "Fast emulators for N-body simulations"
    assert one["abstract"] == "We train an emulator.\nIt is very fast."
    assert [author["name"] for author in one["authors"]] == ["José Müller-Lüdenscheidt", "Siobhán O\u2019Brien"]
    assert [author.get("presenter", False) for author in one["authors"]] == [False, True]
    assert (one["poster_board"], one["video"]) == (12, "https://example.org/v/1")
    assert papers["cmt-2"]["pdf"] == "papers/cmt-2.pdf"  # withdrawn: kept, with its PDF
    assert (data_dir / EDITION / "papers" / "cmt-2.pdf").is_file()
    assert papers["cmt-5"]["authors"] == [
        {"name": "Ngũgĩ wa Thiong'o", "family": "wa Thiong'o", "affiliation": "Nairobi", "presenter": True}
    ]
    assert "# Spotlight: check the name with the authors." in papers_file.read_text(encoding="utf-8")
    assert "Added: 1\n  cmt-5: A late acceptance" in result.output
    assert (
        "Changed: 1\n  cmt-1: Fast emulators for N-body simulations [title, abstract]; your edits of authors kept"
        in (result.output)
    )
    assert "Withdrawn upstream, kept (--prune removes them): 1\n  cmt-2: 宇宙の大規模構造 (cmt: 2)" in result.output
    load_content(data_dir)

    # The same export again: nothing to do, every edit still there.
    before = papers_file.read_bytes()
    again = run_import(data_dir, second / "Papers.csv")
    assert again.exit_code == 0, again.output
    assert "Added: 0" in again.output and "Changed: 0" in again.output
    assert "Left alone: 2" in again.output
    assert papers_file.read_bytes() == before

    # --prune removes the withdrawn paper and its PDF.
    pruned = run_import(data_dir, second / "Papers.csv", "--prune")
    assert pruned.exit_code == 0, pruned.output
    assert "Removed (--prune): 1\n  cmt-2" in pruned.output
    assert [paper["id"] for paper in papers_of(data_dir)] == ["cmt-1", "cmt-5"]
    assert not (data_dir / EDITION / "papers" / "cmt-2.pdf").exists()
    load_content(data_dir)


def test_when_both_sides_changed_a_field_the_organizers_value_is_kept_and_reported(
    data_dir: Path, tmp_path: Path
) -> None:
    assert run_import(data_dir, write_cmt(tmp_path, ".txt")).exit_code == 0
    papers_file = data_dir / EDITION / "papers.yaml"
    edit_data_file(papers_file, "title: 宇宙の大規模構造", "title: The large-scale structure of the Universe")
    rows = [list(row) for row in CMT_ROWS]
    rows[1][1] = "宇宙の大規模構造 (改訂版)"
    result = run_import(data_dir, write_cmt(tmp_path, ".csv", rows))
    assert result.exit_code == 0, result.output
    assert papers_of(data_dir)[1]["title"] == "The large-scale structure of the Universe"
    assert "cmt-2: kept your title; cmt says: '宇宙の大規模構造 (改訂版)'" in result.output


def test_a_paper_the_organizers_removed_is_not_added_again(data_dir: Path, tmp_path: Path) -> None:
    export = write_cmt(tmp_path, ".txt")
    assert run_import(data_dir, export).exit_code == 0
    papers_file = data_dir / EDITION / "papers.yaml"
    text = papers_file.read_text(encoding="utf-8")
    papers_file.write_text(text[: text.index("  - id: cmt-2\n")], encoding="utf-8")
    result = run_import(data_dir, export)
    assert result.exit_code == 0, result.output
    assert [paper["id"] for paper in papers_of(data_dir)] == ["cmt-1"]
    assert "cmt-2: 宇宙の大規模構造 (you removed it from papers.yaml: not added again" in result.output


def test_papers_typed_by_hand_are_left_alone(data_dir: Path, tmp_path: Path) -> None:
    (data_dir / EDITION / "papers.yaml").write_text(
        "# Typed by hand.\npapers:\n  - id: keynote-paper\n    title: Typed by hand\n    authors:\n"
        "      - name: Ada Lovelace\n        presenter: true\n",
        encoding="utf-8",
    )
    result = run_import(data_dir, write_cmt(tmp_path, ".txt"), "--prune")
    assert result.exit_code == 0, result.output
    assert [paper["id"] for paper in papers_of(data_dir)] == ["keynote-paper", "cmt-1", "cmt-2"]
    assert "Not from cmt, left alone: 1\n  keynote-paper" in result.output
    assert (data_dir / EDITION / "papers.yaml").read_text(encoding="utf-8").startswith("# Typed by hand.\n")


def test_a_new_camera_ready_replaces_the_imported_one_but_not_a_file_the_organizers_replaced(
    data_dir: Path, tmp_path: Path
) -> None:
    export = write_cmt(tmp_path, ".txt")
    first = write_zip(
        tmp_path / "a.zip", {"1\\CameraReady\\p.pdf": minimal_pdf("v1"), "2\\CameraReady\\p.pdf": minimal_pdf("v1")}
    )
    assert run_import(data_dir, export, "--pdfs", first).exit_code == 0
    stored = data_dir / EDITION / "papers"
    (stored / "cmt-2.pdf").write_bytes(minimal_pdf("fixed by the organizers"))
    second = write_zip(
        tmp_path / "b.zip", {"1\\CameraReady\\p.pdf": minimal_pdf("v2"), "2\\CameraReady\\p.pdf": minimal_pdf("v2")}
    )
    result = run_import(data_dir, export, "--pdfs", second)
    assert result.exit_code == 0, result.output
    assert (stored / "cmt-1.pdf").read_bytes() == minimal_pdf("v2")
    assert (stored / "cmt-2.pdf").read_bytes() == minimal_pdf("fixed by the organizers")
    assert "cmt-1: Émulateurs rapides : N-body in milliseconds [PDF file]" in result.output
    assert "cmt-2: kept your PDF file" in result.output
    # An import without --pdfs keeps the stored PDFs.
    assert run_import(data_dir, export).exit_code == 0
    assert [paper["pdf"] for paper in papers_of(data_dir)] == ["papers/cmt-1.pdf", "papers/cmt-2.pdf"]


def test_dry_run_writes_nothing_and_says_what_would_change(data_dir: Path, tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "c.zip", {"1\\CameraReady\\p.pdf": minimal_pdf("1")})
    before = snapshot(data_dir)
    result = run_import(data_dir, write_cmt(tmp_path, ".xlsx"), "--pdfs", archive, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Added: 2" in result.output
    assert "Dry run: nothing written." in result.output
    assert snapshot(data_dir) == before


def test_an_unknown_edition_is_refused(data_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["import-papers", "icml2099", str(write_cmt(tmp_path, ".txt")), "--data-dir", str(data_dir)]
    )
    assert result.exit_code == 1
    assert "no such edition" in result.output


def test_written_files_are_readable_by_the_sites_server(data_dir: Path, tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "c.zip", {"1\\CameraReady\\p.pdf": minimal_pdf("1")})
    assert run_import(data_dir, write_cmt(tmp_path, ".txt"), "--pdfs", archive).exit_code == 0
    for path in (data_dir / EDITION / "papers.yaml", data_dir / EDITION / "papers" / "cmt-1.pdf"):
        assert path.stat().st_mode & 0o044 == 0o044, f"{path.name} is not readable by others"


def test_the_import_benchmark_runs_end_to_end() -> None:
    # Only that it works: the figures are measured on demand (docs/performance.md), never asserted.
    script = Path(__file__).resolve().parent.parent / "scripts" / "bench_import.py"
    result = subprocess.run(
        [sys.executable, str(script), "--papers", "5", "--pdf-kb", "1", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("| CMT") or line.startswith("| OpenReview")]
    assert len(rows) == 4 and all(line.endswith(" s |") for line in rows)
