"""Default settings: an embedded, service-free set-up that bigger deployments override.

Every setting can be overridden from the environment with a ``WORKSHOP_``
prefix (``WORKSHOP_CACHE_TYPE=RedisCache``, ``WORKSHOP_CACHE_REDIS_URL=...``,
``WORKSHOP_DATA_DIR=/srv/data``); values are parsed as JSON when they can be.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The example edition that uses every feature: the field reference's examples, and the tests' second data folder.
EXAMPLE_DATA = PROJECT_ROOT / "docs" / "example-data"
EXAMPLE_EDITION = "example"
# The settings that name a folder or file. A relative value means relative to the working
# directory the app was started in (as for any command line tool), and is made absolute
# once at start (resolve_paths): Flask would otherwise resolve it against the package.
PATH_SETTINGS = ("DATA_DIR",)


def resolve_paths(config: MutableMapping[str, Any]) -> None:
    """Make every path setting absolute, against the current working directory.

    Symbolic links are kept, not resolved: a deployment that switches a ``data`` link to a new
    release is followed by the live reload.
    """
    for name in PATH_SETTINGS:
        config[name] = str(Path(config[name]).absolute())


# The site's address when neither the configuration nor editions.yaml gives one: where `make run` serves.
LOCAL_SITE_URL = "http://127.0.0.1:8000"


class DefaultConfig:
    # Where the organizers' YAML files live (one folder per edition); a relative path is
    # relative to the working directory the site (or `python -m workshop export`) starts in.
    DATA_DIR = str(PROJECT_ROOT / "data")

    # Follow edits of the data files without a restart (each process polls them).
    CONTENT_RELOAD = True
    CONTENT_POLL_INTERVAL = 0.5

    # Replay finished responses from memory for unchanged content (workshop/fastpath.py).
    FAST_PATH = True
    # Under gunicorn's asgi worker (workshop/asgi.py): threads per process for the requests
    # the fast path does not answer (a first request per URL and content version, errors, ...).
    ASGI_FLASK_THREADS = 8

    # flask-caching: an in-process cache unless configured otherwise.
    CACHE_TYPE = "SimpleCache"
    CACHE_DEFAULT_TIMEOUT = 3600
    # An in-process cache holds one content version (documents._keep_one_version): room for every
    # document of a large edition (four per paper), where flask-caching's default 500 would evict.
    CACHE_THRESHOLD = 50_000
    CACHE_KEY_PREFIX = "workshop:"

    # Cache-Control for pages and API documents: short freshness, so organizers'
    # edits reach visitors quickly, and revalidation is a cheap 304.
    HTTP_MAX_AGE = 60
    HTTP_STALE_WHILE_REVALIDATE = 300

    # Static files: revalidated with their ETag rather than cached blindly.
    SEND_FILE_MAX_AGE_DEFAULT = 3600

    # The public address of the site, scheme and host (and path, when it is not served at
    # the root of its domain): calendar files' links, the page's canonical link, OpenGraph
    # and JSON-LD are built on it (never on the request, as pages are cached). It is a fact
    # of the data, editions.yaml's site_url; set this (WORKSHOP_SITE_URL) only to override it
    # for one deployment (a staging copy). None: editions.yaml's, else LOCAL_SITE_URL.
    SITE_URL = None
    # The domain in every calendar event's UID (<edition>-date-submission-deadline@<domain>);
    # None: the site's host (workshop/seo.py, calendar_uid_domain). Calendars recognize an event
    # by its UID: never change it once calendars subscribed, even when the site moves.
    CALENDAR_UID_DOMAIN = None

    # The license of the content the API serves (an SPDX identifier), in openapi.json's info.license:
    # the organizers' choice. CC-BY-4.0 lets other sites reuse the documents with attribution.
    CONTENT_LICENSE = "CC-BY-4.0"

    # Behind a TLS-terminating proxy: how many proxies in front of the app set
    # X-Forwarded-For/-Proto/-Host/-Port (werkzeug's ProxyFix). 0, the default, believes
    # no such header, so no client can claim HTTPS (and HSTS) or another host.
    PROXY_FIX = 0

    # Errors never carry stack traces to clients.
    PROPAGATE_EXCEPTIONS = False
