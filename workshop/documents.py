"""Everything the site serves, prepared once per content version.

A document is the exact bytes of a response with their strong ETag. Documents
are built on first use and kept in the app's cache under the content version
(and what else they depend on: workshop/documentcache.py), so a request for
unchanged content costs a cache lookup, never a render.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rcssmin
from flask import current_app, render_template, url_for
from flask_caching import Cache
from flask_caching.backends import SimpleCache
from werkzeug.exceptions import NotFound

from workshop import clock, names, pagesections, seo, socialcard, theme
from workshop.content import Problem, section_key
from workshop.documentcache import document_key
from workshop.envelopes import API_RESOURCES, API_VERSION, envelope_schema, status_schema
from workshop.model import Content, Edition
from workshop.paperschemas import Paper
from workshop.phases import Moment
from workshop.schemas import SERVED_SCHEMAS
from workshop.store import ContentStatus

logger = logging.getLogger(__name__)

# The first line of a document as the cache stores it (Document.to_bytes); then its metadata, then its body.
STORED_DOCUMENT = b"workshop-document/1\n"


def etag_of(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:32]


@dataclass(frozen=True)
class Document:
    body: bytes
    mimetype: str
    etag: str
    # The same content in other formats, as (URL, media type): the page and its JSON twin.
    alternates: tuple[tuple[str, str], ...] = ()
    last_modified: dt.datetime | None = None
    # When the document stops being right (the workshop's next moment: workshop/phases.py); None: never.
    valid_until: dt.datetime | None = None

    @classmethod
    def of(
        cls,
        body: bytes,
        mimetype: str,
        *,
        alternates: tuple[tuple[str, str], ...] = (),
        valid_until: dt.datetime | None = None,
    ) -> Document:
        return cls(body=body, mimetype=mimetype, etag=etag_of(body), alternates=alternates, valid_until=valid_until)

    def to_bytes(self) -> bytes:
        """The document as the cache stores it: a format line, its metadata as one line of JSON, its body."""
        instants = {name: _iso(getattr(self, name)) for name in ("last_modified", "valid_until")}
        metadata = {"mimetype": self.mimetype, "etag": self.etag, "alternates": self.alternates}
        return STORED_DOCUMENT + encode_json({**metadata, **instants}) + b"\n" + self.body

    @classmethod
    def from_bytes(cls, stored: bytes) -> Document:
        """A document stored by ``to_bytes``; ValueError when ``stored`` is anything else, or not intact."""
        if not stored.startswith(STORED_DOCUMENT):
            raise ValueError("not a stored document")
        line, end, body = stored[len(STORED_DOCUMENT) :].partition(b"\n")
        if not end:
            raise ValueError("no end to the metadata")
        try:
            metadata = json.loads(line)
        except RecursionError as error:
            raise ValueError("metadata nested too deeply") from error
        match metadata:
            case {
                "mimetype": str(mimetype),
                "etag": str(etag),
                "alternates": list(alternates),
                "last_modified": str() | None as last_modified,
                "valid_until": str() | None as valid_until,
            } if all(isinstance(link, list) and [type(part) for part in link] == [str, str] for link in alternates):
                pass
            case _:
                raise ValueError("metadata of another shape")
        if etag != etag_of(body):
            raise ValueError("the body does not match its ETag")
        return cls(
            body=body,
            mimetype=mimetype,
            etag=etag,
            alternates=tuple((url, kind) for url, kind in alternates),
            last_modified=dt.datetime.fromisoformat(last_modified) if last_modified is not None else None,
            valid_until=dt.datetime.fromisoformat(valid_until) if valid_until is not None else None,
        )


def _iso(instant: dt.datetime | None) -> str | None:
    return instant.isoformat() if instant is not None else None


def encode_json(payload: Any) -> bytes:
    # Compact, UTF-8, keys in schema order: equal content gives equal bytes.
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _cache() -> Cache:
    return current_app.extensions["workshop.cache"]


def _keep_one_version(version: str) -> None:
    """An in-process cache keeps the documents of one content version: the first document
    stored for a new version drops the others, instead of keeping them until they expire
    (CACHE_DEFAULT_TIMEOUT) in every process. A shared cache (Redis) is left alone: other
    processes may still serve the old version, and its entries expire on their own."""
    if current_app.extensions.get("workshop.cached_version") == version:
        return
    backend = _cache().cache
    if isinstance(backend, SimpleCache):
        backend.clear()
    current_app.extensions["workshop.cached_version"] = version


def cached_document(content: Content, key: str, build: Callable[[], Document]) -> Document:
    """The document named ``key`` for this content version, built at most once per cache.

    The cache only saves work: when it fails (a shared Redis gone away), the document
    is built here and served all the same, and a warning is logged at most once a
    minute per process (the time of the last one is kept in ``app.extensions``). A
    stored value that is not an intact document is ignored (with a warning) and replaced.
    """
    cache_key = document_key(current_app, content.version, key)

    def cache_failed(action: str, error: Exception) -> None:
        now, last = time.monotonic(), current_app.extensions.get("workshop.cache_warned_at")
        if last is None or now - last >= 60:
            current_app.extensions["workshop.cache_warned_at"] = now
            logger.warning(
                "The cache failed to %s a document (%s: %s); serving documents built without it.",
                action,
                type(error).__name__,
                error,
            )

    document = None
    try:
        stored = _cache().get(cache_key)
    except Exception as error:  # never fail a request for the cache
        cache_failed("get", error)
        stored = None
    if stored is not None:
        try:
            document = Document.from_bytes(stored)
        except ValueError as error:
            logger.warning("Ignored the value cached under %r (%s); building the document again.", cache_key, error)
    if document is None:
        document = dataclasses.replace(build(), last_modified=content.modified_at)
        try:
            _keep_one_version(content.version)
            _cache().set(cache_key, document.to_bytes())
        except Exception as error:
            cache_failed("store", error)
    return document


def find_edition(content: Content, name: str) -> Edition:
    try:
        return content.editions[name]
    except KeyError:
        raise NotFound(f"No edition {name!r}. Editions: {', '.join(content.editions)}.") from None


def resource_url(edition: str, resource: str) -> str:
    return url_for("api.edition_resource", edition=edition, resource=resource)


def page_url(edition: str, anchor: str | None = None) -> str:
    return url_for("pages.edition_page", edition=edition, _anchor=anchor)


def paper_url(edition: str, paper_id: str) -> str:
    """The page of one paper, ``/<edition>/papers/<id>/`` (its PDF is ``/<edition>/papers/<id>.pdf``)."""
    return url_for("pages.paper_page", edition=edition, paper_id=paper_id)


# --- What the site serves: pure builders, registered once with their key, type and cache policy ---

Payload = bytes | str | Mapping[str, Any] | list[Any]
Alternates = tuple[tuple[str, str], ...]


def _encoded(payload: Payload) -> bytes:
    if isinstance(payload, bytes):
        return payload
    if isinstance(payload, str):
        return payload.encode("utf-8")
    return encode_json(payload)


@dataclass(frozen=True)
class Served:
    """One kind of document the site serves: ``build(content, edition, **arguments)`` makes its payload
    (JSON-ready data, text or bytes) from what it is handed and nothing else.

    ``key`` names it in the document cache (with the edition and the arguments); ``fresh_for``
    and ``replayable`` are its cache policy (:func:`workshop.httpresponses.respond`); ``cached=False``
    builds it on every request (a document that changes without a new content version).
    ``timed`` (for these arguments) says it shows the workshop's moment (workshop/phases.py):
    ``build`` then also receives ``moment``, and the document is valid until the moment changes
    (its cache key names the moment, so it is built again, lazily, in each process, after that).
    """

    key: str
    media_type: str
    build: Callable[..., Payload]
    alternates: Callable[..., Alternates] | None = None
    fresh_for: int | None = None
    replayable: bool = True
    cached: bool = True
    timed: bool | Callable[..., bool] = False

    def document(self, content: Content, edition: Edition | None = None, **arguments: str) -> Document:
        timed = self.timed(**arguments) if callable(self.timed) else self.timed
        moment = edition.moment(clock.now()) if timed and edition is not None else None
        extra = {} if moment is None else {"moment": moment}

        def make() -> Document:
            links = self.alternates(content, edition, **arguments) if self.alternates else ()
            payload = _encoded(self.build(content, edition, **arguments, **extra))
            return Document.of(
                payload, self.media_type, alternates=links, valid_until=moment.changes_at if moment else None
            )

        if not self.cached:
            return make()
        name = "/".join([self.key, *([edition.name] if edition is not None else []), *arguments.values()])
        return cached_document(content, name if moment is None else f"{name}@{moment.key}", make)


# Parts of the program that show on the page only when they have items: their items, and where to point
# instead (whole sections shown only with content are workshop/pagesections.py's: not shown, the top of the page).
_LIST_SECTIONS: dict[str, tuple[Callable[[Edition], Sequence[Any]], str | None]] = {
    "speakers": (lambda edition: edition.speakers, "program"),
    "papers": (lambda edition: edition.papers, "program"),
}


# Resources the page shows inside another one's section (the default: a section of its own name).
_SHOWN_IN = {"topics": "rationale", "speakers": "program", "papers": "program"}


def _page_anchor(edition: Edition, resource: str) -> str | None:
    """The anchor of a resource's section on the page (None: the top of the page)."""
    if resource == pagesections.CUSTOM_RESOURCE:
        return edition.custom_sections[0].id if edition.custom_sections else None
    if resource == "site" or _SHOWN_IN.get(resource, resource) not in edition.shown_sections:
        return None
    if resource == "speakers" and not any(speaker.role == "invited-speaker" for speaker in edition.speakers):
        # No "Invited Speakers" heading (#speakers) without invited speakers: point at the panelists.
        return "panelists" if edition.speakers else "program"
    if resource in _LIST_SECTIONS:
        items, fallback = _LIST_SECTIONS[resource]
        return resource if items(edition) else fallback
    return resource


def served_paper(edition: Edition, paper: Paper) -> dict[str, Any]:
    """A paper as the API serves it (PaperSchema dumps it): its fields, and its page's URL."""
    fields = {field.name: getattr(paper, field.name) for field in dataclasses.fields(paper)}
    return {**fields, "html_url": paper_url(edition.name, paper.id)}


def _served_section(edition: Edition, resource: str) -> Any:
    """A section as the API serves it (its schema dumps it): each paper with its page's URL, and the
    sections the page shows, in order, as site's ``sections``."""
    if resource == "site":
        return dataclasses.replace(edition.site, sections=edition.shown_sections)
    if resource != "papers":
        return edition.sections[resource]
    return {"papers": [served_paper(edition, paper) for paper in edition.papers]}


def check_resource(resource: str) -> str:
    if resource not in API_RESOURCES:
        raise NotFound(f"No resource {resource!r}. Resources: {', '.join(API_RESOURCES)}.")
    return resource


def resource_payload(content: Content, edition: Edition, resource: str, moment: Moment | None = None) -> dict[str, Any]:
    check_resource(resource)
    phase = {}
    if resource == "site":
        data: Any = {section_key(name): _served_section(edition, name) for name in SERVED_SCHEMAS}
        now = moment or edition.moment(clock.now())
        window = {"since": now.phase.starts_at, "until": now.phase.ends_at}
        phase = {"phase": {"name": now.phase.name, **window, "fixed": edition.site.phase is not None}}
    else:
        data = _served_section(edition, resource)
    # Dumped through the schema the OpenAPI document shows: one description of the envelope.
    return envelope_schema(content, resource)().dump(
        {
            "api_version": API_VERSION,
            "content_version": content.version,
            "edition": edition.name,
            "resource": resource,
            "url": resource_url(edition.name, resource),
            "html_url": page_url(edition.name, _page_anchor(edition, resource)),
            "data": data,
            **phase,
        }
    )


# The builders are looked up when called (not bound here), so a test can replace one in this module.
RESOURCE = Served(
    "api",
    "application/json",
    lambda content, edition, resource, **moment: resource_payload(content, edition, resource, **moment),  # noqa: PLW0108
    alternates=lambda content, edition, resource: (
        (page_url(edition.name, _page_anchor(edition, resource)), "text/html"),
    ),
    timed=lambda resource: resource == "site",
)


def page_html(content: Content, edition: Edition, moment: Moment) -> str:
    return render_template(
        "page.html",
        content=content,
        edition=edition,
        moment=moment,
        sections={section_key(resource): edition.sections[resource] for resource in SERVED_SCHEMAS},
        by_id=edition.by_id,
        schedule=edition.schedule,
        json_url=resource_url(edition.name, "site"),
        dates_url=resource_url(edition.name, "dates"),
        paper_url=paper_url,
        presenters=names.presenters,
        meta=seo.page_meta(edition, page_url(edition.name)),
    )


PAGE = Served(
    "page",
    "text/html",
    lambda content, edition, moment: page_html(content, edition, moment),  # noqa: PLW0108
    alternates=lambda content, edition: ((resource_url(edition.name, "site"), "application/json"),),
    timed=True,
)
# The edition's picture for link previews (og:image), drawn from its content.
SOCIAL_CARD = Served(
    "social-card", socialcard.MIMETYPE, lambda content, edition: socialcard.render(seo.card_text(edition))
)
# The edition's colours (site.yaml's theme) as CSS custom properties, for static/css/site.css.
THEME_CSS = Served("theme-css", "text/css", lambda content, edition: theme.stylesheet(edition.site.theme))
# The site's stylesheet, under static/.
SITE_CSS = "css/site.css"


def edition_stylesheet(edition: Edition) -> str:
    """The one stylesheet a page links: the edition's theme, then the site's stylesheet that uses it.

    One file, so nothing but it blocks the first rendering of the page (its URL names its hash:
    workshop/pages.py). The document cache's key names the static files, as it names the templates.
    """
    site_css = (Path(current_app.static_folder or "") / SITE_CSS).read_text(encoding="utf-8")
    # Sent without comments and spaces (a quarter of the page's weight in CSS); the source stays readable.
    return rcssmin.cssmin(theme.stylesheet(edition.site.theme) + site_css)


STYLESHEET = Served("stylesheet", "text/css", lambda content, edition: edition_stylesheet(edition))
ROBOTS_TXT = Served("robots.txt", "text/plain", lambda content, edition: seo.ROBOTS_TXT)


def status_payload(status: ContentStatus) -> dict[str, Any]:
    problems = [_data_problem(problem) for problem in status.problems]
    # Dumped through the schema the OpenAPI document shows: one description of the status.
    return status_schema(status.content)().dump(
        {
            "api_version": API_VERSION,
            "content_version": status.content.version,
            "current_edition": status.content.current,
            "state": "stale" if status.stale else "current",
            "stale": status.stale,
            "detail": (
                f"The data files have {len(problems)} problem(s); the site serves the last good content."
                if status.stale
                else "The site serves the content of the data files."
            ),
            "loaded_at": status.loaded_at,
            "stale_since": status.stale_since,
            "problems": problems,
            "warnings": [_data_problem(warning) for warning in status.content.warnings],
        }
    )


def _data_problem(problem: Problem) -> dict[str, Any]:
    return {"file": problem.path, "line": problem.line, "field": problem.field or None, "message": problem.message}


def status_document(status: ContentStatus) -> Document:
    """Built per request: it is small, changes without a new content version, and is rarely asked for."""
    return Document.of(encode_json(status_payload(status)), "application/json")
