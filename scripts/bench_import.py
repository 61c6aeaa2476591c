#!/usr/bin/env python3
"""Time `import-papers` on a generated CMT export (default 300 accepted papers) and camera-ready zip.

Writes the export in every CMT format (.txt, .csv, .xlsx) and a zip of one PDF per
paper (``<id>\\CameraReady\\paper.pdf``, --pdf-kb each) into a temporary folder, then
times, in process and on a private copy of data/, the first import (every paper
added, every PDF written) and a second import of the same files (every paper left
alone), each the best of --repeat runs. Prints a Markdown table. Measures only:
it asserts nothing about speed.

Usage: scripts/bench_import.py [--papers 300] [--pdf-kb 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from tests.papers_import_exports import HEADER, write_cmt, write_zip  # noqa: E402 (after the path set-up)
from workshop.papers_import.run import import_papers  # noqa: E402

EDITION = "icml2023"
FORMATS = (".txt", ".csv", ".xlsx")
OPENREVIEW = "OpenReview `.json`"
NAMES = ("José Müller-Lüdenscheidt", "Siobhán O'Brien", "王小明", "Martin Luther King Jr.", "Zoé D'Arcy")


def rows(count: int) -> list[list[str]]:
    table = []
    for number in range(1, count + 1):
        authors = [NAMES[(number + offset) % len(NAMES)] for offset in range(4)]
        table.append(
            [
                str(number),
                f"Paper {number}: simulation-based inference for survey {number % 17}",
                f"Abstract of paper {number}.\r\nSecond line.",
                "; ".join(f"{name} (Institute {index} (Dept. {number % 7}))" for index, name in enumerate(authors))
                + "*",
                "; ".join(f"{name.split()[-1]}, {name.split()[0]}" for name in authors) + "*",
                "; ".join(f"a{index}@example.org" for index in range(4)),
                authors[-1],
                "Extended abstracts",
                "Cosmology",
                "Accept" if number % 10 else "Reject",
            ]
        )
    return table


def openreview_dump(path: Path, table: list[list[str]]) -> Path:
    """The same papers as OpenReview notes (every one accepted, none with a PDF file to store)."""
    notes = [
        {
            "id": f"note{row[0]}",
            "number": int(row[0]),
            "forum": f"note{row[0]}",
            "content": {
                "title": {"value": row[1]},
                "authors": {"value": [name.split(" (")[0] for name in row[3].rstrip("*").split("; ")]},
                "abstract": {"value": row[2]},
                "keywords": {"value": [row[8]]},
                "pdf": {"value": f"/pdf/{row[0]}.pdf"},
                "venueid": {"value": "ICML.cc/2025/Workshop/Example"},
            },
        }
        for row in table
    ]
    path.write_text(json.dumps(notes), encoding="utf-8")
    return path


def best_of(repeat: int, prepare: Callable[[], Path], run: Callable[[Path], None]) -> float:
    times = []
    for _ in range(repeat):
        data_dir = prepare()
        started = time.perf_counter()
        run(data_dir)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=300, help="Rows of the export (9 in 10 accepted).")
    parser.add_argument("--pdf-kb", type=int, default=200, help="Size of each camera-ready PDF, in KB.")
    parser.add_argument("--repeat", type=int, default=3, help="Runs per measure; the best is shown.")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-import-") as scratch:
        root = Path(scratch)
        table = rows(args.papers)
        accepted = sum(row[-1] == "Accept" for row in table)
        pdf = b"%PDF-1.4\n" + b"%" * (args.pdf_kb * 1024)
        archive = write_zip(root / "camera-ready.zip", {f"{row[0]}\\CameraReady\\paper.pdf": pdf for row in table})
        exports: dict[str, tuple[Path, Path | None]] = {
            f"CMT `{suffix}`": (write_cmt(root, suffix, table, HEADER), archive) for suffix in FORMATS
        }
        exports[OPENREVIEW] = (openreview_dump(root / "notes.json", table), None)
        counter = iter(range(10**6))

        def fresh() -> Path:
            data_dir = root / f"data-{next(counter)}" / "data"
            shutil.copytree(PROJECT_ROOT / "data", data_dir)
            return data_dir

        print(
            f"{args.papers} rows; CMT: {accepted} accepted, a {args.pdf_kb} KB PDF each in the zip; "
            f"OpenReview: every note accepted, PDFs left on OpenReview; best of {args.repeat}.\n"
        )
        print("| Export | First import (all added, PDFs written) | Second import (all left alone) |")
        print("| --- | ---: | ---: |")
        for label, (export, pdfs) in exports.items():

            def first(data_dir: Path, export: Path = export, pdfs: Path | None = pdfs) -> None:
                import_papers(data_dir, EDITION, export, pdfs=pdfs)

            def imported() -> Path:
                data_dir = fresh()
                first(data_dir)
                return data_dir

            initial = best_of(args.repeat, fresh, first)
            again = best_of(args.repeat, imported, first)
            print(f"| {label} | {initial:.2f} s | {again:.2f} s |")


if __name__ == "__main__":
    main()
