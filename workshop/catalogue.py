"""Every URL of the API, declared once: its path, endpoint, document, title, description and parameters.

:func:`all_routes` is the one list (the entries are declared beside what they serve:
workshop/apiroutes.py, apiindex.py, openapi.py). The API blueprint registers its routes from it
(:func:`register`), the OpenAPI document and the ``/api/`` page describe its
:func:`api_endpoints`, ``/api/v1/index.json`` lists them (workshop/apiindex.py),
and the static export and ``check`` request every URL it yields (:func:`api_urls`).

A document of an edition is served twice: for the current edition under
``/api/v1/<path>`` (endpoint ``api.current_<key>``) and for any edition under
``/api/v1/editions/<edition>/<path>`` (``api.edition_<key>``); one :class:`Route`
declares both. The editions and item ids of the content are examples and export
values, never enums: they grow with the data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any, Literal

from flask import Blueprint, Response
from marshmallow import Schema

from workshop.documents import Served
from workshop.httpresponses import serve
from workshop.model import Content, Edition
from workshop.routing import current_edition

JSON = "application/json"
API_PREFIX = "/api/v1"
HTML_DOCS_PATH = "/api/"
# What a document is about, for index.json: the API itself (index, status, this document), the
# current edition (/api/v1/<name>), or the edition in its path (/api/v1/editions/{edition}/<name>).
Scope = Literal["api", "current", "edition"]
# A response schema: a JSON Schema as it is, or a marshmallow schema that the OpenAPI
# document registers among its components (under its name without "Schema") and refers to.
SchemaSpec = Mapping[str, Any] | type[Schema]
# The values of a URL argument, for an edition: every one answers 200 (the export requests each).
Values = Callable[[Edition], Sequence[str]]


def _is_json(media_type: str) -> bool:
    # application/feed+json is JSON too (a structured syntax suffix, RFC 6839).
    return media_type == JSON or media_type.endswith("+json")


@dataclass(frozen=True)
class Parameter:
    """A path parameter: any id (a slug), with values that answer 200 today as examples (none: no value does yet).

    The values are examples, not an enum: they grow with the data, and a client must not refuse new ones.
    """

    name: str
    description: str
    examples: tuple[str, ...]
    example: str | None = None


@dataclass(frozen=True)
class Example:
    """A real document: ``key`` names it among the components, as several paths serve the same one."""

    key: str
    name: str
    summary: str
    # Built only when the OpenAPI document is written: the /api/ page never needs it.
    build: Callable[[], Any]

    @cached_property
    def value(self) -> Any:
        return self.build()


@dataclass(frozen=True)
class Endpoint:
    """One documented GET operation, as the OpenAPI document, the /api/ page and index.json show it."""

    route: str  # the Flask endpoint, e.g. "api.edition_resource"
    path: str  # the OpenAPI path, e.g. /api/v1/editions/{edition}/topics.json
    scope: Scope
    operation_id: str
    tag: str
    summary: str
    description: str
    media_type: str
    schema: SchemaSpec
    parameters: tuple[Parameter, ...] = ()
    examples: tuple[Example, ...] = ()
    # Whether responses carry a Link header (to the same content as HTML) and Last-Modified.
    link: bool = False
    last_modified: bool = True

    @property
    def example_path(self) -> str:
        """A URL of this endpoint with every parameter filled in (kept as {name} when no value exists yet)."""
        path = self.path
        for parameter in self.parameters:
            value = parameter.example or (parameter.examples[0] if parameter.examples else None)
            if value is not None:
                path = path.replace(f"{{{parameter.name}}}", value)
        return path

    @property
    def schema_name(self) -> str | None:
        """The name of its schema among the OpenAPI document's components (None: an inline schema)."""
        return None if isinstance(self.schema, Mapping) else self.schema.__name__.removesuffix("Schema")

    @property
    def example_is_concrete(self) -> bool:
        return "{" not in self.example_path

    @property
    def is_json(self) -> bool:
        return _is_json(self.media_type)


@dataclass(frozen=True)
class Tag:
    name: str
    description: str


TAGS = (
    Tag("Discovery", "Where to start: the index of every document, the content's status, and this description."),
    Tag("Current edition", "Each resource of the current edition, at a URL that follows the current edition."),
    Tag("Any edition", "Each resource of any edition, at a URL that stays with that edition."),
    Tag(
        "Calendars",
        "iCalendar (RFC 5545) for calendar applications: a feed per edition, and one file per date or session.",
    ),
    Tag("Other formats", "The program as frab/c3voc schedule JSON and XML, and the announcements as a JSON Feed 1.1."),
    Tag(
        "Papers",
        "Each accepted paper as JSON, BibTeX and CSL-JSON, and all of an edition's papers as BibTeX and CSL-JSON.",
    ),
)


@dataclass(frozen=True)
class Described:
    """How one document of an edition is described: one entry for its current-edition and edition operations."""

    name: str  # in the operation ids: get<name> and getEdition<name>
    example: str  # an example's key after its edition's name, e.g. "schedule" for icml2023.schedule
    summary: str  # "{edition}" reads "the current edition" in one operation, "an edition" in the other
    description: str
    tag: str
    schema: Callable[[Content], SchemaSpec]  # the example of an edition is the route's document for it
    edition_tag: str | None = None  # the edition operation's tag, when it is not ``tag``
    # Appended to the current edition's description, given that edition's name.
    current_note: Callable[[str], str] | None = None
    path_values: Mapping[str, str] = field(default_factory=dict)  # the route's arguments it fixes
    link: bool = False


@dataclass(frozen=True)
class Route:
    """One URL of the API (two for a document of an edition: see the module's description).

    ``path`` follows /api/v1/ (and /editions/<edition>/ for an edition's); ``arguments`` gives the
    values of its other arguments for an edition (the export requests each); ``describe``
    documents it (:class:`Described` entries, or a function for anything else).
    """

    key: str
    path: str
    served: Served | None  # None: ``view`` answers (the status, built per request from the store)
    scope: Literal["api", "edition", "both"]
    described: tuple[Described, ...] = ()
    describe: Callable[[Content, Route], Iterator[Endpoint]] | None = None
    arguments: Mapping[str, Values] = field(default_factory=dict)
    view: Callable[..., Response] | None = None
    served_as: str = ""  # the media type, when ``served`` is None

    def __post_init__(self) -> None:
        # The export and the examples fill every argument of the path: each needs its values.
        unknown = [name for name in re.findall(r"<(?:[^:<>]+:)?([^<>]+)>", self.path) if name not in self.arguments]
        if self.served is None and self.view is None:
            raise ValueError(f"The API route {self.path} serves nothing: give it a Served document or a view.")
        if self.described and self.served is None:
            raise ValueError(f"The API route {self.path} is described with examples of a document it does not serve.")
        if not self.described and self.describe is None:
            raise ValueError(f"The API route {self.path} is described nowhere: give it a Described entry.")
        if unknown:
            raise ValueError(
                f"The API route {self.path} takes {', '.join(unknown)}: declare its values in the route's arguments."
            )

    @property
    def media_type(self) -> str:
        return self.served.media_type if self.served is not None else self.served_as

    def rules(self) -> Iterator[tuple[str, str]]:
        """(endpoint, Flask rule) of each URL, in documentation order."""
        if self.scope == "api":
            yield f"api.{self.key}", f"{API_PREFIX}/{self.path}"
            return
        if self.scope == "both":
            yield f"api.current_{self.key}", f"{API_PREFIX}/{self.path}"
        endpoint = f"api.edition_{self.key}" if self.scope == "both" else f"api.{self.key}"
        yield endpoint, f"{API_PREFIX}/editions/<edition:edition>/{self.path}"

    def endpoints(self, content: Content) -> Iterator[Endpoint]:
        if self.describe is not None:
            yield from self.describe(content, self)
            return
        for route, rule in self.rules():
            for described in self.described:
                yield _described_endpoint(content, self, route, rule, described)


def edition_parameter(content: Content, example: str | None = None) -> Parameter:
    return Parameter(
        "edition",
        "An edition: its folder name under data/ (index.json lists them).",
        tuple(content.editions),
        example or content.current,
    )


def openapi_path(rule: str, values: Mapping[str, str]) -> str:
    """/api/v1/editions/<edition:edition>/<resource>.json with resource=topics -> .../{edition}/topics.json."""

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        return values.get(name, f"{{{name}}}")

    return re.sub(r"<(?:[^:<>]+:)?(?P<name>[^<>]+)>", replace, rule)


def _described_endpoint(content: Content, declared: Route, route: str, rule: str, described: Described) -> Endpoint:
    scope: Scope = "api" if declared.scope == "api" else "edition" if "<edition" in rule else "current"
    if scope != "edition":
        # No {edition} in the path: the one example is the current edition's document.
        prefix, which, tag = "get", "the current edition", described.tag
        parameters, editions = (), [content.current_edition]
        note = described.current_note(content.current) if described.current_note else ""
    else:
        prefix, which, tag = "getEdition", "an edition", described.edition_tag or described.tag
        parameters, editions = (edition_parameter(content),), list(content.editions.values())
        note = ""
    return Endpoint(
        route=route,
        path=openapi_path(rule, described.path_values),
        scope=scope,
        operation_id=f"{prefix}{described.name}",
        tag=tag,
        summary=described.summary.format(edition=which),
        description=described.description + note,
        media_type=declared.media_type,
        schema=described.schema(content),
        parameters=parameters,
        examples=tuple(
            Example(
                f"{edition.name}.{described.example}",
                edition.name,
                edition.title,
                partial(document_example, content, declared, edition, described.path_values),
            )
            for edition in editions
        ),
        link=described.link,
    )


def document_example(content: Content, route: Route, edition: Edition, arguments: Mapping[str, str]) -> Any:
    """What the route serves for ``edition`` and ``arguments``, as an example: JSON parsed, text as a string.

    The served document itself (from the document cache when it was built already), so an example
    is never built a second way.
    """
    served = route.served
    assert served is not None  # a route that documents examples serves a document
    body = served.document(content, edition, **arguments).body
    return json.loads(body) if _is_json(route.media_type) else body.decode()


MAX_ITEM_EXAMPLES = 10


def item_endpoint(
    content: Content,
    route: Route,
    *,
    noun: str,
    listed_in: str,
    operation_id: str,
    tag: str,
    summary: str,
    description: str,
    schema: SchemaSpec,
    link: bool = False,
) -> Endpoint:
    """The one operation of a route with an item argument (a session's calendar file, a paper's BibTeX).

    One path for every edition: editions and ids are examples (they grow with the data), and the
    parameters' examples are the ids of one edition that has items (the current one when it has).
    """
    ((argument, values),) = route.arguments.items()
    suffix = route.path.rsplit(">", 1)[1]  # .ics, .bib, .csl.json
    ids = {name: tuple(values(edition)) for name, edition in content.editions.items()}
    shown = next((name for name in (content.current, *ids) if ids[name]), content.current)

    examples = tuple(
        Example(
            f"{name}.{noun}.{item_id}{suffix}",
            f"{name}/{item_id}",
            f"{item_id} ({name})",
            partial(document_example, content, route, content.editions[name], {argument: item_id}),
        )
        # A few show the shape; a program of a hundred sessions needs no hundred examples.
        for name, edition_ids in ids.items()
        for item_id in edition_ids[:MAX_ITEM_EXAMPLES]
    )
    note = "" if examples else f" No {noun} is published yet: every id answers 404 until one is."
    ((endpoint, rule),) = route.rules()
    return Endpoint(
        route=endpoint,
        path=openapi_path(rule, {}),
        scope="edition",
        operation_id=operation_id,
        tag=tag,
        summary=summary,
        description=f"{description} An id that is not a {noun} of the edition answers 404.{note}",
        media_type=route.media_type,
        schema=schema,
        parameters=(
            edition_parameter(content, shown),
            Parameter(argument, f"Id of a {noun} of the edition: {listed_in}.", ids[shown][:MAX_ITEM_EXAMPLES]),
        ),
        examples=examples,
        link=link,
    )


def all_routes() -> tuple[Route, ...]:
    """Every route of the API, in the order the documentation lists them."""
    # Declared beside what they build, which describes these routes in turn: imported when asked for.
    from workshop import apiindex, apiroutes, openapi, paperroutes

    return (*apiindex.ROUTES, *openapi.ROUTES, *apiroutes.EDITION_ROUTES, *paperroutes.ROUTES)


def api_endpoints(content: Content) -> list[Endpoint]:
    """Every documented operation of the API, for ``content``, in documentation order."""
    return [endpoint for route in all_routes() for endpoint in route.endpoints(content)]


# --- Serving and exporting the routes ---------------------------------------------------------------


def _view(route: Route, current: bool) -> Callable[..., Response]:
    served = route.served

    def view(edition: Edition | None = None, **arguments: str) -> Response:
        assert served is not None  # Route checks it has a document or a view
        return serve(served, current_edition() if current else edition, **arguments)

    return view


def register(bp: Blueprint) -> None:
    """Add every route of :func:`all_routes` to the API blueprint (its url_prefix is /api/v1)."""
    for route in all_routes():
        for endpoint, rule in route.rules():
            view = route.view or _view(route, endpoint.startswith("api.current_"))
            bp.add_url_rule(rule.removeprefix(API_PREFIX), endpoint=endpoint.removeprefix("api."), view_func=view)


def _combinations(arguments: Mapping[str, Values], edition: Edition) -> Iterator[dict[str, str]]:
    combinations: list[dict[str, str]] = [{}]
    for name, values in arguments.items():
        combinations = [{**chosen, name: value} for chosen in combinations for value in values(edition)]
    yield from combinations


def api_urls(content: Content) -> Iterator[tuple[str, dict[str, str]]]:
    """(endpoint, values) of every document of the API: each route with every value of its arguments."""
    for route in all_routes():
        for endpoint, rule in route.rules():
            per_edition = "<edition:" in rule
            for edition in content.editions.values() if per_edition else [content.current_edition]:
                for values in _combinations(route.arguments, edition):
                    yield endpoint, {"edition": edition.name, **values} if per_edition else values
