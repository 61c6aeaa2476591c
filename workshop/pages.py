"""HTML pages: the whole workshop page per edition, rendered from the same content as the API."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, send_from_directory

from workshop import documents
from workshop.datafiles import send_data_file
from workshop.http import respond
from workshop.schemas import PAPER_FOLDER, PHOTO_FOLDER
from workshop.store import get_content

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
    return send_from_directory(Path(current_app.config["DATA_DIR"]) / edition / PHOTO_FOLDER, filename)


@bp.get(f"/<edition>/{PAPER_FOLDER}/<filename>")
def paper_pdf(edition: str, filename: str) -> Response:
    """A paper's PDF stored with the edition (``pdf: papers/<id>.pdf`` in papers.yaml)."""
    documents.find_edition(get_content(), edition)
    return send_data_file(Path(current_app.config["DATA_DIR"]), edition, PAPER_FOLDER, filename, {".pdf"})
