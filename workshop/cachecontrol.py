"""How long caches may keep a timed document: its Cache-Control, cut at the instant it stops being right.

A document that holds until an instant (``Document.valid_until``: the workshop's next phase) must not
be kept by any cache past that instant. Its ``max-age`` and ``stale-while-revalidate`` are cut here, at
the moment of each answer: by Flask (workshop/httpresponses.py) and by the fast path's replays
(workshop/fastpath.py, which the ASGI front and gunicorn's HTTP/1 connection write), so a document
learned an hour before the boundary and replayed a second before it says so.
"""

from __future__ import annotations

from werkzeug.datastructures import ResponseCacheControl
from werkzeug.http import parse_cache_control_header


def seconds_left(valid_until: float, now: float) -> int:
    """Whole seconds from ``now`` until ``valid_until`` (POSIX timestamps), never below 0: what a cache may keep."""
    return max(0, int(valid_until - now))


def cut(cache_control: str, left: int) -> str:
    """``cache_control`` with ``max-age`` and ``stale-while-revalidate`` cut so that together they reach no
    further than ``left`` seconds; unchanged without a max-age (no-cache, no-store keep nothing)."""
    control = parse_cache_control_header(cache_control, cls=ResponseCacheControl)
    if control.max_age is None:
        return cache_control
    max_age = min(control.max_age, left)
    stale = min(control.stale_while_revalidate or 0, left - max_age)
    if (max_age, stale) == (control.max_age, control.stale_while_revalidate or 0):
        return cache_control
    control.max_age = max_age
    control.stale_while_revalidate = stale or None
    return control.to_header()
