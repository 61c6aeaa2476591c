"""Static files under a versioned URL, cached for a year: ``/static/<version>/css/site.css``.

The version is a hash of every file under static/ (names and bytes), taken once at
start, so any change to any static file gives every one of them a new URL. A whole
tree rather than a hash per file keeps the modules' relative imports (``./time.js``)
resolving under the same version, without a build step. Pages name these URLs
(``url_for('static', filename=...)``: Flask's own static route, at the versioned
prefix), and they are served with ``Cache-Control: public, max-age=31536000,
immutable`` (workshop/httpresponses.py).

The same versions name the files of an edition at a content-hashed URL (:func:`version_of`,
:func:`file_version`): its stylesheet and its photos (workshop/pages.py).

- ``/static/<path>`` keeps working, with the short caching of before (bookmarks,
  other sites linking to a file).
- ``/static/<another version>/<path>``, a page from before the last release asking for
  its files, is redirected to the current version's URL (``no-store``: the redirect is
  never kept), as the bytes under an old version are gone: never sent as that version,
  never cached for a year under it.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, current_app, redirect, url_for
from werkzeug.exceptions import NotFound
from werkzeug.routing import BaseConverter
from werkzeug.security import safe_join

VERSION_LENGTH = 12
# The unversioned route's endpoint; Flask's own "static" endpoint is the versioned one.
PLAIN_ENDPOINT = "static_unversioned"
STATIC_ENDPOINTS = frozenset({"static", PLAIN_ENDPOINT})
IMMUTABLE_MAX_AGE = 365 * 24 * 3600


def tree_version(folder: Path) -> str:
    """A short hash of every file under ``folder``: its name relative to the folder, and its bytes."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(f"\0{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:VERSION_LENGTH]


def version_of(data: bytes) -> str:
    """The version in the URL of one file: a short hash of its bytes."""
    return hashlib.sha256(data).hexdigest()[:VERSION_LENGTH]


def file_version(path: Path) -> str:
    """The version of the file at ``path``: read again only when its size or time changed."""
    state = path.stat()
    return _file_version(str(path), state.st_size, state.st_mtime_ns)


@lru_cache(maxsize=4096)
def _file_version(path: str, size: int, mtime_ns: int) -> str:
    return version_of(Path(path).read_bytes())


def versioned_prefix(folder: Path) -> str:
    """The URL path static files are served under: give it to Flask as ``static_url_path``."""
    return f"/static/{tree_version(folder)}"


class VersionConverter(BaseConverter):
    """A version segment: exactly what ``tree_version`` makes (a folder of static/ is never one)."""

    regex = f"[0-9a-f]{{{VERSION_LENGTH}}}"


def to_current_version(url: str) -> Response:
    """A redirect from an earlier version's URL to the current one's, never kept by a cache."""
    response = redirect(url, code=302)
    response.cache_control.no_store = True
    return response


def other_version(version: str, filename: str) -> Response:
    path = safe_join(current_app.static_folder or "", filename)
    if path is None or not Path(path).is_file():
        raise NotFound(f"No static file {filename!r}.")
    return to_current_version(url_for("static", filename=filename))


def init_app(app: Flask) -> None:
    app.url_map.converters["static_version"] = VersionConverter
    app.add_url_rule("/static/<path:filename>", PLAIN_ENDPOINT, app.send_static_file)
    app.add_url_rule("/static/<static_version:version>/<path:filename>", "static_other_version", other_version)
