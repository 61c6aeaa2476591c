"""HTML pages: the whole workshop page per edition, rendered from the same content as the API."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, redirect, send_file
from werkzeug.exceptions import NotFound

from workshop import documents, paperpage
from workshop.httpresponses import serve
from workshop.model import Edition
from workshop.routing import current_edition
from workshop.storedfiles import PAPER_FOLDER, PHOTO_FOLDER, paper_file, photo_file

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


@bp.get(f"/<edition:edition>/{PHOTO_FOLDER}/<path:filename>")
def photo(edition: Edition, filename: str) -> Response:
    path = photo_file(Path(current_app.config["DATA_DIR"]), edition.name, filename)
    if path is None:
        raise NotFound(f"No photo {filename!r} in the {PHOTO_FOLDER}/ folder of {edition.name}.")
    return send_file(path)


@bp.get(f"/<edition:edition>/{PAPER_FOLDER}/<paper_id>/")
def paper_page(edition: Edition, paper_id: str) -> Response:
    """A paper's page; its PDF, a file, has no trailing slash (``papers/<id>.pdf``)."""
    return serve(paperpage.PAPER_PAGE, edition, paper_id=paper_id)


@bp.get(f"/<edition:edition>/{PAPER_FOLDER}/<filename>")
def paper_pdf(edition: Edition, filename: str) -> Response:
    """A paper's PDF stored with the edition (``pdf: papers/<id>.pdf`` in papers.yaml)."""
    if filename in edition.by_id["papers"]:  # the page's URL without its slash, as a static host answers it
        return redirect(documents.paper_url(edition.name, filename), code=308)
    path = paper_file(Path(current_app.config["DATA_DIR"]), edition.name, filename)
    if path is None:
        raise NotFound(f"No PDF {filename!r} in the {PAPER_FOLDER}/ folder of {edition.name}.")
    return send_file(path)
