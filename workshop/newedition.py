"""``new-edition NEW --from OLD``: next year's edition, started from this year's.

What carries over is copied as the organizers wrote it (comments included), under a
comment that says what to review: site.yaml (title, venue and texts: the site-level
settings, the sections' order and the theme, with its logo, icon and header image),
topics.yaml, committee.yaml (and the members' photos), logistics.yaml, posters.yaml and
call-for-abstracts.yaml (its format and review; its submission link and the deadline it
names are this year's to set), venue.yaml and sponsors.yaml (and the sponsors' logos) when
the edition has them, and its own sections (``sections/<id>.md``). What does not carry
over is cleared (workshop/scaffold.py: dates, program, speakers, papers, announcements).
Nothing is shifted but the two days dates.yaml needs, which are placeholders marked TODO.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from workshop.content import DATA_SUFFIX, EDITIONS_FILE, load_content
from workshop.model import Edition
from workshop.pagesections import CUSTOM_FOLDER, CUSTOM_SUFFIX
from workshop.scaffold import (
    TODO,
    ScaffoldError,
    add_edition,
    check_edition_name,
    cleared_files,
    edition_files,
    next_year,
)
from workshop.schemas import OPTIONAL_RESOURCES

# Resource -> what to review in the copy.
CARRIED_OVER: dict[str, str] = {
    "site": "the venue (name, city, time zone) and any text that names last year's conference or year",
    "topics": "the open problems of this year's call",
    "committee": "who organizes this year",
    "logistics": "the registration link, the contact address and how this year's event runs",
    "posters": "this year's poster sizes",
    "call-for-abstracts": "submission.url, the format's style and links for this year; "
    "the deadline it names is in dates.yaml",
    "venue": "where this year's workshop takes place, and how to get there and around",
    "sponsors": "who supports this year's workshop",
}


@dataclass(frozen=True)
class NewEdition:
    """What was written."""

    folder: Path
    day: dt.date
    deadline: dt.date
    made_current: bool


def _first_day(edition: Edition, item_id: str) -> dt.date | None:
    item = next((item for item in edition.dates.items if item.id == item_id), None)
    return None if item is None else item.starts_at.date()


def _carried_over(data_dir: Path, old: Edition) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for resource, review in CARRIED_OVER.items():
        name = f"{resource}{DATA_SUFFIX}"
        if resource in OPTIONAL_RESOURCES and not (data_dir / old.name / name).is_file():
            continue
        text = (data_dir / old.name / name).read_text(encoding="utf-8-sig")  # a BOM may only start a file
        header = f"# Carried over from {old.name} by new-edition.\n# {TODO}: review {review}.\n"
        files[name] = (header + text).encode("utf-8")
    theme = old.site.theme
    images = [member.photo for member in old.committee.members]
    images += [sponsor.logo for sponsor in old.sponsors]
    images += [theme.logo, theme.favicon, theme.header.image]
    for image in images:
        if image is not None:  # validated: a regular image file inside the edition
            files[image] = (data_dir / old.name / image).read_bytes()
    for section in old.custom_sections:  # the ones the page shows (validated)
        name = f"{CUSTOM_FOLDER}/{section.id}{CUSTOM_SUFFIX}"
        files[name] = (data_dir / old.name / name).read_bytes()
    return files


def _editions_text(data_dir: Path, current: str) -> str:
    """editions.yaml with ``current`` changed, its comments kept (ruamel.yaml round-trip)."""
    yaml = YAML()
    document = yaml.load((data_dir / EDITIONS_FILE).read_text(encoding="utf-8"))
    document["current"] = current
    stream = io.StringIO()
    yaml.dump(document, stream)
    return stream.getvalue()


def new_edition(
    data_dir: Path,
    new: str,
    old_name: str,
    *,
    day: dt.date | None = None,
    deadline: dt.date | None = None,
    make_current: bool = False,
) -> NewEdition:
    """Write ``data_dir/new`` from ``old_name``; raise ScaffoldError (nothing written) or ContentError."""
    check_edition_name(new)
    if (data_dir / new).exists():
        raise ScaffoldError(f"{data_dir / new} already exists: choose another edition name. Nothing was written.")
    content = load_content(data_dir)  # OLD must be valid: its copy is checked the same way
    if old_name not in content.editions:
        raise ScaffoldError(f"No edition {old_name!r} in {data_dir} (found: {', '.join(content.editions)}).")
    old = content.editions[old_name]
    deadline_id = old.call_for_abstracts.submission.deadline
    if day is None:
        last_day = _first_day(old, "workshop") or (old.workshop_span[0].date() if old.workshop_span else None)
        if last_day is None:
            raise ScaffoldError(f"{old_name} says no workshop date: give the new one with --date YYYY-MM-DD.")
        day = next_year(last_day)
    if deadline is None:
        deadline = next_year(_first_day(old, deadline_id) or day)
    if deadline > day:
        raise ScaffoldError(f"The deadline ({deadline}) is after the workshop ({day}): give --deadline.")
    old_deadline = old.date(deadline_id)
    files = _carried_over(data_dir, old)
    files |= edition_files(
        cleared_files(
            dates_timezone=old.dates.timezone,
            program_timezone=old.program.timezone,
            day=day,
            deadline_id=deadline_id,
            deadline_title=old_deadline.title,
            deadline=deadline,
            cleared_from=f"Cleared by new-edition (from {old_name}): nothing of last year's carries over here.",
        )
    )
    add_edition(data_dir, new, files, _editions_text(data_dir, new) if make_current else None)
    return NewEdition(folder=data_dir / new, day=day, deadline=deadline, made_current=make_current)
