"""Which responses are compressed, and how: the one rule for both the fast path and Flask.

A response is sent gzipped when the client accepts gzip (``negotiation.accepts_gzip``),
its type is text that compresses (HTML, CSS, JavaScript, JSON, XML, calendars, SVG; not
PNG, JPEG or PDF, which are compressed already) and its body is at least
``MIN_GZIP_SIZE`` bytes (below that, gzip's own header outweighs the saving). The gzipped
representation has its own strong ETag (``gzip_etag``).

Brotli was measured and not adopted: see docs/performance.md.
"""

from __future__ import annotations

import gzip

MIN_GZIP_SIZE = 1024
# Level 9 costs little more than the default here (a response is compressed once per content
# version, then replayed) and mtime 0 gives the same bytes for the same body (same ETag).
GZIP_LEVEL = 9
TEXT_TYPES = frozenset(
    {"application/json", "application/xml", "application/javascript", "application/ecmascript", "image/svg+xml"}
)


def compressible(mimetype: str) -> bool:
    """Whether a body of this type (without parameters) shrinks with gzip: text, JSON and XML of any kind."""
    kind, _, subtype = mimetype.lower().partition("/")
    return kind == "text" or mimetype.lower() in TEXT_TYPES or subtype.endswith(("+json", "+xml"))


def worth_compressing(mimetype: str, body: bytes) -> bool:
    return len(body) >= MIN_GZIP_SIZE and compressible(mimetype)


def gzip_body(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


def gzip_etag(etag: str) -> str:
    """The gzipped representation's ETag (unquoted), from the plain one's."""
    return f"{etag}-gzip"
