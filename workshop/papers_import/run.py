"""The whole import: read the export (and PDFs), merge, validate the result as the site would, write atomically.

Nothing is written unless everything is valid: the new papers.yaml and PDFs are
first laid into a copy of the data folder (hard links where possible) and loaded
there with :func:`workshop.content.load_content`, so an import can never leave the
data invalid. Then each file is written to a temporary name in its own folder and
renamed over the old one.
"""

from __future__ import annotations

import io
import json
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from workshop.content import ContentError, load_content
from workshop.papers_import.cmt import read_cmt
from workshop.papers_import.merge import MergeResult, merge
from workshop.papers_import.openreview import looks_like_openreview, read_openreview
from workshop.papers_import.pdfs import read_pdfs
from workshop.papers_import.records import PaperImportError, UpstreamExport
from workshop.papers_import.tables import SPREADSHEET_SUFFIXES, XLS_MAGIC, XLSX_MAGIC
from workshop.papers_import.writing import StagedPdfs, scratch_copy, write_atomic
from workshop.storedfiles import PAPER_FOLDER

FORMATS = ("cmt", "openreview")
PAPERS_FILE = "papers.yaml"
# What the last import read upstream, per paper: the base of the next three-way merge.
STATE_FILE = "last-import.json"
HEADER_COMMENT = "Accepted contributions. Imported with `python -m workshop import-papers`; edit freely."


@dataclass
class ImportResult:
    report_lines: list[str]
    written: bool


def detect_format(path: Path, chosen: str | None) -> str:
    if chosen is not None:
        return chosen
    suffix = path.suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        return "cmt"
    if suffix == ".json":
        return "openreview"
    with path.open("rb") as file:
        head = file.read(4096)
    if looks_like_openreview(head):
        return "openreview"
    if head.startswith((XLSX_MAGIC, XLS_MAGIC)) or b"Paper ID" in head.split(b"\n", 1)[0]:
        return "cmt"
    raise PaperImportError(
        f"{path.name}: unknown format: CMT exports {', '.join(SPREADSHEET_SUFFIXES)} and an OpenReview dump is "
        ".json; name the file so, or give --format cmt|openreview."
    )


def read_export(path: Path, chosen: str | None) -> UpstreamExport:
    if not path.is_file():
        raise PaperImportError(f"{path}: no such file.")
    kind = detect_format(path, chosen)
    return read_cmt(path) if kind == "cmt" else read_openreview(path)


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: comments, key order and quoting stay as organizers wrote them
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # long titles stay on one line: diffs show whole fields
    yaml.preserve_quotes = True
    return yaml


def read_papers_file(path: Path) -> CommentedMap:
    if not path.exists():
        document = CommentedMap([("papers", CommentedSeq())])
        document.yaml_set_start_comment(HEADER_COMMENT)
        return document
    try:
        document = _yaml().load(path.read_text(encoding="utf-8"))
    except (YAMLError, UnicodeDecodeError) as error:
        raise PaperImportError(
            f"{path.name}: cannot be read ({error}); fix it first (python -m workshop check)."
        ) from error
    if document is None:
        document = CommentedMap([("papers", CommentedSeq())])
    if not isinstance(document, CommentedMap) or not isinstance(document.get("papers", CommentedSeq()), list):
        raise PaperImportError(f"{path.name}: expected 'papers:' and a list; fix it first (python -m workshop check).")
    if document.get("papers") is None:
        document["papers"] = CommentedSeq()
    if not isinstance(document["papers"], CommentedSeq):  # 'papers: []' is a flow list: write items in block style
        items = CommentedSeq(document["papers"])
        document["papers"] = items
    document["papers"].fa.set_block_style()
    return document


def render(document: CommentedMap) -> str:
    stream = io.StringIO()
    _yaml().dump(document, stream)
    return stream.getvalue()


def read_state(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise PaperImportError(f"{path}: unreadable ({error}); delete it to merge as on a first import.") from error
    return state if isinstance(state, dict) else {}


def _changes(edition_dir: Path, result: MergeResult, papers_text: str | None) -> None:
    """Write papers.yaml (when given), remove pruned PDFs, record what was read upstream."""
    papers_dir = edition_dir / PAPER_FOLDER
    if papers_text is not None:
        write_atomic(edition_dir / PAPERS_FILE, papers_text.encode("utf-8"))
    for name in result.pdf_deletes:  # after papers.yaml no longer names them
        with suppress(FileNotFoundError):
            (papers_dir / name).unlink()
    state = json.dumps(result.state, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    write_atomic(papers_dir / STATE_FILE, state.encode("utf-8"))


def _validate(data_dir: Path, edition: str, result: MergeResult, papers_text: str, staged: StagedPdfs | None) -> None:
    """Load the whole data folder as the site would, with the import's result in place; raise if invalid."""
    with scratch_copy(data_dir) as copy:
        papers_dir = copy / edition / PAPER_FOLDER
        if staged is not None:
            for name, temporary in staged.temporaries.items():
                (papers_dir / temporary.name).replace(papers_dir / name)
        else:  # a dry run stages nothing in the real folder: write the PDFs into the copy
            papers_dir.mkdir(parents=True, exist_ok=True)
            for name, file in result.pdf_writes.items():
                with (papers_dir / name).open("wb") as target:
                    file.copy_to(target)
        _changes(copy / edition, result, papers_text)
        try:
            load_content(copy)
        except ContentError as error:
            problems = "\n".join(f"  {problem}" for problem in error.problems)
            raise PaperImportError(
                f"The imported papers would make the data invalid, so nothing was written:\n{problems}"
            ) from None


def import_papers(
    data_dir: Path,
    edition: str,
    export_file: Path,
    *,
    pdfs: Path | None = None,
    chosen_format: str | None = None,
    dry_run: bool = False,
    prune: bool = False,
) -> ImportResult:
    """Import ``export_file`` into ``<data_dir>/<edition>/papers.yaml``.

    Raises PaperImportError, having written nothing, on bad input.
    """
    edition_dir = data_dir / edition
    if not (edition_dir / "site.yaml").is_file():
        raise PaperImportError(f"{edition_dir}: no such edition (a folder with a site.yaml).")
    export = read_export(export_file, chosen_format)
    with read_pdfs(pdfs) as pdf_files:
        document = read_papers_file(edition_dir / PAPERS_FILE)
        state = read_state(edition_dir / PAPER_FOLDER / STATE_FILE)
        result = merge(document, state, export, pdf_files, edition_dir / PAPER_FOLDER, prune=prune)
        report = result.report
        edited = bool(report.added or report.changed or report.pruned or result.pdf_writes or result.pdf_deletes)
        if not edited:
            # Nothing to write but what was read upstream: papers.yaml stays byte for byte.
            if not dry_run:
                _changes(edition_dir, result, None)
            return ImportResult([*report.lines(), "Nothing to change."], written=False)
        papers_text = render(result.document)
        staged = None if dry_run else StagedPdfs(edition_dir / PAPER_FOLDER)
        try:
            if staged is not None:
                staged.stage(result.pdf_writes)
            _validate(data_dir, edition, result, papers_text, staged)
            if staged is None:
                return ImportResult([*report.lines(), "Dry run: nothing written."], written=False)
            staged.commit()
        finally:
            if staged is not None:
                staged.discard()
    _changes(edition_dir, result, papers_text)
    return ImportResult([*report.lines(), f"Wrote {edition}/{PAPERS_FILE}."], written=True)
