"""Files stored with an edition's data (papers' PDFs), served as they are.

The rules: a regular file directly in the named folder of the edition, not hidden
(no dotfile), with an allowed suffix, and not a symbolic link that leads out of
the data folder. Anything else is a 404, like a file that does not exist.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from flask import Response, abort, send_file


def data_file(data_dir: Path, edition: str, folder: str, filename: str, suffixes: Collection[str]) -> Path | None:
    """The file ``<data_dir>/<edition>/<folder>/<filename>`` if the rules allow serving it, else None."""
    if "/" in filename or "\\" in filename or filename.startswith(".") or Path(filename).suffix.lower() not in suffixes:
        return None
    path = data_dir / edition / folder / filename
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a loop of links
        return None
    if not resolved.is_file() or not resolved.is_relative_to(data_dir.resolve()):
        return None
    return path


def send_data_file(data_dir: Path, edition: str, folder: str, filename: str, suffixes: Collection[str]) -> Response:
    """Send the file (with a type from its name) or answer 404."""
    path = data_file(data_dir, edition, folder, filename, suffixes)
    if path is None:
        abort(404)
    return send_file(path)
