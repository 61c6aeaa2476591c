"""The site's clock: the one source of "now" for what depends on the instant (the workshop's phase).

Read through this module (``clock.now()``), so that tests can freeze it in one place.
"""

from __future__ import annotations

import datetime as dt


def now() -> dt.datetime:
    """The current instant, in UTC."""
    return dt.datetime.now(dt.UTC)
