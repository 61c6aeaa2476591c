"""Which files a photo URL serves: regular image files inside an edition's ``photos/`` folder.

The photo route (workshop/pages.py) and the validation of a person's ``photo:``
(workshop/schemas.py) ask the same question, so every photo the data files name is
one the site serves, and nothing else in the data folder is.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

PHOTO_FOLDER = "photos"
PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".avif", ".svg"})


def is_photo_name(name: str) -> bool:
    """Whether ``name``, a path inside the photos folder ("jane.jpg", "2023/jane.jpg"), may name a photo.

    Every part is a plain name (no "", ".", ".." and no dot file such as ".env"), and
    the name ends in an image suffix.
    """
    parts = name.split("/")
    return (
        all(part and not part.startswith(".") for part in parts)
        and PurePosixPath(name).suffix.lower() in PHOTO_SUFFIXES
    )


def photo_file(data_dir: Path, edition: str, name: str) -> Path | None:
    """The file that ``/<edition>/photos/<name>`` serves, or None.

    A photo is a regular file with an image suffix (the file a symbolic link leads to,
    too) that stays inside the data folder: a link to another edition's photo is
    followed, a link to /etc/passwd or to a folder outside is not.
    """
    if not is_photo_name(name):
        return None
    try:
        root = data_dir.resolve()
        path = (root / edition / PHOTO_FOLDER / name).resolve(strict=True)
        if path.is_relative_to(root) and path.suffix.lower() in PHOTO_SUFFIXES and path.is_file():
            return path
    except (OSError, ValueError):  # ValueError: a NUL byte in the name
        pass
    return None
