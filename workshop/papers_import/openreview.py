"""An OpenReview (API v2) dump as upstream papers.

The file is a JSON list of notes as ``openreview-py`` gives them
(``[note.to_json() for note in client.get_all_notes(content={"venueid": ...})]``):
each with ``id``, ``number``, ``forum`` and ``content.<field>.value``. A note whose
``venueid`` ends in ``Submission`` (``.../Submission``, ``.../Withdrawn_Submission``,
``.../Rejected_Submission``, ``.../Desk_Rejected_Submission``) is not accepted: it is
counted, not imported. ``authorids`` (profile ids or e-mail addresses) are never read.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from workshop.datafields import OPENREVIEW_ID_PATTERN
from workshop.papers_import.records import (
    PaperImportError,
    UpstreamAuthor,
    UpstreamExport,
    UpstreamPaper,
    clean_paragraphs,
    clean_text,
)

SYSTEM = "openreview"
SITE = "https://openreview.net"


def _value(content: dict[str, Any], name: str) -> Any:
    field = content.get(name)
    return field.get("value") if isinstance(field, dict) else None


def _not_accepted_status(venue_id: object) -> str | None:
    last = str(venue_id or "").rstrip("/").rsplit("/", 1)[-1]
    return last.replace("_", " ") if last.endswith("Submission") else None


def _paper(note: dict[str, Any], where: str) -> UpstreamPaper:
    note_id, number, content = note.get("id"), note.get("number"), note.get("content")
    if not isinstance(note_id, str) or not OPENREVIEW_ID_PATTERN.match(note_id):
        raise PaperImportError(f"{where}: 'id' is {note_id!r}, not an OpenReview note id.")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise PaperImportError(f"{where} ({note_id}): 'number' is {number!r}, not a submission number.")
    if not isinstance(content, dict):
        raise PaperImportError(f"{where} ({note_id}): no 'content': is this a dump of API v2 notes?")
    title = clean_text(_value(content, "title"))
    if not title:
        raise PaperImportError(f"{where} ({note_id}): 'content.title.value' is missing or empty.")
    names = _value(content, "authors")
    if not isinstance(names, list) or not names or not all(isinstance(name, str) and name.strip() for name in names):
        raise PaperImportError(f"{where} ({note_id}): 'content.authors.value' must be a list of names.")
    keywords = _value(content, "keywords") or []
    if not isinstance(keywords, list):
        raise PaperImportError(f"{where} ({note_id}): 'content.keywords.value' must be a list.")
    forum = note.get("forum") if isinstance(note.get("forum"), str) else note_id
    return UpstreamPaper(
        system=SYSTEM,
        source_id=note_id,
        number=number,
        title=title,
        authors=tuple(UpstreamAuthor(name=clean_text(name)) for name in names),
        abstract=clean_paragraphs(_value(content, "abstract")) or None,
        keywords=tuple(dict.fromkeys(clean_text(word) for word in keywords if clean_text(word))),
        pdf=f"{SITE}/pdf?id={note_id}" if _value(content, "pdf") else None,
        openreview=f"{SITE}/forum?id={forum}",
    )


def read_openreview(path: Path) -> UpstreamExport:
    try:
        notes = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise PaperImportError(f"{path.name}: not UTF-8 (byte {error.start}).") from error
    except json.JSONDecodeError as error:
        raise PaperImportError(f"{path.name}:{error.lineno}: not valid JSON ({error.msg}).") from error
    if isinstance(notes, dict) and isinstance(notes.get("notes"), list):
        notes = notes["notes"]  # the REST API's own answer: {"notes": [...], "count": N}
    if not isinstance(notes, list):
        raise PaperImportError(f"{path.name}: expected a JSON list of OpenReview notes.")
    if not notes:
        raise PaperImportError(f"{path.name}: no papers in the export (an empty list).")
    papers: list[UpstreamPaper] = []
    not_accepted: Counter[str] = Counter()
    seen: dict[str, str] = {}
    numbers: dict[int, str] = {}
    for index, note in enumerate(notes):
        where = f"{path.name}: note {index + 1}"
        if not isinstance(note, dict):
            raise PaperImportError(f"{where}: not a note (a JSON object).")
        paper = _paper(note, where)
        if paper.source_id in seen:
            raise PaperImportError(f"{where}: duplicate note id {paper.source_id} (also {seen[str(paper.source_id)]}).")
        if paper.number in numbers:
            raise PaperImportError(f"{where}: duplicate number {paper.number} (also {numbers[paper.number]}).")
        seen[str(paper.source_id)] = numbers[paper.number] = f"note {index + 1}"
        status = _not_accepted_status(_value(note["content"], "venueid"))
        if status is not None:
            not_accepted[status] += 1
            continue
        papers.append(paper)
    return UpstreamExport(SYSTEM, sorted(papers, key=lambda paper: paper.number), dict(not_accepted))


def looks_like_openreview(head: bytes) -> bool:
    """Whether a file's first bytes look like a JSON dump (the format when the name does not say)."""
    return re.match(rb"\s*[\[{]", head.removeprefix(b"\xef\xbb\xbf")) is not None
