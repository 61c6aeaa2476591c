"""Content negotiation, decided once per distinct header value.

The answers depend only on the header's text, and clients send a handful of
distinct values (every browser its own Accept, nearly all the same
Accept-Encoding), so each is parsed with werkzeug's parser once and remembered.
The memory is bounded: a client sending a new value with every request costs a
parse, never memory.
"""

from __future__ import annotations

import functools

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

DISTINCT_VALUES = 256


def acceptable_types(mimetype: str) -> list[str]:
    """The types a client may ask for to get a document of ``mimetype``.

    A type with a structured syntax suffix (RFC 6839) is also that syntax:
    ``application/feed+json`` is JSON, so a client that accepts
    ``application/json`` gets it rather than a 406.
    """
    kind, _, subtype = mimetype.partition("/")
    _, plus, syntax = subtype.rpartition("+")
    return [mimetype, f"{kind}/{syntax}"] if plus else [mimetype]


@functools.lru_cache(maxsize=DISTINCT_VALUES)
def admits(accept: str, mimetype: str) -> bool:
    """Whether an Accept header admits ``mimetype`` (else the answer is 406), as Flask reads it.

    An empty or unparseable header admits anything; ``type/subtype;q=0`` rules the type out;
    ``application/json`` admits ``application/feed+json`` (``acceptable_types``).
    """
    accepted = parse_accept_header(accept, MIMEAccept)
    return not accepted or accepted.best_match(acceptable_types(mimetype)) is not None


@functools.lru_cache(maxsize=DISTINCT_VALUES)
def accepts_gzip(accept_encoding: str) -> bool:
    """Whether to send gzip: accepted with q > 0 and not less wanted than identity (RFC 9110, 12.5.3).

    A coding named explicitly counts before ``*``: ``gzip;q=0``, ``*;q=0`` and ``identity``
    alone all mean no gzip. ``x-gzip`` is the same coding (RFC 9110, 8.4.1.3).
    """
    if not accept_encoding:
        return False
    codings = parse_accept_header(accept_encoding)
    quality = max(codings.quality("gzip"), codings.quality("x-gzip"))
    return quality > 0 and quality >= codings.quality("identity")
