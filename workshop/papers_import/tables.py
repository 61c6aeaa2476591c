"""Reading a spreadsheet as Excel saves it: .xlsx and .xls workbooks (every sheet), .csv and .txt.

A table is a list of sheets, each a name and its rows of cell text. Excel's text
formats are UTF-8 with a byte-order mark (comma-separated .csv; tab-separated
.txt) or, for "Unicode Text", UTF-16 with its byte-order mark.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from workshop.papers_import.records import PaperImportError

SPREADSHEET_SUFFIXES = (".xlsx", ".xls", ".csv", ".txt")
DELIMITERS = {".csv": ",", ".txt": "\t"}


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[str]]


def _cell_text(value: object) -> str:
    """A cell as text: whole numbers without '.0' (Excel stores every number as a float)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


def _read_xlsx(path: Path) -> list[Sheet]:
    import openpyxl  # imported here: only this format needs it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as error:
        raise PaperImportError(f"{path.name}: not a readable .xlsx workbook ({error}).") from error
    try:
        return [
            Sheet(sheet.title, [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)])
            for sheet in workbook.worksheets
        ]
    finally:
        workbook.close()


def _read_xls(path: Path) -> list[Sheet]:
    import xlrd  # imported here: only this format needs it

    try:
        workbook = xlrd.open_workbook(str(path), on_demand=True)
    except (xlrd.XLRDError, OSError, ValueError, AssertionError) as error:
        raise PaperImportError(f"{path.name}: not a readable .xls workbook ({error}).") from error
    try:
        sheets = []
        for index in range(workbook.nsheets):
            sheet = workbook.sheet_by_index(index)
            rows = [[_cell_text(value) for value in sheet.row_values(row)] for row in range(sheet.nrows)]
            sheets.append(Sheet(sheet.name, rows))
        return sheets
    finally:
        workbook.release_resources()


def _decode(path: Path, raw: bytes) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise PaperImportError(
            f"{path.name}:{line}: not UTF-8 (byte {error.start}): in Excel, save it as 'CSV UTF-8' "
            "or 'Unicode Text'; CMT's own export is UTF-8."
        ) from error


def _read_text(path: Path) -> list[Sheet]:
    text = _decode(path, path.read_bytes())
    delimiter = DELIMITERS[path.suffix.lower()]
    first_line = text.split("\n", 1)[0]
    if delimiter not in first_line:
        # Excel in some languages saves .csv with semicolons; a .txt may come comma-separated.
        delimiter = max((",", "\t", ";"), key=first_line.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise PaperImportError(f"{path.name}: not a readable table ({error}).") from error
    return [Sheet(path.stem, rows)]


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet of the spreadsheet at ``path``, as rows of cell text."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix == ".xls":
        return _read_xls(path)
    if suffix in DELIMITERS:
        return _read_text(path)
    raise PaperImportError(f"{path.name}: not a spreadsheet CMT exports ({', '.join(SPREADSHEET_SUFFIXES)}).")
