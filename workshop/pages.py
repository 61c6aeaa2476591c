"""HTML pages: the whole workshop page per edition, rendered from the same content as the API."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, send_file
from werkzeug.exceptions import NotFound

from workshop import documents
from workshop.http import respond
from workshop.store import get_content
from workshop.storedfiles import PAPER_FOLDER, PHOTO_FOLDER, paper_file, photo_file

bp = Blueprint("pages", __name__)


@bp.get("/")
def current_page() -> Response:
    return respond(documents.page(get_content().current))


@bp.get("/robots.txt")
def robots_txt() -> Response:
    return respond(documents.robots_txt())


@bp.get("/<edition>/")
def edition_page(edition: str) -> Response:
    return respond(documents.page(edition))


@bp.get("/<edition>/social-card.png")
def social_card(edition: str) -> Response:
    return respond(documents.social_card(edition))


@bp.get(f"/<edition>/{PHOTO_FOLDER}/<path:filename>")
def photo(edition: str, filename: str) -> Response:
    documents.find_edition(get_content(), edition)
    path = photo_file(Path(current_app.config["DATA_DIR"]), edition, filename)
    if path is None:
        raise NotFound(f"No photo {filename!r} in the {PHOTO_FOLDER}/ folder of {edition}.")
    return send_file(path)


@bp.get(f"/<edition>/{PAPER_FOLDER}/<filename>")
def paper_pdf(edition: str, filename: str) -> Response:
    """A paper's PDF stored with the edition (``pdf: papers/<id>.pdf`` in papers.yaml)."""
    documents.find_edition(get_content(), edition)
    path = paper_file(Path(current_app.config["DATA_DIR"]), edition, filename)
    if path is None:
        raise NotFound(f"No PDF {filename!r} in the {PAPER_FOLDER}/ folder of {edition}.")
    return send_file(path)
