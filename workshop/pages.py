"""HTML pages: the whole workshop page per edition, rendered from the same content as the API."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, redirect, send_file, url_for
from werkzeug.exceptions import NotFound

from workshop import documents, paperpage, theme
from workshop.httpresponses import mark_immutable, serve
from workshop.model import Edition
from workshop.routing import current_edition
from workshop.staticfiles import file_version, to_current_version, version_of
from workshop.store import get_content
from workshop.storedfiles import (
    PAPER_FOLDER,
    PAPER_SUFFIXES,
    PHOTO_FOLDER,
    PHOTO_SUFFIXES,
    photo_file,
    stored_file,
)

bp = Blueprint("pages", __name__)


@bp.get("/")
def current_page() -> Response:
    return serve(documents.PAGE, current_edition())


@bp.get("/robots.txt")
def robots_txt() -> Response:
    return serve(documents.ROBOTS_TXT)


@bp.get("/<edition:edition>/")
def edition_page(edition: Edition) -> Response:
    return serve(documents.PAGE, edition)


@bp.get("/<edition:edition>/social-card.png")
def social_card(edition: Edition) -> Response:
    return serve(documents.SOCIAL_CARD, edition)


@bp.get("/<edition:edition>/theme.css")
def theme_css(edition: Edition) -> Response:
    return serve(documents.THEME_CSS, edition)


def stylesheet_version(edition: Edition) -> str:
    """The hash of the edition's stylesheet's bytes: the version its URL names."""
    return version_of(documents.STYLESHEET.document(get_content(), edition).body)


@bp.get("/<edition:edition>/css/<static_version:version>/site.css")
def stylesheet(edition: Edition, version: str) -> Response:
    """The edition's one stylesheet (its theme and the site's); an earlier version's URL leads to the current one."""
    current = stylesheet_version(edition)
    if version != current:
        return to_current_version(url_for("pages.stylesheet", edition=edition.name, version=current))
    mark_immutable()
    return serve(documents.STYLESHEET, edition)


@bp.app_template_global()
def page_theme(edition: Edition | None = None) -> dict[str, str | None]:
    """What every page's head links to for its look: the edition's theme stylesheet and icon.

    Pages of no edition (/api/, errors) take the current edition's.
    """
    if edition is None:
        edition = current_edition()
    site_theme = edition.site.theme
    favicon = site_theme.favicon_url or url_for("static", filename="favicon.svg")
    return {
        "stylesheet": url_for("pages.stylesheet", edition=edition.name, version=stylesheet_version(edition)),
        "favicon": favicon,
        "favicon_type": theme.favicon_type(favicon),
        "logo": site_theme.logo_url,
    }


@bp.get(f"/<edition:edition>/{PHOTO_FOLDER}/<path:filename>")
def photo(edition: Edition, filename: str) -> Response:
    return send_stored(edition, PHOTO_FOLDER, filename, PHOTO_SUFFIXES, "photo")


@bp.get(f"/<edition:edition>/{PHOTO_FOLDER}/<static_version:version>/<path:filename>")
def versioned_photo(edition: Edition, version: str, filename: str) -> Response:
    """A photo at the URL the data's ``*_url`` give (workshop/datafields.py): its hash, then its name.

    An earlier version's URL leads to the current one; a folder of photos/ that is named like a
    version is served as at the plain URL.
    """
    path = photo_file(Path(current_app.config["DATA_DIR"]), edition.name, filename)
    if path is None:
        return send_stored(edition, PHOTO_FOLDER, f"{version}/{filename}", PHOTO_SUFFIXES, "photo")
    current = file_version(path)
    if version != current:
        current_url = url_for("pages.versioned_photo", edition=edition.name, version=current, filename=filename)
        return to_current_version(current_url)
    mark_immutable()
    return send_file(path)


@bp.get(f"/<edition:edition>/{PAPER_FOLDER}/<paper_id>/")
def paper_page(edition: Edition, paper_id: str) -> Response:
    """A paper's page; its PDF, a file, has no trailing slash (``papers/<id>.pdf``)."""
    return serve(paperpage.PAPER_PAGE, edition, paper_id=paper_id)


@bp.get(f"/<edition:edition>/{PAPER_FOLDER}/<filename>")
def paper_pdf(edition: Edition, filename: str) -> Response:
    """A paper's PDF stored with the edition (``pdf: papers/<id>.pdf`` in papers.yaml)."""
    if filename in edition.by_id.papers:  # the page's URL without its slash, as a static host answers it
        return redirect(documents.paper_url(edition.name, filename), code=308)
    return send_stored(edition, PAPER_FOLDER, filename, PAPER_SUFFIXES, "PDF")


def send_stored(edition: Edition, folder: str, name: str, suffixes: frozenset[str], noun: str) -> Response:
    """A file stored with the edition, if workshop/storedfiles.py's rules let the site serve it; else 404."""
    path = stored_file(Path(current_app.config["DATA_DIR"]), edition.name, folder, name, suffixes)
    if path is None:
        raise NotFound(f"No {noun} {name!r} in the {folder}/ folder of {edition.name}.")
    return send_file(path)
