"""Every word the software itself writes on an edition's pages, by id, in English: site.yaml's ``wording``.

The pages' data is the organizers' (in their language); the words around it are these (buttons,
labels, sentences that frame the data, the scripts' texts). ``wording:`` in site.yaml replaces any
of them by id; a text keeps its ``{placeholders}`` (checked at load), which the page fills in. The
headings of the built-in sections are ``headings:`` and ``menu:`` (workshop/wording.py). The
scripts read theirs (:data:`SCRIPT_IDS`) from one JSON block on the page (templates/macros.html).

Plural forms: an id ending in ``_one`` is the text for a count that ``Intl.PluralRules`` of the
page's language calls "one" (1 in English; 0 and 1 in French), its ``_other`` twin for any other (CLDR's
rules, by Babel; the page carries the form its count needs).
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from flask import Flask
from jinja2 import pass_context
from jinja2.runtime import Context
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape

from workshop.filters import babel_locale, page_language

_ENGLISH = {
    # Every page
    "skip_to_content": "Skip to content",
    "kicker": "{venue} workshop",
    "page_title": "{title} · {venue} workshop",
    "meta_description": "{title}, a workshop at {venue}: call for abstracts, important dates, program and organizers.",
    "meta_description_in_city": "{title}, a workshop at {venue} in {city}: call for abstracts, important dates, "
    "program and organizers.",
    "sections_menu": "Sections",
    # Dates as the server writes them
    "to_be_confirmed": "(to be confirmed)",
    "day_or_day": "{days} or {last}",
    "previously": "Previously",
    "extended_to": "extended to",
    "moved_to": "moved to",
    "anywhere_on_earth": "AoE (Anywhere on Earth, UTC\u221212)",
    # Calendar links
    "add_to_calendar": "Add to calendar",
    "icalendar_file": "iCalendar file",
    "add_title_to": "Add {title} to",
    # People and papers
    "photo_of": "Photo of {name}",
    "presenting": "(presenting)",
    "co_chair": "Co-Chair",
    # The edition notice, the footer
    "edition_notice": "This is the page of the {edition} edition. The current edition is {current}.",
    "editions": "Editions:",
    "editions_menu": "Editions",
    "page_as_data": "This page as data:",
    "api_index": "API index",
    "api_documentation": "API documentation",
    # The header: the phase and the live banner (templates/phase.html)
    "live_now_label": "Live now",
    "workshop_on_now": "The workshop is on now",
    "now": "Now",
    "next": "Next",
    "watch_the_stream": "Watch the stream",
    "virtual_posters": "Virtual posters",
    "q_and_a": "Q&A and chat",
    "program_link": "Program",
    "abstracts_welcome_until": "Abstracts are welcome until {deadline}.",
    "under_review": "Submissions are closed and under review.",
    "authors_hear_back": "Authors hear back on {date}.",
    "program_out": "The program is out.",
    "papers_out": "The accepted contributions are out; the schedule follows.",
    "program_in_preparation": "The program is being prepared.",
    "or_meet_speakers": "or meet the {speakers}",
    "invited_speakers_link": "invited speakers",
    "took_place": "The workshop took place.",
    "recordings_and_slides": "Recordings and slides",
    "next_edition": "Next edition: {title}",
    # The phase's button (workshop/phaseactions.py)
    "see_the_dates": "See the important dates",
    "see_the_program": "See the program",
    "watch_the_live_stream": "Watch the live stream",
    "read_the_papers": "Read the papers",
    # Call for abstracts
    "cfa_format": "Submissions, in the form of {kind}s, need to adhere to the {style_link} ({style_files_link})",
    "cfa_style_format": "{style} format",
    "cfa_style_files": "LaTeX style files",
    "cfa_be_anonymized": ", be anonymized,",
    "cfa_max_pages": "and be no longer than {pages} pages",
    "cfa_excluding_references": "(excluding references)",
    "cfa_after_review": "After {kind} review,",
    "cfa_outcome": "{selection} will be selected for {outcome}",
    "cfa_outcome_joiner": ", and ",
    "cfa_format_label": "Format",
    "cfa_format_value": "{style}, {kind}, at most {pages} pages",
    "cfa_excluding_references_short": "excluding references",
    "cfa_review_label": "Review",
    "cfa_anonymized_submissions": "anonymized submissions",
    "cfa_proceedings_label": "Proceedings",
    "cfa_formal_proceedings": "Formal proceedings",
    "cfa_no_formal_proceedings": "No formal proceedings",
    "cfa_deadline_label": "Deadline",
    "cfa_submit": "Please submit your {kind} through {system} at {url} {before}.",
    "cfa_submit_anonymized": "Please submit your anonymized {kind} through {system} at {url} {before}.",
    "cfa_before": "before {deadline}",
    # Dates
    "subscribe_to_dates": "Subscribe to all dates (iCalendar)",
    "all_dates_in": "All dates are in {zone}.",
    # Venue
    "map_of_venue": "Map of the venue",
    "step_free_access": "Step-free access",
    "quiet_room": "Quiet room",
    "transit": "Public transport",
    "parking": "Parking",
    "food": "Food and drink",
    # Posters
    "poster_size": '{width_in}"W x {height_in}"H, {width_cm} x {height_cm} cm ({paper} {orientation})',
    "portrait": "portrait",
    "landscape": "landscape",
    # Logistics
    "in_person": "In person",
    "in_person_in": "In person in {city}",
    "venue_time_zone": "(venue time: {zone}, {offset})",
    "online": "Online",
    "online_times": "(times on this page are venue time or AoE; with JavaScript, also in your time zone{zone})",
    "see_virtual_posters": "See the virtual posters",
    "register_for": "Register for {venue}",
    # Program
    "show_times_in": "Show times in",
    "venue_time_option": "Venue time ({zone})",
    "your_time_option": "Your time",
    "times_in_venue_zone": "Times are in the venue's time zone, {zone} ({abbreviation}).",
    "kind_welcome": "welcome",
    "kind_keynote": "keynote",
    "kind_talk": "talk",
    "kind_spotlight": "spotlight",
    "kind_break": "break",
    "kind_poster-session": "poster session",
    "kind_panel": "panel",
    "kind_closing": "closing",
    "presented_by": "presented by {names}",
    "recording": "Recording",
    "slides": "Slides",
    "of_title": "of {title}",
    "filter_papers": "Filter by title, author or track",
    "other_contributions": "Other contributions",
    # A paper's page
    "paper_description": "{title}, by {authors}: accepted at {workshop}, {venue}.",
    "breadcrumb": "Breadcrumb",
    "authors": "Authors",
    "presented_as": "Presented as",
    "track": "Track",
    "keywords": "Keywords",
    "session": "Session",
    "poster_board": "Poster board",
    "abstract": "Abstract",
    "links": "Links",
    "link_pdf": "PDF",
    "link_poster": "Poster",
    "link_slides": "Slides",
    "link_video": "Video",
    "link_code": "Code",
    "link_openreview": "OpenReview forum",
    "of_quoted_title": "of “{title}”",
    "cite": "Cite",
    "bibtex_entry": "BibTeX entry",
    "paper_as_json": "This paper as JSON",
    "other_papers": "Other papers",
    "previous_paper": "Previous paper: {title}",
    "next_paper": "Next paper: {title}",
    "all_papers": "All accepted contributions",
    # An edition's error pages
    "error_404_title": "Not Found",
    "error_404": "There is no page at this address.",
    "error_405_title": "Method Not Allowed",
    "error_405": "This address cannot be asked for in this way.",
    "error_500_title": "Internal Server Error",
    "error_500": "The server failed to answer this request; it has been logged.",
    "go_to_workshop_page": "Go to the workshop page",
    # The scripts' (static/js/)
    "your_time": "Your time: {time}",
    "your_time_zone_shown": "Your time is shown for {zone}.",
    "between": "between {start} and {end}",
    "until": "until {end}",
    "passed": "Passed",
    "zone_in_parentheses": " ({zone})",
    "zone_after_comma": ", {zone}",
    "page_updated": "This page was updated with the organizers' latest changes.",
    "times_in_your_zone": "Times are in your time zone, {zone} ({abbreviation}).",
    "later_day": "Later day in your time zone",
    "earlier_day": "Earlier day in your time zone",
    "session_venue_time": "{label}: {title} ({venue} venue time)",
    "session_both_times": "{label}: {title} ({venue} venue time, {local} your time)",
    "time_left": "{left} left (until {deadline}, your time).",
    "papers_all_shown_one": "All {total} paper shown.",
    "papers_all_shown_other": "All {total} papers shown.",
    "papers_some_shown_one": "{shown} of {total} paper shown.",
    "papers_some_shown_other": "{shown} of {total} papers shown.",
    "visitor_session_time": "Your time: {start} \u2013 {end} ({zone})",
}
# Id -> its English text; site.yaml's wording: accepts these ids and no other.
ENGLISH: Mapping[str, str] = MappingProxyType(_ENGLISH)

# The ids the scripts read, by the part of a page that needs them: a page carries its parts' only (its weight
# has a budget). "papers" counts the papers: the plural form of its texts is chosen for the page's total.
SCRIPT_IDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "page": ("page_updated", "zone_in_parentheses", "zone_after_comma"),
        "dates": ("your_time", "your_time_zone_shown", "between", "until", "passed"),
        "schedule": ("now", "next", "times_in_your_zone", "later_day", "earlier_day"),
        "live": ("now", "next", "session_venue_time", "session_both_times"),
        "countdown": ("time_left",),
        "papers": ("papers_all_shown", "papers_some_shown"),
        "paper": ("visitor_session_time",),
    }
)


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a text fills in; ValueError for a lone brace."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def placeholder_problem(name: str, text: str) -> str | None:
    """Why ``text`` cannot replace the English text of ``name``, or None."""
    try:
        found = placeholders(text)
    except ValueError:
        return "a lone { or }: write {{ or }} for a brace."
    expected = placeholders(ENGLISH[name])
    if found == expected:
        return None
    missing = ", ".join("{" + each + "}" for each in sorted(expected - found))
    unknown = ", ".join("{" + each + "}" for each in sorted(found - expected))
    return " ".join(
        part
        for part in (
            f"keep {missing}: the page fills it in." if missing else "",
            f"{unknown} is not filled in here (it has: {', '.join(sorted(expected)) or 'none'})." if unknown else "",
        )
        if part
    )


def merged(overrides: Mapping[str, str | None]) -> Mapping[str, str]:
    """Every text: the site's, else the English default."""
    return MappingProxyType({name: overrides.get(name) or text for name, text in ENGLISH.items()})


def fill(text: str, /, **fields: Any) -> Markup:
    """``text`` with its placeholders filled in, as HTML: the text and plain fields escaped, Markup fields kept."""
    return Markup(escape(text)).format(**fields)


def error_words(words: Mapping[str, str], status: int) -> tuple[str, str] | None:
    """The title and sentence of an error page of ``status`` (404, 405, 500), or None: the HTTP error's own."""
    title = words.get(f"error_{status}_title")
    return (title, words[f"error_{status}"]) if title else None


def _page_words(context: Context) -> Mapping[str, str]:
    edition = context.get("edition")
    return edition.site.wording if edition else ENGLISH


@pass_context
def ui(context: Context, name: str, /, **fields: Any) -> Markup:
    """The page's text ``name`` (its edition's, else English), filled in (macros that use it are imported with
    context)."""
    return fill(_page_words(context)[name], **fields)


def _counted(words: Mapping[str, str], name: str, count: int, language: str) -> str:
    """The text ``name`` in its plural form for ``count`` in ``language`` (``name_one`` or ``name_other``)."""
    form = "one" if babel_locale(language).plural_form(count) == "one" else "other"
    return words[f"{name}_{form}"]


@pass_context
def script_words(context: Context, parts: list[str], papers: int = 0) -> Markup:
    """The texts the scripts of a page made of ``parts`` read (``papers``: how many it lists), as JSON that can
    sit in a <script> element."""
    words = _page_words(context)
    language = page_language(context)
    table = {
        name: _counted(words, name, papers, language) if part == "papers" else words[name]
        for part in parts
        for name in SCRIPT_IDS[part]
    }
    return htmlsafe_json_dumps(table, separators=(",", ":"))


def init_app(app: Flask) -> None:
    app.add_template_global(ui)
    app.add_template_global(script_words)
