"""The page's language and its words: site.yaml's ``language``, ``headings``, ``menu`` and ``wording``.

``language`` is a BCP 47 tag (``fr``, ``pt-BR``; checked against the IANA registry by
langcodes): the page's ``<html lang>``, the JSON-LD event's ``inLanguage``, the feed's and
the schedule's ``language``. The built-in sections' headings and menu labels are English
(:data:`ENGLISH`) unless site.yaml retitles them, so that a page in another language
reads in it throughout; every other word the software writes on the pages is ``wording``'s
(workshop/uistrings.py), and dates are written in the language's own way (workshop/filters.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import langcodes
from marshmallow import ValidationError, fields, validates_schema

from workshop import uistrings
from workshop.datafields import StrictSchema, Text
from workshop.pagesections import BUILT_IN

DEFAULT_LANGUAGE = "en"
# The headings inside the built-in sections: section id -> heading id (its id on the page) -> English heading.
SUB_HEADINGS: Mapping[str, Mapping[str, str]] = {
    "program": {
        "speakers": "Invited Speakers",
        "panelists": "Panelists",
        "schedule": "Schedule",
        "papers": "Accepted Contributions",
    },
    "venue": {"accessibility": "Getting there and accessibility"},
    "logistics": {"faqs": "Frequently asked questions"},
}


def _english() -> dict[str, tuple[str, str | None]]:
    """Each built-in section's English heading and menu label (workshop/pagesections.py), then its sub-headings'."""
    table: dict[str, tuple[str, str | None]] = {}
    for section_id, words in BUILT_IN.items():
        table[section_id] = words
        table.update((sub_id, (heading, None)) for sub_id, heading in SUB_HEADINGS.get(section_id, {}).items())
    return table


# Heading id (its id on the page) -> its English heading, and its English label in the page's menu (None: not
# in the menu), in the page's order; headings: and menu: accept these ids and no other.
ENGLISH: Mapping[str, tuple[str, str | None]] = MappingProxyType(_english())
_TAG_CHARACTERS = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")


class LanguageTag(fields.String):
    """A BCP 47 language tag, kept in its standard case (``pt-br`` -> ``pt-BR``)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not _TAG_CHARACTERS.fullmatch(text) or not langcodes.tag_is_valid(text):
            raise ValidationError(
                f"{text!r} is not a BCP 47 language tag: write the language's code, e.g. en, fr, de or pt-BR."
            )
        return str(langcodes.standardize_tag(text))


def _titles(menu: bool) -> type[StrictSchema]:
    """The schema of ``headings`` (every heading) or ``menu`` (the sections in the menu): one optional text each."""
    described = {
        name: Text(f"Default: '{label}'.", load_default=None)
        for name, (heading, entry) in ENGLISH.items()
        if (label := entry if menu else heading) is not None
    }
    return StrictSchema.from_dict(described, name="MenuSchema" if menu else "HeadingsSchema")  # type: ignore[return-value]


HeadingsSchema = _titles(menu=False)
MenuSchema = _titles(menu=True)


class _KeepsPlaceholders(StrictSchema):
    """site.yaml's ``wording``: any of the software's texts, by id, each keeping its placeholders."""

    @validates_schema
    def _keeps_placeholders(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        problems = {
            name: [problem]
            for name, text in data.items()
            if text is not None and (problem := uistrings.placeholder_problem(name, text))
        }
        if problems:
            raise ValidationError(problems)


WordingSchema = _KeepsPlaceholders.from_dict(
    {name: Text(f"Default: '{text}'.", load_default=None) for name, text in uistrings.ENGLISH.items()},
    name="WordingSchema",
)


def language_field() -> LanguageTag:
    return LanguageTag(
        load_default=DEFAULT_LANGUAGE,
        metadata={
            "description": "The page's language, a BCP 47 tag (en, fr, de, pt-BR): its lang attribute, and the "
            "language the JSON-LD, the news feed and the schedule declare. Write the headings in it (headings, menu)."
        },
    )


def headings_field() -> fields.Nested:
    return fields.Nested(
        HeadingsSchema,
        load_default=dict,
        metadata={
            "description": "The built-in sections' headings and the headings inside them, by id, in the page's "
            "language (e.g. program: Programme). Not given: the English default. An own section's title is "
            "its front matter's."
        },
    )


def menu_field() -> fields.Nested:
    return fields.Nested(
        MenuSchema,
        load_default=dict,
        metadata={
            "description": "The built-in sections' labels in the page's menu, by section id (e.g. dates: Dates). "
            "Not given: the section's heading when headings retitles it, else the English default."
        },
    )


def wording_field() -> fields.Nested:
    return fields.Nested(
        WordingSchema,
        load_default=dict,
        metadata={
            "description": "Every other word the software writes on the pages (labels, buttons, the sentences "
            "around the data, the scripts' texts), by id, in the page's language (e.g. add_to_calendar: Ajouter "
            "à l'agenda). A text keeps the {placeholders} of its default, which the page fills in. Not given: "
            "the English default."
        },
    )


def wording(headings: Mapping[str, str | None], menu: Mapping[str, str | None]) -> dict[str, Mapping[str, str]]:
    """Every heading and menu label, each the site's or else its English default."""
    titles = {name: headings.get(name) or heading for name, (heading, _) in ENGLISH.items()}
    labels = {
        name: menu.get(name) or headings.get(name) or entry for name, (_, entry) in ENGLISH.items() if entry is not None
    }
    return {"headings": MappingProxyType(titles), "menu": MappingProxyType(labels)}
