"""Writing a new edition or a new data folder: checked by the loader first, then put in place at once.

``new-edition`` (workshop/newedition.py) and ``new-site`` (workshop/newsite.py) build
their files in memory, write them into a scratch folder beside the target, load that
folder as the site would (``load_content``), and only then rename the finished folder
into place: a live server sees no edition until it is complete and valid, and an
invalid result writes nothing. The cleared files both commands write (dates, program,
speakers, papers, announcements) are declared here once.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Mapping
from contextlib import suppress
from pathlib import Path

from workshop.content import DATA_SUFFIX, EDITIONS_FILE, ContentError, load_content
from workshop.datafields import SLUG_PATTERN
from workshop.papers_import.writing import FILE_MODE, scratch_copy, write_atomic
from workshop.span import WORKSHOP_DATE_ID

# Every placeholder a command writes carries this mark in a comment: `grep -rn TODO` finds them all.
TODO = "TODO"


class ScaffoldError(Exception):
    """Why nothing was written."""


def yaml_string(value: str) -> str:
    """``value`` as a YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def next_year(day: dt.date) -> dt.date:
    """The same day one year later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def check_edition_name(name: str) -> None:
    if not SLUG_PATTERN.match(name):
        raise ScaffoldError(
            f"Edition name {name!r}: use lower-case letters, digits and single hyphens, e.g. 'icml2024'."
        )


def cleared_files(
    *,
    dates_timezone: str,
    program_timezone: str,
    day: dt.date,
    deadline_id: str,
    deadline_title: str,
    deadline: dt.date,
    cleared_from: str,
) -> dict[str, str]:
    """dates.yaml, program.yaml, speakers.yaml, papers.yaml and announcements.yaml of an edition
    whose program is not known yet: valid, with every placeholder marked by a TODO comment."""
    header = f"# {cleared_from}\n"
    return {
        "dates": (
            f"{header}"
            f"# {TODO}: replace the placeholder days below with the real ones, add the other dates\n"
            "# (notification, camera-ready, ...) and set 'preliminary: false' once they are final.\n"
            f"timezone: {yaml_string(dates_timezone)}\n"
            "preliminary: true\n"
            "note: Dates are preliminary and may change.\n"
            "items:\n"
            f"  # {TODO}: the deadline call-for-abstracts.yaml refers to (submission.deadline): a placeholder day.\n"
            f"  - id: {deadline_id}\n"
            f"    title: {yaml_string(deadline_title)}\n"
            "    kind: deadline\n"
            f"    date: {deadline.isoformat()}\n"
            f"  # {TODO}: the workshop's day (or 'date_options: [day, day]' while it is not fixed).\n"
            f"  - id: {WORKSHOP_DATE_ID}\n"
            "    title: Workshop date\n"
            "    kind: event\n"
            f"    date: {day.isoformat()}\n"
        ),
        "program": (
            f"{header}"
            '# status: "to-be-announced" shows the note below; "published" shows the sessions.\n'
            f"# {TODO}: add the sessions and set 'status: published' once the program is known.\n"
            "status: to-be-announced\n"
            "note: To be announced.\n"
            "# Session times are in the venue's time zone.\n"
            f"timezone: {yaml_string(program_timezone)}\n"
            f"date: {day.isoformat()}\n"
            "sessions: []\n"
        ),
        "speakers": f"{header}# {TODO}: invited speakers and panelists, once confirmed.\nspeakers: []\n",
        "papers": f"{header}# {TODO}: accepted contributions (import-papers fills this).\npapers: []\n",
        "announcements": f"{header}# {TODO}: news for visitors, newest first.\nannouncements: []\n",
    }


def edition_files(texts: Mapping[str, str]) -> dict[str, bytes]:
    """Data files by resource name -> file contents by path inside the edition folder."""
    return {f"{resource}{DATA_SUFFIX}": text.encode("utf-8") for resource, text in texts.items()}


def _write_tree(root: Path, files: Mapping[str, bytes]) -> None:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        path.chmod(FILE_MODE)


def _validate(data_dir: Path, what: str) -> None:
    try:
        load_content(data_dir)
    except ContentError as error:
        problems = "\n".join(f"  {problem}" for problem in error.problems)
        raise ScaffoldError(f"The {what} would not be valid, so nothing was written:\n{problems}") from None


def _move_into_place(built: Path, target: Path) -> None:
    """Rename ``built`` to ``target`` (one step); across file systems, copy with site.yaml last,
    since a folder only becomes an edition when its site.yaml appears."""
    try:
        built.rename(target)
        return
    except OSError as error:
        if target.exists() and any(target.iterdir()):
            raise ScaffoldError(f"{target} appeared meanwhile; nothing was written.") from error
    later = sorted(built.rglob(f"site{DATA_SUFFIX}"))
    shutil.copytree(
        built, target, ignore=lambda folder, names: [n for n in names if Path(folder, n) in later], dirs_exist_ok=True
    )
    for site_file in later:
        shutil.copy2(site_file, target / site_file.relative_to(built))


def add_edition(data_dir: Path, edition: str, files: Mapping[str, bytes], editions_text: str | None) -> None:
    """Write the folder ``data_dir/edition`` with ``files`` (and editions.yaml, when given), validated first."""
    target = data_dir / edition
    if target.exists():
        raise ScaffoldError(f"{target} already exists: choose another edition name. Nothing was written.")
    with scratch_copy(data_dir, "new-edition") as copy:
        _write_tree(copy / edition, files)
        if editions_text is not None:
            # Renamed over, never written in place: the copy's files are hard links to the real ones.
            write_atomic(copy / EDITIONS_FILE, editions_text.encode("utf-8"))
        _validate(copy, f"data folder with edition {edition!r}")
        _move_into_place(copy / edition, target)
    if editions_text is not None:  # once the edition is in place, never before: 'current' must name a folder
        write_atomic(data_dir / EDITIONS_FILE, editions_text.encode("utf-8"))


def create_data_dir(data_dir: Path, files: Mapping[str, bytes]) -> None:
    """Write a new data folder holding ``files`` (paths relative to it), validated first."""
    if data_dir.exists() and (not data_dir.is_dir() or any(data_dir.iterdir())):
        raise ScaffoldError(f"{data_dir} already exists and is not an empty folder. Nothing was written.")
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{data_dir.name}.", dir=data_dir.parent))
    try:
        built = scratch / data_dir.name
        _write_tree(built, files)
        _validate(built, "new data folder")
        with suppress(FileNotFoundError):
            data_dir.rmdir()  # an empty folder given as the target
        _move_into_place(built, data_dir)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
