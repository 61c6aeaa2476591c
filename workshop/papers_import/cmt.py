"""CMT's export of papers (Papers.txt, .csv, .xlsx or .xls) as upstream papers.

Columns are found by their header names, in any order; a workbook may hold one
sheet per track. ``Authors`` reads ``Name (Affiliation)*; ...`` and ``Author
Names`` reads ``Last, First*; ...``, where ``*`` marks the contact author. When a
``Status`` column is there, only accepted papers are kept; the others are counted.
E-mail addresses are never read into the result: they are not published.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from workshop.papers_import.records import (
    PaperImportError,
    UpstreamAuthor,
    UpstreamExport,
    UpstreamPaper,
    clean_paragraphs,
    clean_text,
)
from workshop.papers_import.tables import Sheet, read_sheets

SYSTEM = "cmt"
PAPER_ID = "Paper ID"
TITLE = "Paper Title"
ABSTRACT = "Abstract"
AUTHORS = "Authors"
AUTHOR_NAMES = "Author Names"
CONTACT = "Primary Contact Author Name"
TRACK = "Track Name"
SUBJECT_AREA = "Primary Subject Area"
STATUS = "Status"
REQUIRED = (PAPER_ID, TITLE)
# The header row is the first row naming "Paper ID" among the first few (some exports put a title above it).
HEADER_SEARCH_ROWS = 10
CONTACT_MARK = "*"


def _key(header: str) -> str:
    return " ".join(header.split()).casefold()


def split_top_level(text: str, separator: str = ";") -> list[str]:
    """Split at ``separator`` outside parentheses: an affiliation may hold one ('MPIA (Heidelberg; DE)')."""
    parts, depth, current = [], 0, []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        if char == separator and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def _contact_marked(entry: str) -> tuple[str, bool]:
    entry = entry.strip()
    if entry.endswith(CONTACT_MARK):
        return entry[: -len(CONTACT_MARK)].rstrip(), True
    return entry, False


def parse_author(entry: str) -> UpstreamAuthor:
    """``Jane Doe (Max Planck Institute (MPIA))*`` -> name, affiliation (the last group in parentheses), contact."""
    entry, contact = _contact_marked(entry)
    if entry.endswith(")"):
        depth = 0
        for index in range(len(entry) - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(entry[index], 0)
            if depth == 0:
                name, affiliation = clean_text(entry[:index]), clean_text(entry[index + 1 : -1])
                if name:
                    return UpstreamAuthor(name=name, affiliation=affiliation or None, contact=contact)
                break
    return UpstreamAuthor(name=clean_text(entry), contact=contact)


def _is_cjk(text: str) -> bool:
    return any(unicodedata.name(char, "").startswith(("CJK", "HANGUL", "HIRAGANA", "KATAKANA")) for char in text)


def parse_author_name(entry: str) -> UpstreamAuthor:
    """``Last, First*`` -> the name as shown (``First Last``; family first for CJK names), its family name, contact.

    A suffix that CMT keeps after the family name (``King, Jr., Martin``) goes at the end of the name.
    """
    entry, contact = _contact_marked(entry)
    parts = [clean_text(part) for part in entry.split(",")]
    if len(parts) == 1 or not parts[0]:
        return UpstreamAuthor(name=clean_text(entry.replace(",", " ")), contact=contact)
    family, *rest = parts
    suffixes = [part for part in rest[:-1] if part]
    given = rest[-1]
    if _is_cjk(family) and _is_cjk(given):
        name = f"{family}{given}"
    else:
        name = " ".join(part for part in (given, family, *suffixes) if part)
    return UpstreamAuthor(name=name, family=family, contact=contact)


def _authors(row: dict[str, str], where: str) -> tuple[UpstreamAuthor, ...]:
    shown = [parse_author(entry) for entry in split_top_level(row.get(_key(AUTHORS), ""))]
    named = [parse_author_name(entry) for entry in split_top_level(row.get(_key(AUTHOR_NAMES), ""))]
    if shown and len(named) == len(shown):
        # Author Names gives the family name; Authors gives the name as shown and the affiliation.
        authors = [
            UpstreamAuthor(
                name=one.name, family=other.family, affiliation=one.affiliation, contact=one.contact or other.contact
            )
            for one, other in zip(shown, named, strict=True)
        ]
    else:
        authors = shown or named
    if not authors:
        raise PaperImportError(f"{where}: no authors (columns '{AUTHORS}' and '{AUTHOR_NAMES}' are empty).")
    contact_name = clean_text(row.get(_key(CONTACT), ""))
    if contact_name and not any(author.contact for author in authors):
        authors = [
            UpstreamAuthor(
                author.name, author.family, author.affiliation, author.name.casefold() == contact_name.casefold()
            )
            for author in authors
        ]
    return tuple(authors)


def _header_at(sheet: Sheet) -> int | None:
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        if _key(PAPER_ID) in {_key(cell) for cell in row}:
            return index
    return None


def _records(path: Path, sheets: list[Sheet]) -> Iterator[tuple[str, dict[str, str], str]]:
    """(place, cells by header, sheet name) for every non-empty row of every sheet with a header."""
    headed = 0
    for sheet in sheets:
        header_at = _header_at(sheet)
        where_sheet = f"{path.name}" + (f" (sheet {sheet.name!r})" if len(sheets) > 1 else "")
        if header_at is None:
            if any(any(cell.strip() for cell in row) for row in sheet.rows):
                raise PaperImportError(f"{where_sheet}: no header row with a '{PAPER_ID}' column.")
            continue  # an empty sheet
        headed += 1
        header = [_key(cell) for cell in sheet.rows[header_at]]
        missing = [name for name in REQUIRED if _key(name) not in header]
        if _key(AUTHORS) not in header and _key(AUTHOR_NAMES) not in header:
            missing.append(f"{AUTHORS}' or '{AUTHOR_NAMES}")
        if missing:
            found = ", ".join(cell for cell in sheet.rows[header_at] if cell.strip())
            names = "', '".join(missing)
            raise PaperImportError(
                f"{where_sheet}: missing column '{names}' (found: {found}). "
                "Export the papers from CMT with every column."
            )
        for offset, cells in enumerate(sheet.rows[header_at + 1 :], start=header_at + 2):
            if not any(cell.strip() for cell in cells):
                continue
            row = {name: cell for name, cell in zip(header, cells, strict=False) if name}
            yield f"{where_sheet}, row {offset}", row, sheet.name
    if headed == 0:
        raise PaperImportError(f"{path.name}: no header row with a '{PAPER_ID}' column: is this CMT's papers export?")


def _paper_id(text: str, where: str) -> int:
    if not re.fullmatch(r"\d+", text.strip()) or int(text) < 1:
        raise PaperImportError(f"{where}: '{PAPER_ID}' is {text.strip()!r}, not a paper number.")
    return int(text)


def is_accepted(status: str) -> bool:
    """CMT's decisions read 'Accept', or a venue's own 'Accept (Poster)', 'Accepted'..."""
    return status.casefold().startswith("accept")


def read_cmt(path: Path) -> UpstreamExport:
    """The accepted papers of a CMT export (every sheet of a workbook), with the others counted by status."""
    sheets = read_sheets(path)
    papers: list[UpstreamPaper] = []
    not_accepted: Counter[str] = Counter()
    seen: dict[int, str] = {}
    several_sheets = sum(_header_at(sheet) is not None for sheet in sheets) > 1
    for where, row, sheet_name in _records(path, sheets):
        number = _paper_id(row.get(_key(PAPER_ID), ""), where)
        if number in seen:
            raise PaperImportError(f"{where}: duplicate {PAPER_ID} {number} (also {seen[number]}).")
        seen[number] = where
        if _key(STATUS) in row and not is_accepted(clean_text(row[_key(STATUS)])):
            not_accepted[clean_text(row[_key(STATUS)]) or "(no status)"] += 1
            continue
        title = clean_text(row.get(_key(TITLE)))
        if not title:
            raise PaperImportError(f"{where}: '{TITLE}' is empty.")
        subject = clean_text(row.get(_key(SUBJECT_AREA)))
        track = clean_text(row.get(_key(TRACK))) or (clean_text(sheet_name) if several_sheets else "")
        papers.append(
            UpstreamPaper(
                system=SYSTEM,
                source_id=number,
                number=number,
                title=title,
                authors=_authors(row, where),
                abstract=clean_paragraphs(row.get(_key(ABSTRACT))) or None,
                keywords=(subject,) if subject else (),
                track=track or None,
            )
        )
    if not seen:
        raise PaperImportError(f"{path.name}: no papers in the export (only its header).")
    return UpstreamExport(SYSTEM, sorted(papers, key=lambda paper: paper.number), dict(not_accepted))
