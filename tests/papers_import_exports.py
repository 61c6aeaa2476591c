"""Exports of accepted papers as CMT and OpenReview give them, with hard names, for tests/test_import_papers.py.

The CMT table is written here as each format Excel saves (a UTF-8 byte-order mark, CRLF
line ends; comma-separated .csv, tab-separated .txt, an .xlsx workbook). The .xls copy,
which no kept library writes, is committed: tests/fixtures/papers_import/Papers.xls was
made once from ``write_cmt(..., ".csv")`` by LibreOffice Calc (see the README there).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "papers_import"
OPENREVIEW_DUMP = FIXTURES / "openreview-notes.json"
CMT_XLS = FIXTURES / "Papers.xls"

HEADER = [
    "Paper ID",
    "Paper Title",
    "Abstract",
    "Authors",
    "Author Names",
    "Author Emails",
    "Primary Contact Author Name",
    "Track Name",
    "Primary Subject Area",
    "Status",
]
# "Zoe\u0301" is how some systems write "Zoé" (e + a combining accent): the import makes it one letter.
CMT_ROWS: list[list[str]] = [
    [
        "1",
        "Émulateurs rapides : N-body in milliseconds",
        "We train an emulator.\r\nIt is fast.",
        "José Müller-Lüdenscheidt (Max Planck Institute for Astronomy (MPIA))*; "
        "Siobhán O'Brien (Trinity College Dublin)",
        "Müller-Lüdenscheidt, José*; O'Brien, Siobhán",
        "jose@mpia.example; siobhan@tcd.example",
        "José Müller-Lüdenscheidt",
        "Extended abstracts",
        "Cosmology",
        "Accept",
    ],
    [
        "2",
        "宇宙の大規模構造",
        "",
        "王小明 (北京大学); Martin Luther King Jr. (Morehouse College)*; Zoe\u0301 D'Arcy (Université de Paris; CNRS)",
        "王, 小明; King, Jr., Martin Luther*; D'Arcy, Zoe\u0301",
        "wang@pku.example; mlk@morehouse.example; zoe@paris.example",
        "Martin Luther King Jr.",
        "Extended abstracts",
        "Large-scale structure",
        "Accept",
    ],
    ["3", "A rejected paper", "", "Rita Reject (Nowhere)*", "Reject, Rita*", "rita@no.example", "", "", "", "Reject"],
    [
        "4",
        "A withdrawn paper",
        "",
        "Walt Withdrawn (Gone)*",
        "Withdrawn, Walt*",
        "walt@no.example",
        "",
        "",
        "",
        "Withdrawn",
    ],
]
EMAILS = [email.strip() for row in CMT_ROWS for email in row[5].split(";")]


def cmt_text(rows: list[list[str]], delimiter: str, header: list[str] = HEADER) -> bytes:
    stream = io.StringIO(newline="")
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return b"\xef\xbb\xbf" + stream.getvalue().encode("utf-8")


def write_cmt(folder: Path, suffix: str, rows: list[list[str]] = CMT_ROWS, header: list[str] = HEADER) -> Path:
    """The CMT export as Excel saves it with ``suffix`` (.txt, .csv, .xlsx, or the committed .xls)."""
    path = folder / f"Papers{suffix}"
    if suffix == ".txt":
        path.write_bytes(cmt_text(rows, "\t", header))
    elif suffix == ".csv":
        path.write_bytes(cmt_text(rows, ",", header))
    elif suffix == ".xlsx":
        write_workbook(path, {"Papers": [header, *rows]})
    elif suffix == ".xls":
        assert rows is CMT_ROWS and header is HEADER, "the committed .xls holds the standard table only"
        path.write_bytes(CMT_XLS.read_bytes())
    else:
        raise ValueError(suffix)
    return path


def write_workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            # Excel keeps a paper id as a number.
            sheet.append([int(cell) if index == 0 and str(cell).isdigit() else cell for index, cell in enumerate(row)])
    workbook.save(path)


def minimal_pdf(label: str) -> bytes:
    """Bytes that start like a PDF (all the site checks), different per label."""
    return f"%PDF-1.4\n% {label}\n%%EOF\n".encode()


def write_zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def openreview_notes() -> list[dict[str, Any]]:
    return json.loads(OPENREVIEW_DUMP.read_text(encoding="utf-8"))
