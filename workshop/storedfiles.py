"""Which files the site serves from an edition's folders: photos and papers' PDFs.

The routes (workshop/pages.py) and the validation of the data files that name such
a file (workshop/schemas.py: a person's ``photo:``, a paper's ``pdf:``) ask the same
question, so every file the data names is one the site serves, and nothing else in
the data folder is.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path, PurePosixPath

from workshop.staticfiles import VERSION_LENGTH

PHOTO_FOLDER = "photos"
PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".avif", ".svg"})
# Papers' PDFs stored with an edition: papers/<name>.pdf, served at /<edition>/papers/<name>.pdf.
PAPER_FOLDER = "papers"
PAPER_SUFFIXES = frozenset({".pdf"})
PDF_MAGIC = b"%PDF-"
VERSIONED_PHOTO_URL = re.compile(rf"^/(?P<edition>[^/]+)/(?P<folder>{PHOTO_FOLDER})/[0-9a-f]{{{VERSION_LENGTH}}}/")


def is_servable_name(name: str, suffixes: Collection[str]) -> bool:
    """Whether ``name``, a path inside one of the folders ("jane.jpg", "2023/jane.jpg"), may be served.

    Every part is a plain name (no "", ".", ".." and no dot file such as ".env"), and
    the name ends in one of ``suffixes``.
    """
    parts = name.split("/")
    return all(part and not part.startswith(".") for part in parts) and PurePosixPath(name).suffix.lower() in suffixes


def stored_file(data_dir: Path, edition: str, folder: str, name: str, suffixes: Collection[str]) -> Path | None:
    """The file that ``/<edition>/<folder>/<name>`` serves, or None.

    A regular file with one of ``suffixes`` (the file a symbolic link leads to, too)
    that stays inside the data folder: a link to another edition's file is followed,
    a link to /etc/passwd or to a folder outside is not.
    """
    if not is_servable_name(name, suffixes):
        return None
    try:
        root = data_dir.resolve()
        path = (root / edition / folder / name).resolve(strict=True)
        if path.is_relative_to(root) and path.suffix.lower() in suffixes and path.is_file():
            return path
    except (OSError, ValueError, RuntimeError):  # ValueError: a NUL byte; RuntimeError: a loop of links
        pass
    return None


def is_photo_name(name: str) -> bool:
    return is_servable_name(name, PHOTO_SUFFIXES)


def photo_file(data_dir: Path, edition: str, name: str) -> Path | None:
    return stored_file(data_dir, edition, PHOTO_FOLDER, name, PHOTO_SUFFIXES)


def versioned_photo_url(edition: str, name: str, version: str) -> str:
    """The URL of a photo under the hash of its bytes (``version``), served for good (workshop/pages.py)."""
    return f"/{edition}/{PHOTO_FOLDER}/{version}/{name}"


def plain_photo_url(url: str) -> str:
    """The URL a :func:`versioned_photo_url` had before photos were versioned: the one earlier links name."""
    return VERSIONED_PHOTO_URL.sub(r"/\g<edition>/\g<folder>/", url)


def paper_file(data_dir: Path, edition: str, name: str) -> Path | None:
    return stored_file(data_dir, edition, PAPER_FOLDER, name, PAPER_SUFFIXES)


def stored_pdf_problem(data_dir: Path, edition: str, name: str) -> str | None:
    """Why ``papers/<name>`` is not a PDF the edition can serve, or None."""
    path = paper_file(data_dir, edition, name)
    if path is None:
        named = data_dir / edition / PAPER_FOLDER / name
        if not named.is_symlink() and not named.exists():
            return "No such file."
        return "The site does not serve it: a link to a file outside the data folder, or not a regular .pdf file."
    with path.open("rb") as file:
        if file.read(len(PDF_MAGIC)) != PDF_MAGIC:
            return f"Not a PDF (a PDF file starts with {PDF_MAGIC.decode()})."
    return None
