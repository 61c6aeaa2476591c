"""The page's sections: which ones an edition shows, in which order, and what each is called.

``site.yaml``'s ``sections:`` lists them in order (built-in ids and the ids of the edition's own
Markdown sections, ``sections/<id>.md``); without it, the page keeps the built-in order below with
the edition's own sections after it. A section with nothing to show (no news, no sponsors, no venue
details) is left out. The page, its navigation and site.json read the one order this module gives.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

T = TypeVar("T")

# Built-in section id (its anchor on the page) -> its English heading and its English label in the
# navigation, in the default order. The one list of the built-in sections: site.yaml's headings:
# and menu: retitle them by these ids (workshop/wording.py).
BUILT_IN: dict[str, tuple[str, str]] = {
    "announcements": ("News", "News"),
    "rationale": ("Rationale", "Rationale"),
    "program": ("Program", "Program"),
    "call-for-abstracts": ("Call for Abstracts", "Call for Abstracts"),
    "venue": ("Venue", "Venue"),
    "logistics": ("Logistics and FAQs", "Logistics"),
    "dates": ("Important Dates", "Dates"),
    "posters": ("Instructions for Posters", "Posters"),
    "committee": ("Organizing Committee", "Committee"),
    "sponsors": ("Sponsors", "Sponsors"),
}
# Where an edition's own sections are: sections/<id>.md, beside its data files.
CUSTOM_FOLDER = "sections"
CUSTOM_SUFFIX = ".md"
# The resource of the edition's own sections (its JSON key in site.json, its name in the API).
CUSTOM_RESOURCE = "sections"


def shown_sections(
    listed: Sequence[str] | None, custom: Sequence[str], with_content: Mapping[str, bool]
) -> tuple[str, ...]:
    """The ids of the sections the page shows, in order: ``listed`` (site.yaml's ``sections:``), else the
    built-in order then ``custom`` (the ids of the own sections loaded); ``with_content`` says, of each
    section that may have nothing to show (news, venue, sponsors: workshop/model.py), whether it has some."""
    order = tuple(listed) if listed is not None else (*BUILT_IN, *custom)
    return tuple(section_id for section_id in order if with_content.get(section_id, True))


def shown_custom(custom: Mapping[str, T], listed: Sequence[str] | None) -> tuple[T, ...]:
    """The edition's own sections the page shows, in its order: the listed ones, else all (by id)."""
    order = listed if listed is not None else sorted(custom)
    return tuple(custom[section_id] for section_id in order if section_id in custom)
