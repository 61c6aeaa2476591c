"""``new-site DIR``: a data folder for another workshop, valid from the start.

It holds editions.yaml and one edition with the site's title, venue city, time zone
and day; every other field holds a placeholder that passes the schemas, marked by a
TODO comment (text fields show on the page, so the marks are comments, and the texts
say "To be announced"). Required links and the contact address point to example.org,
the domain reserved for examples, until the organizers write theirs.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

from workshop.content import EDITIONS_FILE
from workshop.pagesections import BUILT_IN
from workshop.scaffold import (
    TODO,
    ScaffoldError,
    check_edition_name,
    cleared_files,
    create_data_dir,
    edition_files,
    yaml_string,
)
from workshop.theme import DEFAULT_ACCENT, DEFAULT_HEADER_BACKGROUND, DEFAULT_HEADER_TEXT

# Weeks between the placeholder submission deadline and the workshop.
DEADLINE_WEEKS_BEFORE = 8
PLACEHOLDER_URL = "https://example.org/"
TBA = "To be announced."


@dataclass(frozen=True)
class NewSite:
    """What was written."""

    data_dir: Path
    edition: str
    deadline: dt.date


def edition_name_for(title: str, day: dt.date) -> str:
    """A folder name from the title's words and the year: 'Deep Oceans' on 2026-05-04 -> deep-oceans-2026."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    if not words:
        raise ScaffoldError(f"Cannot make a folder name from the title {title!r}: give --edition.")
    return "-".join([*words, str(day.year)])


def _site_files(*, title: str, venue_name: str, city: str, timezone: str) -> dict[str, str]:
    todo_text = f"# {TODO}: the texts below show on the page; replace each placeholder."
    return {
        "site": (
            f"title: {yaml_string(title)}\n"
            f"# {TODO}: venue.name is the host conference or the event's name, shown as '<name> workshop'.\n"
            "venue:\n"
            f"  name: {yaml_string(venue_name)}\n"
            f"  city: {yaml_string(city)}\n"
            f"  timezone: {yaml_string(timezone)}\n"
            f"{todo_text}\n"
            f"rationale: {TBA}\n"
            f"goal: {TBA}\n"
            f"approach: {TBA}\n"
            "call_to_action:\n"
            "  label: See the call for abstracts\n"
            '  href: "#call-for-abstracts"\n'
            f"# {TODO}: the look: links' and buttons' colour, the header's colours (or an image from photos/\n"
            "# under an overlay), a logo and an icon (theme.logo, theme.favicon). check measures the contrast.\n"
            "theme:\n"
            f'  accent: "{DEFAULT_ACCENT}"\n'
            "  header:\n"
            f'    background: "{DEFAULT_HEADER_BACKGROUND}"\n'
            f'    text: "{DEFAULT_HEADER_TEXT}"\n'
            "# The page's sections, in order: leave one out to hide it, or add your own (sections/<id>.md).\n"
            "# Venue and sponsors show once venue.yaml and sponsors.yaml have something to show.\n"
            f"sections: [{', '.join(BUILT_IN)}]\n"
        ),
        "topics": (
            f"# {TODO}: the topics of the call; at least one.\n"
            f"intro: {TBA}\n"
            "items:\n"
            "  - id: to-be-announced\n"
            "    title: To be announced\n"
            f"note: {TBA}\n"
        ),
        "committee": (
            f"# {TODO}: the organizers; at least one (role: co-chair or member).\n"
            "intro: The organizing committee.\n"
            "members:\n"
            "  - id: to-be-announced\n"
            "    name: To be announced\n"
            "    affiliation: To be announced\n"
        ),
        "call-for-abstracts": (
            f"# {TODO}: every link below points to example.org until you write yours.\n"
            f"intro: {TBA}\n"
            "format:\n"
            "  kind: extended abstract\n"
            "  style: To be announced\n"
            f"  instructions_url: {PLACEHOLDER_URL}\n"
            f"  style_files_url: {PLACEHOLDER_URL}\n"
            "  anonymized: true\n"
            "  max_pages: 4\n"
            "  references_excluded: true\n"
            "review:\n"
            "  kind: double-blind\n"
            "  outcomes:\n"
            "    - id: poster\n"
            "      title: Poster presentations\n"
            "      selection: accepted submissions\n"
            "proceedings: false\n"
            "submission:\n"
            "  system: To be announced\n"
            f"  url: {PLACEHOLDER_URL}\n"
            "  # The id of the deadline in dates.yaml.\n"
            "  deadline: submission-deadline\n"
        ),
        "logistics": (
            f"# {TODO}: the registration link and the contact address are placeholders (example.org).\n"
            "attendance: in-person\n"
            f"description: {TBA}\n"
            "registration:\n"
            "  label: Registration opens soon.\n"
            f"  url: {PLACEHOLDER_URL}\n"
            "contact:\n"
            "  label: Write to the organizers at\n"
            "  email: organizers@example.org\n"
            "faqs: []\n"
        ),
        "posters": (
            f"# {TODO}: the poster sizes you accept (A0 portrait is a placeholder).\n"
            "intro: Poster size.\n"
            "sizes:\n"
            "  - id: maximum\n"
            "    title: Maximum size\n"
            "    width_in: 33.1\n"
            "    height_in: 46.8\n"
            "    width_cm: 84.1\n"
            "    height_cm: 118.9\n"
            "    paper: A0\n"
            "    orientation: portrait\n"
            f"notes: {TBA}\n"
        ),
    }


def _editions_file(edition: str, site_url: str | None) -> str:
    """editions.yaml: the edition served at /, and the site's public address (a TODO until it is known)."""
    address = (
        f"site_url: {yaml_string(site_url)}\n"
        if site_url
        else f"# {TODO}: the site's public address, once known (until then, links point to where make run serves):\n"
        "# site_url: https://workshop.example.org\n"
    )
    return (
        "# The edition served at / and /api/v1/<resource>.json.\n"
        f"current: {edition}\n"
        "# The site's address: canonical links, feeds and calendars are built on it, and calendar\n"
        "# events' ids carry its host: keep it once published.\n" + address
    )


def new_site(
    data_dir: Path,
    *,
    title: str,
    city: str,
    timezone: str,
    day: dt.date,
    edition: str | None = None,
    venue_name: str | None = None,
    deadline: dt.date | None = None,
    site_url: str | None = None,
) -> NewSite:
    """Write a new data folder ``data_dir``; raise ScaffoldError (nothing written)."""
    if timezone not in zoneinfo.available_timezones():
        raise ScaffoldError(f"Time zone {timezone!r}: give the venue's IANA time zone name, e.g. Europe/Paris.")
    edition = edition or edition_name_for(title, day)
    check_edition_name(edition)
    deadline = deadline or day - dt.timedelta(weeks=DEADLINE_WEEKS_BEFORE)
    if deadline > day:
        raise ScaffoldError(f"The deadline ({deadline}) is after the workshop ({day}).")
    texts = _site_files(title=title, venue_name=venue_name or str(day.year), city=city, timezone=timezone)
    texts |= cleared_files(
        dates_timezone=timezone,
        program_timezone=timezone,
        day=day,
        deadline_id="submission-deadline",
        deadline_title="Submission deadline",
        deadline=deadline,
        cleared_from="Written by new-site.",
    )
    files = {f"{edition}/{name}": data for name, data in edition_files(texts).items()}
    files[EDITIONS_FILE] = _editions_file(edition, site_url).encode()
    create_data_dir(data_dir, files)
    return NewSite(data_dir=data_dir, edition=edition, deadline=deadline)
