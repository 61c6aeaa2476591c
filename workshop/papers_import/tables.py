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
import zipfile
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

    # An open file, not the path: openpyxl refuses a path whose name does not end in .xlsx.
    with path.open("rb") as stream:
        try:
            workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        except (InvalidFileException, OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
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


def _read_text(path: Path, delimiter: str) -> list[Sheet]:
    text = _decode(path, path.read_bytes())
    first_line = text.split("\n", 1)[0]
    if delimiter not in first_line:
        # Excel in some languages saves .csv with semicolons; a .txt may come comma-separated.
        delimiter = max((",", "\t", ";"), key=first_line.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise PaperImportError(f"{path.name}: not a readable table ({error}).") from error
    return [Sheet(path.stem, rows)]


# How each kind of file starts, for a file whose name does not say what it is.
XLSX_MAGIC = b"PK\x03\x04"  # a zip, as every Office Open XML file
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE2 compound file, as Excel 97-2003 writes


def spreadsheet_kind(path: Path) -> str:
    """.xlsx, .xls, .csv or .txt: from the name, else from the first bytes (a text table is read as .txt)."""
    suffix = path.suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        return suffix
    with path.open("rb") as file:
        head = file.read(len(XLS_MAGIC))
    if head.startswith(XLSX_MAGIC):
        return ".xlsx"
    if head.startswith(XLS_MAGIC):
        return ".xls"
    return ".txt"


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet of the spreadsheet at ``path``, as rows of cell text."""
    kind = spreadsheet_kind(path)
    if kind == ".xlsx":
        return _read_xlsx(path)
    if kind == ".xls":
        return _read_xls(path)
    return _read_text(path, DELIMITERS[kind])
