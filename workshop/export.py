"""Static export: the whole site as plain files, for any static host (GitHub Pages, S3, nginx).

Frozen-Flask requests every URL from the app and writes the response body to
the file the URL names: ``/`` and ``/icml2023/`` become ``index.html`` and
``icml2023/index.html``, ``/api/v1/dates.json`` stays ``api/v1/dates.json``.
A static host picks the Content-Type from the file name, so every exported URL
ends in ``/`` (a page), ``.json`` (the API), ``.ics`` (its calendars), ``.xml``
(the frab schedule) or the extension of a file;
Frozen-Flask compares that guess with the Content-Type the app sent, and any
mismatch stops the export (``FREEZER_IGNORE_MIMETYPE_WARNINGS`` stays False),
but one: a JSON type with a suffix, such as the JSON Feed's
``application/feed+json``, is served as ``application/json``, which is what the
app answers a client that asks for JSON (``negotiation.acceptable_types``).

What is exported, found from the app and its content rather than listed here:

- every page: each route of the page blueprints whose only argument is the edition, for
  every edition (``/``, ``/<edition>/``, ``/<edition>/social-card.png``, ``/api/``, ``/robots.txt``),
  or the edition and one of :data:`PAGE_ITEMS` (a paper's page, the stylesheet at its version);
- every URL of the API's catalogue (workshop/catalogue.py: JSON, iCalendar and XML documents),
  once for every value of its arguments, which the catalogue declares with the route;
- every static file, every file of the photos/ folders the data names (people's photos, the theme's
  images), and every paper's PDF stored with its edition (a ``pdf`` that is a path on the site, not an http(s) URL).
"""

from __future__ import annotations

import mimetypes
import warnings
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from flask import Flask, url_for
from flask_frozen import Freezer, MimetypeMismatchWarning, MissingURLGeneratorWarning

from workshop.catalogue import api_urls
from workshop.content import dump_edition
from workshop.model import Content, Edition
from workshop.pages import stylesheet_version
from workshop.store import get_content
from workshop.storedfiles import plain_photo_url

# Python knows .ics and .bib only from the system's /etc/mime.types, and some of those map .xml
# to text/xml: say them here, so that the type check below holds on any machine (it stays
# strict for every other file).
mimetypes.add_type("text/calendar", ".ics")
mimetypes.add_type("application/xml", ".xml")
mimetypes.add_type("text/x-bibtex", ".bib")


# The blueprints whose routes are pages (the API's documents come from its catalogue).
PAGE_BLUEPRINTS = ("pages", "apidocs")
# Frozen-Flask's warning for a .json file whose type is application/<something>+json.
JSON_WITH_SUFFIX_AS_JSON = (
    r"Filename extension of '[^']*\.json' \(type application/json\) "
    r"does not match Content-Type: application/[\w.-]+\+json$"
)
# A folder holding this file was written by an earlier export, and may be emptied.
EXPORT_MARKER = "api/v1/index.json"
# Left alone when an earlier export's files are removed (e.g. a gh-pages checkout).
KEPT_IN_DESTINATION = [".git"]


class ExportError(Exception):
    """The site cannot be exported as asked; the message says why."""


# --- URL generators ----------------------------------------------------------------


# The values of a page's other arguments, per edition: one page per paper, the stylesheet's one version.
PAGE_ITEMS: dict[str, Callable[[Edition], list[str]]] = {
    "paper_id": lambda edition: [paper.id for paper in edition.papers],
    "version": lambda edition: [stylesheet_version(edition)],
}


def page_urls(app: Flask, content: Content) -> Iterator[tuple[str, dict[str, str]]]:
    """(endpoint, values) of every page: each GET route of the page blueprints (the pages and /api/)
    whose arguments are the edition and at most one of :data:`PAGE_ITEMS`, for every edition (and
    item). Photos and PDFs are files of the data folder, listed from the content (:func:`photo_urls`,
    :func:`paper_pdf_urls`)."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in PAGE_BLUEPRINTS or "GET" not in (rule.methods or ()):
            continue
        items = rule.arguments - {"edition"}
        if "edition" in rule.arguments and len(items) <= 1 and items <= set(PAGE_ITEMS):
            for name, edition in content.editions.items():
                if not items:
                    yield rule.endpoint, {"edition": name}
                    continue
                (item,) = items
                yield from ((rule.endpoint, {"edition": name, item: value}) for value in PAGE_ITEMS[item](edition))
        elif not rule.arguments:
            yield rule.endpoint, {}


def _strings_named(value: Any, key: str) -> Iterator[str]:
    if isinstance(value, Mapping):
        for name, item in value.items():
            if name == key and isinstance(item, str):
                yield item
            else:
                yield from _strings_named(item, key)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings_named(item, key)


# The URLs of files of the photos/ folder in a dumped edition: people's photos, the theme's images.
PHOTO_URL_KEYS = ("photo_url", "logo_url", "favicon_url", "image_url")


def photo_urls(content: Content) -> Iterator[str]:
    """Every file of the photos/ folders the data names: people's photos (committee, speakers, ...),
    the sponsors' logos, the theme's logo, icon and header image, of every edition; each at the
    content-hashed URL pages name, and at its plain URL, which earlier links name."""
    for edition in content.editions.values():
        dumped = dump_edition(edition)
        for key in PHOTO_URL_KEYS:
            for url in _strings_named(dumped, key):
                yield url
                yield plain_photo_url(url)


def site_urls(app: Flask, content: Content) -> list[str]:
    """Every URL the site builds from its content: pages, API documents and calendars, photos.

    The one list of them: the export writes these (and the static files), and
    ``python -m workshop check`` requests each one.
    """
    with app.test_request_context():
        documents = [url_for(endpoint, **values) for endpoint, values in (*page_urls(app, content), *api_urls(content))]
    return [*documents, *photo_urls(content), *paper_pdf_urls(content)]


def paper_pdf_urls(content: Content) -> Iterator[str]:
    """The ``pdf`` of every paper whose PDF is stored with its edition (served by the site itself)."""
    for edition in content.editions.values():
        for paper in edition.papers:
            if paper.pdf is not None and paper.pdf.startswith("/"):
                yield paper.pdf


# --- Export ------------------------------------------------------------------------


def _check_destination(destination: Path) -> None:
    """Frozen-Flask deletes what it did not write: only ever in an empty folder or an earlier export."""
    if destination.exists() and not destination.is_dir():
        raise ExportError(f"{destination} is a file, not a folder.")
    if destination.is_dir() and any(destination.iterdir()) and not (destination / EXPORT_MARKER).is_file():
        raise ExportError(
            f"{destination} is not empty and holds no earlier export ({EXPORT_MARKER}): "
            "choose an empty or new folder, as the export removes every file it did not write."
        )


def _disable_live_reload(app: Flask) -> None:
    """A static copy is one content version: stop following edits of the data files."""
    app.extensions["workshop.store"].stop_watching()


def _content_of(app: Flask) -> Content:
    with app.app_context():
        return get_content()


def export_site(app: Flask, destination: Path) -> list[str]:
    """Write every page, API document, static file and photo of ``app`` under ``destination``.

    Files of an earlier export that are no longer part of the site are removed.
    Returns the exported URLs, sorted. Raises :class:`ExportError` when the
    destination is unsafe to write into, a URL cannot be exported as a file of
    the right type, or the content changed while exporting.
    """
    destination = Path(destination).resolve()
    _check_destination(destination)
    _disable_live_reload(app)
    content = _content_of(app)

    app.config.update(
        FREEZER_DESTINATION=str(destination),
        FREEZER_DESTINATION_IGNORE=KEPT_IN_DESTINATION,
        FREEZER_REMOVE_EXTRA_FILES=True,
        FREEZER_BASE_URL=None,  # served at the domain root, with the same URLs as the app
        FREEZER_RELATIVE_URLS=False,
        FREEZER_IGNORE_404_NOT_FOUND=False,
    )
    # No generator for "every rule without arguments": the site's URLs are the
    # ones below, so a route that only makes sense live is never frozen.
    freezer = Freezer(app, with_static_files=True, with_no_argument_rules=False)
    urls = site_urls(app, content)  # before writing anything: an unknown argument stops here
    freezer.register_generator(lambda: urls)

    with warnings.catch_warnings():
        # A file whose extension a static host would serve with another type is an error.
        warnings.simplefilter("error", MimetypeMismatchWarning)
        warnings.filterwarnings("ignore", message=JSON_WITH_SUFFIX_AS_JSON, category=MimetypeMismatchWarning)
        # Routes that have nothing to export (no one has a photo, no program is
        # published; API routes that are neither JSON nor calendars) are expected.
        warnings.simplefilter("ignore", MissingURLGeneratorWarning)
        try:
            written = sorted(page.url for page in freezer.freeze_yield())
        except MimetypeMismatchWarning as error:
            raise ExportError(f"A static host would serve the wrong type: {error}") from None
        except ValueError as error:  # Frozen-Flask: a URL answered other than 200
            raise ExportError(str(error)) from None

    if _content_of(app).version != content.version:
        raise ExportError("The data files changed during the export: run it again.")
    return written
