"""The cache of built documents: the app's own, or one shared by several instances (Redis).

Two rules make sharing it safe:

- A document's key names everything its bytes depend on besides the content: the
  settings that appear in documents (``SITE_URL``, ``CALENDAR_UID_DOMAIN``, ...), the
  code, templates, static files and docs/api.md that render them (``rendering_scope``,
  derived once at start), and the path the site is mounted at. Instances that differ in any
  of them never serve each other's documents; instances alike share every one.
- Values are bytes (``Document.to_bytes``), stored and read back as they are: the
  backend's own serializer (pickle, in flask-caching's backends) is replaced by one
  that never unpickles, so a value planted in a shared cache cannot run code in a
  worker. A value that is not an intact document is ignored and rebuilt
  (``documents.cached_document``).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import IO, Any

from cachelib.serializers import BaseSerializer
from flask import Flask, has_request_context, request
from flask_caching import Cache
from flask_caching.backends import NullCache, RedisCache, SimpleCache

# Settings whose values appear in documents: absolute URLs, calendar UIDs, and what
# url_for builds on outside a request.
RENDERING_SETTINGS = ("SITE_URL", "CALENDAR_UID_DOMAIN", "APPLICATION_ROOT", "SERVER_NAME", "PREFERRED_URL_SCHEME")
SCOPE_LENGTH = 16


class BytesSerializer(BaseSerializer):
    """Stores bytes as they are and reads them back as bytes: nothing read from the cache is unpickled."""

    def dumps(self, value: Any, protocol: int | None = None) -> bytes:
        if not isinstance(value, bytes):
            raise TypeError(f"Only bytes are cached, not {type(value).__name__}.")
        return value

    def loads(self, bvalue: bytes | None) -> bytes | None:
        return bvalue

    # The stream forms too (unused by the backends allowed here): no path of this serializer unpickles.
    def dump(self, value: Any, f: IO[bytes], protocol: int | None = None) -> None:
        f.write(self.dumps(value))

    def load(self, f: IO[bytes]) -> bytes:
        return f.read()


def rendering_scope(app: Flask) -> str:
    """A short hash of what documents are rendered with, besides the content and the mount path."""
    # Imported here: apidocs builds its documents through this module.
    from workshop.apidocs import DOCS_FILE

    digest = hashlib.sha256(json.dumps([app.config.get(name) for name in RENDERING_SETTINGS]).encode("utf-8"))
    folders = (Path(__file__).parent, Path(app.root_path) / (app.template_folder or ""), Path(app.static_folder or ""))
    # Named relative to their folder: instances installed in different places share documents.
    files = [(path.relative_to(folder), path) for folder in folders for path in sorted(folder.rglob("*"))]
    for name, path in [*files, (Path(DOCS_FILE.name), DOCS_FILE)]:
        if path.is_file() and "__pycache__" not in name.parts:
            digest.update(f"\0{name}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:SCOPE_LENGTH]


def init_app(app: Flask) -> None:
    cache = Cache(app)
    backend = cache.cache
    if isinstance(backend, SimpleCache | RedisCache):
        backend.serializer = BytesSerializer()
    elif not isinstance(backend, NullCache):
        # Memcached's clients unpickle what they read, whatever the serializer; FileSystemCache
        # keeps its own bookkeeping in pickles.
        raise ValueError(
            f"CACHE_TYPE {app.config['CACHE_TYPE']!r} is not supported: documents are cached as bytes, never "
            "pickles (a value planted in a shared cache could run code). Use SimpleCache, RedisCache "
            "(RedisSentinelCache, RedisClusterCache) or NullCache."
        )
    app.extensions["workshop.cache"] = cache
    app.extensions["workshop.cache_scope"] = rendering_scope(app)


def document_key(app: Flask, content_version: str, name: str) -> str:
    """The cache key of document ``name``: ``<content version>:<rendering scope>:<mount path><name>``."""
    mount = request.script_root if has_request_context() else ""
    return f"{content_version}:{app.extensions['workshop.cache_scope']}:{mount}{name}"
