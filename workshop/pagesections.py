"""The page's sections: which ones an edition shows, in which order, and what each is called.

``site.yaml``'s ``sections:`` lists them in order (built-in ids and the ids of the edition's own
Markdown sections, ``sections/<id>.md``); without it, the page keeps the built-in order below with
the edition's own sections after it. A section with nothing to show (no news, no sponsors, no venue
details) is left out. The page, its navigation and site.json read the one order this module gives.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Built-in section id (its anchor on the page) -> its name in the navigation, in the default order.
BUILT_IN: dict[str, str] = {
    "announcements": "News",
    "rationale": "Rationale",
    "program": "Program",
    "call-for-abstracts": "Call for Abstracts",
    "venue": "Venue",
    "logistics": "Logistics",
    "dates": "Dates",
    "posters": "Posters",
    "committee": "Committee",
    "sponsors": "Sponsors",
}
# Where an edition's own sections are: sections/<id>.md, beside its data files.
CUSTOM_FOLDER = "sections"
CUSTOM_SUFFIX = ".md"
# The resource of the edition's own sections (its JSON key in site.json, its name in the API).
CUSTOM_RESOURCE = "sections"


# Sections shown only when a list of theirs has items: section id -> (resource, the list's field).
SHOWN_WITH_ITEMS: dict[str, tuple[str, str]] = {
    "announcements": ("announcements", "announcements"),
    "sponsors": ("sponsors", "sponsors"),
}


def _has_content(sections: Mapping[str, Any], section_id: str) -> bool:
    """Whether a section has something to show: items in a list that may be empty, or the venue's details."""
    if section_id in SHOWN_WITH_ITEMS:
        resource, items = SHOWN_WITH_ITEMS[section_id]
        return bool(sections[resource][items])
    if section_id == "venue":
        return any(value is not None for value in sections["venue"].values())
    return True


def shown_sections(sections: Mapping[str, Any]) -> tuple[str, ...]:
    """The ids of the sections the page shows, in order (the loaded custom sections are the listed ones)."""
    custom = tuple(section["id"] for section in sections[CUSTOM_RESOURCE]["sections"])
    listed = sections["site"]["sections"]
    order = tuple(listed) if listed is not None else (*BUILT_IN, *custom)
    return tuple(section_id for section_id in order if section_id in custom or _has_content(sections, section_id))


def shown_custom(custom: Mapping[str, Any], listed: tuple[str, ...] | None) -> list[Any]:
    """The edition's own sections the page shows, in its order: the listed ones, else all (by id)."""
    order = listed if listed is not None else sorted(custom)
    return [custom[section_id] for section_id in order if section_id in custom]
