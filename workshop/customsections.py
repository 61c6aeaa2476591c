"""An edition's own sections: ``sections/<id>.md``, Markdown under a front matter that gives its title.

::

    ---
    title: Code of conduct
    ---
    Everyone taking part agrees to **the ICML code of conduct**.

The front matter is split off as python-frontmatter does it and read with the data files' YAML rules
(workshop/content.py); the text is rendered and sanitized like all Markdown (workshop/richtext.py).
Each problem names the file, and the line where it is known.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from frontmatter.default_handlers import YAMLHandler
from marshmallow import ValidationError

from workshop.datafields import SLUG_PATTERN
from workshop.pagesections import BUILT_IN, CUSTOM_FOLDER, CUSTOM_SUFFIX, shown_custom
from workshop.sectionschemas import CustomSection, CustomSections, CustomSectionSchema, SectionFrontMatterSchema

if TYPE_CHECKING:  # content.py hands its loader in: the import is for the type alone
    from workshop.content import _FileLoader

_FRONT_MATTER = YAMLHandler()
EXAMPLE = "'---', then 'title: Code of conduct', then '---'"


def split_front_matter(text: str) -> tuple[str, str] | None:
    """(front matter, Markdown) of a section file; None when it does not start with a front matter."""
    text = text.removeprefix("\ufeff")
    if not _FRONT_MATTER.detect(text) or len(_FRONT_MATTER.FM_BOUNDARY.findall(text)) < 2:
        return None
    front, body = _FRONT_MATTER.split(text)
    # One blank line for the opening '---': the YAML's line numbers are the file's.
    return "\n" + front.strip("\n") + "\n", body


def _name_problem(path: Path) -> str | None:
    """What is wrong with a section file's name, if anything: it is the section's id and anchor."""
    section_id = path.name.removesuffix(CUSTOM_SUFFIX)
    if path.suffix != CUSTOM_SUFFIX:
        return f"Unknown file: {CUSTOM_FOLDER}/ holds the edition's own sections, <id>{CUSTOM_SUFFIX}."
    if not SLUG_PATTERN.match(section_id):
        return "File name: the id before .md is lower-case letters, digits and single hyphens."
    if section_id in BUILT_IN:
        return f"{section_id!r} is a built-in section: name the file otherwise."
    return None


def _load_one(loader: _FileLoader, path: Path) -> CustomSection | None:
    problem = _name_problem(path)
    text = None if problem else loader.text(path)
    split = None if text is None else split_front_matter(text)
    if text is not None and split is None:
        problem = f"No front matter: start the file with three lines, {EXAMPLE}."
    if problem:
        loader.report(path, problem, 1 if text is not None else None)
        return None
    if split is None:
        return None  # unreadable: reported
    front, body = split
    parsed = loader.parse(path, front)
    front_matter = None if parsed is None else loader.validate(path, parsed, SectionFrontMatterSchema())
    if front_matter is None:
        return None
    if not body.strip():
        loader.report(path, "The section has no text after its front matter.")
        return None
    try:
        item = {"id": path.name.removesuffix(CUSTOM_SUFFIX), "title": front_matter.title, "body": body}
        return CustomSectionSchema().load(item)
    except ValidationError as error:  # the text itself (e.g. an invisible character)
        for field_name, messages in error.normalized_messages().items():
            loader.report(path, f"{field_name}: {' '.join(map(str, messages))}")
        return None


def load(loader: _FileLoader, edition_dir: Path) -> dict[str, CustomSection]:
    """Every valid section file of the edition, by id (each problem is reported to ``loader``)."""
    found = {}
    for path in loader.files_in(edition_dir / CUSTOM_FOLDER):
        section = _load_one(loader, path)
        if section is not None:
            found[section.id] = section
    return found


def shown(
    loader: _FileLoader, edition_dir: Path, custom: Mapping[str, CustomSection], listed: Sequence[str] | None
) -> CustomSections:
    """The resource of the edition's own sections: the ones the page shows, in its order. A valid
    section that ``site.yaml``'s ``sections:`` does not list is not shown: a warning says so."""
    for section_id in sorted(set(custom) - set(listed or custom)):
        loader.warn(
            edition_dir / CUSTOM_FOLDER / f"{section_id}{CUSTOM_SUFFIX}",
            f"Not shown: site.yaml's sections: does not list {section_id!r}. "
            "Add it to the list to show it, or delete the file.",
        )
    return CustomSections(sections=shown_custom(custom, listed))
