"""Merging upstream papers into the organizers' papers.yaml, never clobbering their edits.

A three-way merge per field: ``base`` is what the previous import read upstream
(kept in ``papers/last-import.json``), ``upstream`` what this import reads, and
``current`` what papers.yaml says now. A field upstream did not change keeps the
organizers' value; a field they did not change takes upstream's; when both changed
it, theirs is kept and the report says what upstream now says. Papers are matched
by ``source`` (the system and its id), never by position or title. Fields upstream
does not have (presenter, presentation, poster_board, video...) are never touched.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from workshop.papers_import.pdfs import PdfFile
from workshop.papers_import.records import PaperImportError, UpstreamExport, UpstreamPaper
from workshop.storedfiles import PAPER_FOLDER

# The fields an import owns (it updates them when upstream changes them), in file order.
UPSTREAM_FIELDS = ("title", "authors", "abstract", "keywords", "track", "pdf", "openreview")
# Every field of a paper in the order a new key is inserted.
KEY_ORDER = (
    "id",
    "title",
    "authors",
    "abstract",
    "keywords",
    "track",
    "pdf",
    "openreview",
    "presentation",
    "poster_board",
    "video",
    "slides",
    "poster",
    "code",
    "source",
)
AUTHOR_FIELDS = ("name", "family", "affiliation")
PDF_HASH = "pdf_sha256"

Values = dict[str, Any]


@dataclass
class Report:
    """What an import did, paper by paper."""

    system: str
    accepted: int = 0
    not_accepted: dict[str, int] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        others = ", ".join(f"{status} {count}" for status, count in sorted(self.not_accepted.items()))
        lines = [
            f"Read {self.accepted} accepted paper(s) from {self.system}"
            + (f"; not imported: {others}." if others else ".")
        ]
        sections = (
            ("Added", self.added),
            ("Changed", self.changed),
            ("Withdrawn upstream, kept (--prune removes them)", self.withdrawn),
            ("Removed (--prune)", self.pruned),
            ("Left alone", self.unchanged),
            (f"Not from {self.system}, left alone", self.other),
        )
        for title, items in sections:
            lines.append(f"{title}: {len(items)}")
            lines.extend(f"  {item}" for item in items)
        lines.extend(f"Note: {note}" for note in self.notes)
        return lines


@dataclass
class MergeResult:
    document: CommentedMap
    state: dict[str, Any]
    pdf_writes: dict[str, PdfFile]  # file name in papers/ -> the PDF to write there
    pdf_deletes: list[str]  # file names in papers/ to remove (pruned papers)
    report: Report


def _local_pdf(paper_id: str) -> str:
    return f"{PAPER_FOLDER}/{paper_id}.pdf"


def upstream_values(paper: UpstreamPaper, pdf: str | None) -> Values:
    """An upstream paper as the values of the fields an import owns (plain data, JSON-ready)."""
    authors = [
        {key: value for key, value in (("name", a.name), ("family", a.family), ("affiliation", a.affiliation)) if value}
        for a in paper.authors
    ]
    return {
        "title": paper.title,
        "authors": authors,
        "abstract": paper.abstract,
        "keywords": list(paper.keywords),
        "track": paper.track,
        "pdf": pdf,
        "openreview": paper.openreview,
    }


def current_values(paper: Mapping[str, Any]) -> Values:
    """The same fields as papers.yaml has them now (authors without who presents)."""
    authors = [
        {key: author[key] for key in AUTHOR_FIELDS if isinstance(author, Mapping) and author.get(key) is not None}
        for author in paper.get("authors") or []
    ]
    values = {name: paper.get(name) for name in UPSTREAM_FIELDS}
    values["authors"] = authors
    values["keywords"] = list(paper.get("keywords") or [])
    return values


def _yaml_value(name: str, value: Any, presenters: set[str], contact: str | None) -> Any:
    if name == "abstract" and isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    if name == "keywords":
        words = CommentedSeq(value)
        words.fa.set_flow_style()
        return words
    if name == "authors":
        authors = CommentedSeq()
        for author in value:
            entry = CommentedMap(author)
            entry["presenter"] = author["name"].casefold() in presenters
            if not entry["presenter"]:
                del entry["presenter"]
            authors.append(entry)
        if not any(author.get("presenter") for author in authors):
            chosen = next((a for a in authors if a["name"] == contact), authors[0])
            chosen["presenter"] = True
        return authors
    return value


def set_field(paper: CommentedMap, name: str, value: Any) -> None:
    """Set (or, for an empty value, remove) a field, a new key going where KEY_ORDER puts it."""
    if value is None or value == []:
        paper.pop(name, None)
        return
    if name in paper:
        paper[name] = value
        return
    rank = KEY_ORDER.index(name)
    position = sum(1 for key in paper if key in KEY_ORDER and KEY_ORDER.index(key) < rank)
    paper.insert(position, name, value)


def _contact(paper: UpstreamPaper) -> str | None:
    return next((author.name for author in paper.authors if author.contact), None)


def _presenters(paper: Mapping[str, Any]) -> set[str]:
    return {
        str(author["name"]).casefold()
        for author in paper.get("authors") or []
        if isinstance(author, Mapping) and author.get("presenter") and author.get("name")
    }


class Merger:
    def __init__(
        self,
        document: CommentedMap,
        state: dict[str, Any],
        export: UpstreamExport,
        pdfs: Mapping[int, PdfFile],
        papers_dir: Path,
        *,
        prune: bool,
    ) -> None:
        self.document, self.export, self.pdfs, self.papers_dir, self.prune = document, export, pdfs, papers_dir, prune
        self.base: dict[str, Values] = dict(state.get(export.system) or {})
        self.state = {key: value for key, value in state.items() if key != export.system}
        self.new_base: dict[str, Values] = {}
        self.pdf_writes: dict[str, PdfFile] = {}
        self.pdf_deletes: list[str] = []
        self.report = Report(export.system, len(export.papers), dict(export.not_accepted))

    def _existing(self) -> dict[str, CommentedMap]:
        by_source: dict[str, CommentedMap] = {}
        for index, paper in enumerate(self.document["papers"]):
            if not isinstance(paper, Mapping):
                raise PaperImportError(f"papers.yaml: papers[{index}] is not a mapping: fix it first (workshop check).")
            source = paper.get("source")
            key = source.get(self.export.system) if isinstance(source, Mapping) else None
            if key is None:
                self.report.other.append(f"{paper.get('id')}")
                continue
            if str(key) in by_source:
                raise PaperImportError(
                    f"papers.yaml: papers[{index}] has the source {self.export.system}: {key} of another paper."
                )
            by_source[str(key)] = paper
        return by_source

    def _pdf_value(self, paper: UpstreamPaper, paper_id: str, base: Values | None) -> str | None:
        if paper.number in self.pdfs:
            return _local_pdf(paper_id)
        if base is not None and str(base.get("pdf") or "").startswith(f"{PAPER_FOLDER}/"):
            return base["pdf"]  # no camera-ready this time: the one imported before stays
        return paper.pdf

    def _pdf_file(self, paper: UpstreamPaper, pdf_value: str | None, base: Values | None, up: Values) -> str | None:
        """Plan writing the camera-ready file; what to report about it."""
        file = self.pdfs.get(paper.number)
        if file is None or pdf_value is None or not pdf_value.startswith(f"{PAPER_FOLDER}/"):
            if base is not None and PDF_HASH in base:
                up[PDF_HASH] = base[PDF_HASH]
            return None
        up[PDF_HASH] = file.sha256()
        name = pdf_value.removeprefix(f"{PAPER_FOLDER}/")
        target = self.papers_dir / name
        if not target.is_file():
            self.pdf_writes[name] = file
            return "PDF file"
        with target.open("rb") as stream:
            existing = hashlib.file_digest(stream, "sha256").hexdigest()
        if existing == up[PDF_HASH]:
            return None
        if base is not None and existing == base.get(PDF_HASH):
            self.pdf_writes[name] = file
            return "PDF file"
        return "kept your PDF file (it differs from the camera-ready one)"

    def _add(self, paper: UpstreamPaper, used_ids: set[str]) -> None:
        paper_id, suffix = paper.paper_id, 2
        while paper_id in used_ids:
            paper_id, suffix = f"{paper.paper_id}-{suffix}", suffix + 1
        used_ids.add(paper_id)
        up = upstream_values(paper, self._pdf_value(paper, paper_id, None))
        entry = CommentedMap([("id", paper_id)])
        for name in UPSTREAM_FIELDS:
            set_field(entry, name, _yaml_value(name, up[name], set(), _contact(paper)))
        entry["source"] = CommentedMap([(self.export.system, paper.source_id)])
        pdf_note = self._pdf_file(paper, up["pdf"], None, up)
        if pdf_note not in (None, "PDF file"):  # a file of that name was already there
            self.report.notes.append(f"{paper_id}: {pdf_note}")
        self.document["papers"].append(entry)
        self.new_base[str(paper.source_id)] = up
        self.report.added.append(f"{paper_id}: {paper.title}")

    def _update(self, paper: UpstreamPaper, entry: CommentedMap) -> None:
        key = str(paper.source_id)
        base = self.base.get(key)
        up = upstream_values(paper, self._pdf_value(paper, str(entry.get("id")), base))
        current = current_values(entry)
        changed, kept, edits = [], [], []
        for name in UPSTREAM_FIELDS:
            theirs, upstream = current[name], up[name]
            before = base.get(name) if base is not None else None
            if theirs == upstream:
                continue
            if base is not None and before == upstream:
                edits.append(name)  # only the organizers changed it: their value stays
            elif base is not None and theirs == before:
                set_field(entry, name, _yaml_value(name, upstream, _presenters(entry), _contact(paper)))
                changed.append(name)
            else:
                kept.append(name)
                shown = upstream if name != "authors" else "; ".join(author["name"] for author in upstream)
                self.report.notes.append(f"{entry.get('id')}: kept your {name}; {self.export.system} says: {shown!r}")
        pdf_note = self._pdf_file(paper, entry.get("pdf"), base, up)
        if pdf_note == "PDF file":
            changed.append(pdf_note)
        elif pdf_note:
            kept.append("PDF file")
            self.report.notes.append(f"{entry.get('id')}: {pdf_note}")
        self.new_base[key] = up
        label = f"{entry.get('id')}: {entry.get('title')}"
        details = []
        if kept:
            details.append(f"kept your edits of {', '.join(kept)} ({self.export.system} changed them too)")
        if edits:
            details.append(f"your edits of {', '.join(edits)} kept")
        if changed:
            self.report.changed.append(
                f"{label} [{', '.join(changed)}]" + (f"; {'; '.join(details)}" if details else "")
            )
        else:
            self.report.unchanged.append(label + (f" ({'; '.join(details)})" if details else ""))

    def merge(self) -> MergeResult:
        existing = self._existing()
        used_ids = {str(paper.get("id")) for paper in self.document["papers"]}
        for paper in self.export.papers:
            entry = existing.pop(str(paper.source_id), None)
            if entry is None and str(paper.source_id) in self.base:
                # Imported before, then deleted from papers.yaml by the organizers: that stays their choice.
                self.new_base[str(paper.source_id)] = self.base[str(paper.source_id)]
                self.report.unchanged.append(
                    f"{paper.paper_id}: {paper.title} (you removed it from papers.yaml: not added again; "
                    "copy its entry back, with its source, to show it)"
                )
            elif entry is None:
                self._add(paper, used_ids)
            else:
                self._update(paper, entry)
        for key, entry in existing.items():
            label = f"{entry.get('id')}: {entry.get('title')} ({self.export.system}: {key})"
            if not self.prune:
                self.report.withdrawn.append(label)
                if key in self.base:
                    self.new_base[key] = self.base[key]
                continue
            self.document["papers"].remove(entry)
            pdf = str(entry.get("pdf") or "")
            if pdf.startswith(f"{PAPER_FOLDER}/") and (self.papers_dir / pdf.removeprefix(f"{PAPER_FOLDER}/")).exists():
                self.pdf_deletes.append(pdf.removeprefix(f"{PAPER_FOLDER}/"))
            self.report.pruned.append(label)
        matched = {paper.number for paper in self.export.papers}
        for number, file in sorted(self.pdfs.items()):
            if number not in matched:
                self.report.notes.append(f"{file.origin}: no accepted paper {number}: not imported.")
        state = {**self.state, self.export.system: dict(sorted(self.new_base.items()))}
        return MergeResult(self.document, state, self.pdf_writes, self.pdf_deletes, self.report)


def merge(
    document: CommentedMap,
    state: dict[str, Any],
    export: UpstreamExport,
    pdfs: Mapping[int, PdfFile],
    papers_dir: Path,
    *,
    prune: bool = False,
) -> MergeResult:
    """Merge ``export`` into ``document`` (papers.yaml, edited in place) and say what changed."""
    return Merger(document, state, export, pdfs, papers_dir, prune=prune).merge()
