"""The API described as OpenAPI 3.1, generated from the schemas that validate the data files.

One list of endpoints, :func:`api_endpoints`, is built from the API blueprint's
routes in ``app.url_map`` and the current content; both the OpenAPI document
(``/api/v1/openapi.json``, :func:`openapi_document`) and the human-readable
page (``/api/``, :mod:`workshop.apidocs`) are rendered from it, so neither can
describe an endpoint the other does not.

The response schemas are apispec's conversion (its marshmallow plugin, as for
the editors' JSON Schemas in :mod:`workshop.jsonschema`) of:

- the marshmallow schemas of :mod:`workshop.schemas`, which validate the data
  files and dump the API's ``data``, converted for the output side
  (:class:`ApiConverter`): ``Markdown`` is ``{markdown, html}``, ``dump_only``
  fields are ``readOnly``, every field is present in every response;
- the envelope and the documents the API builds around them (index, status,
  frab schedule, JSON Feed, problem), written below as marshmallow schemas too,
  each field with its description.

The examples are the real documents of the content being served, so the
document is built once per content version (:func:`openapi`, through
:func:`workshop.documents.prepared`). The editions and item ids of that content
are examples, never enums: they grow with the data, and a client generated from
today's document must accept tomorrow's editions, dates and sessions.

The same list of endpoints is the API's index (``/api/v1/index.json``,
:func:`index_payload`): every document served, with its URL and media type.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any, ClassVar, Literal

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin, OpenAPIConverter
from flask import current_app, url_for
from marshmallow import Schema, fields, validate
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed, NotAcceptable, NotFound
from werkzeug.routing import Rule

from workshop import calendar, frab, newsfeed
from workshop.content import Content, Edition, section_key
from workshop.documents import (
    API_RESOURCES,
    API_VERSION,
    Served,
    page_url,
    resource_payload,
    resource_url,
    status_payload,
)
from workshop.jsonschema import DataFileConverter
from workshop.schemas import RESOURCE_SCHEMAS, SLUG_PATTERN, Markdown
from workshop.store import ContentStatus

OPENAPI_VERSION = "3.1.0"
JSON = "application/json"
PROBLEM_JSON = "application/problem+json"
API_ENDPOINT_PREFIX = "api."
CONTENT_VERSION_PATTERN = r"^[0-9a-f]{16}$"
# A strong ETag: the content hash, with "-gzip" when the body was sent compressed.
ETAG_PATTERN = r'^"[0-9a-f]{32}(-gzip)?"$'
HTTP_DATE_PATTERN = r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$"
HTML_DOCS_PATH = "/api/"

# What each resource is, for its summary and description (the schema fields say the rest).
RESOURCE_TITLES: Mapping[str, str] = {
    "site": "Whole edition",
    "announcements": "Announcements",
    "topics": "Topics",
    "program": "Program",
    "speakers": "Speakers and panelists",
    "papers": "Accepted contributions",
    "call-for-abstracts": "Call for abstracts",
    "logistics": "Logistics and FAQs",
    "dates": "Important dates",
    "posters": "Poster instructions",
    "committee": "Organizing committee",
}
RESOURCE_DESCRIPTIONS: Mapping[str, str] = {
    "site": "Every section of the edition in one document: `data` holds each resource's `data` under its name "
    "(`call-for-abstracts` as `call_for_abstracts`).",
    "announcements": "News for visitors, newest first. May be empty.",
    "topics": "The open problems the workshop is about, in order, with the sentences around them.",
    "program": "The schedule: 'to-be-announced' with a note, or 'published' with every session "
    "(venue times, and instants with offsets).",
    "speakers": "Invited speakers and panelists, in the order shown, with photo URLs or initials.",
    "papers": "Accepted contributions with their authors and how each is presented. May be empty.",
    "call-for-abstracts": "Who may submit what, the submission format, the review and where to submit.",
    "logistics": "How the event runs (in person, online), registration, contact, stream links and FAQs.",
    "dates": "Important dates: deadlines, announcements and events, with the instants each covers "
    "and the earlier values of a moved date.",
    "posters": "Poster sizes and printing advice.",
    "committee": "The organizing committee, co-chairs first as shown.",
}


# --- Converting marshmallow schemas for the output side --------------------------------


RICH_TEXT = "RichText"


class ApiConverter(OpenAPIConverter):
    """apispec's converter for what the API serves; :class:`~workshop.jsonschema.DataFileConverter` is
    the same conversion for what a data file holds, and lends this one its mappings for URLs and ranges."""

    # fields.Url as "uri" (the data files' mapping); Markdown is no string here, but {markdown, html}.
    field_mapping: ClassVar[dict[type, tuple[str | None, str | None]]] = {
        **DataFileConverter.field_mapping,
        Markdown: (None, None),
    }
    url2properties = DataFileConverter.url2properties
    exclusive2properties = DataFileConverter.exclusive2properties

    def init_attribute_functions(self) -> None:
        super().init_attribute_functions()
        # A default is what a data file may leave out; in a response every field is there.
        self.attribute_functions.remove(self.field2default)
        # Before field2nullable, which turns a $ref of a nullable field into anyOf [$ref, null].
        at = self.attribute_functions.index(self.field2nullable)
        self.attribute_functions[at:at] = [
            self.markdown2properties,
            self.time2properties,
            self.url2properties,
            self.exclusive2properties,
        ]

    def markdown2properties(self, field: fields.Field, ret: dict[str, Any]) -> dict[str, Any]:
        # Markdown in a file, {"markdown": ..., "html": ...} in the API.
        if isinstance(field, Markdown):
            return self.spec.components.get_ref("schema", RICH_TEXT)
        return {}

    def time2properties(self, field: fields.Field, ret: dict[str, Any]) -> dict[str, Any]:
        # A venue time of day without an offset (ISO 8601 "09:00:00"): no JSON Schema format says that.
        if isinstance(field, fields.Time):
            return {"pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"}
        return {}

    def fields2jsonschema(self, field_map: Mapping[str, fields.Field], *, partial: Any = None) -> dict[str, Any]:
        document = super().fields2jsonschema(field_map, partial=partial)
        # Loading fills every optional field (null or its default) and derives the dump_only ones,
        # so every field is in every response: clients need not test for presence.
        document["required"] = list(document["properties"])
        return document

    def schema2jsonschema(self, schema: Any) -> dict[str, Any]:
        document = super().schema2jsonschema(schema)
        # Data files refuse unknown fields; API clients must ignore them (v1 may add fields).
        document.pop("additionalProperties", None)
        return document


class ApiPlugin(MarshmallowPlugin):
    Converter = ApiConverter


def _described(description: str, **kwargs: Any) -> dict[str, Any]:
    kwargs.setdefault("required", True)
    kwargs.setdefault("metadata", {})["description"] = description
    return kwargs


def _text(description: str, **kwargs: Any) -> fields.String:
    return fields.String(**_described(description, **kwargs))


def _site_path(description: str, **kwargs: Any) -> fields.String:
    """A URL on this site, relative to its root (``/api/v1/...``, ``/icml2023/#dates``)."""
    kwargs = _described(description, **kwargs)
    kwargs["metadata"]["format"] = "uri-reference"
    return fields.String(validate=validate.Regexp(r"^/"), **kwargs)


def _absolute_url(description: str, **kwargs: Any) -> fields.Url:
    return fields.Url(**_described(description, **kwargs))


# --- Documents the API builds around the data ------------------------------------------


class ProblemSchema(Schema):
    """An error, as RFC 9457 problem details (``application/problem+json``)."""

    type = _text("Always 'about:blank': the status code says what happened.", metadata={"format": "uri-reference"})
    title = _text("The status code's name, e.g. 'Not Found'.")
    status = fields.Integer(validate=validate.Range(min=400, max=599), **_described("The HTTP status code."))
    detail = _text("What went wrong with this request, for a person (e.g. which editions exist).")


class DataProblemSchema(Schema):
    file = _text("The data file or folder, relative to the data folder, e.g. icml2023/dates.yaml ('.': the folder).")
    line = fields.Integer(allow_none=True, **_described("Line in the file, when YAML tells it."))
    field = fields.String(allow_none=True, **_described("Path of the field, e.g. items[0].at; null for the file."))
    message = _text("What is wrong, and how to write it instead.")


def _edition_id(content: Content, description: str) -> fields.String:
    """An edition's id: any folder name (the editions of ``content`` are examples, never a closed list)."""
    return _text(
        description,
        validate=validate.Regexp(SLUG_PATTERN.pattern),
        metadata={"examples": list(content.editions)},
    )


def status_schema(content: Content) -> type[Schema]:
    return Schema.from_dict(
        {
            "api_version": _text("Version of the API.", validate=validate.OneOf([API_VERSION])),
            "content_version": _text(
                "Version of the content served now.", validate=validate.Regexp(CONTENT_VERSION_PATTERN)
            ),
            "current_edition": _edition_id(content, "The edition served at / and /api/v1/."),
            "state": _text(
                "'current': the site serves what the data files say; 'stale': an edit is invalid, "
                "and the site keeps serving the last good content.",
                validate=validate.OneOf(["current", "stale"]),
            ),
            "stale": fields.Boolean(**_described("true when state is 'stale'.")),
            "detail": _text("The state in a sentence."),
            "loaded_at": fields.AwareDateTime(**_described("When the served content was loaded (ISO 8601).")),
            "stale_since": fields.AwareDateTime(
                allow_none=True, **_described("Since when the files have been invalid; null when current.")
            ),
            "problems": fields.List(
                fields.Nested(DataProblemSchema),
                **_described("Every problem of the data files, one per mistake; empty when current."),
            ),
        },
        name="StatusSchema",
    )


def _resource_urls_schema() -> type[Schema]:
    return Schema.from_dict(
        {resource: _site_path(f"URL of the {resource} document.") for resource in API_RESOURCES},
        name="ResourceUrlsSchema",
    )


MEDIA_TYPE_PATTERN = r"^[a-z]+/[a-z0-9.+-]+$"


def _media_type() -> fields.String:
    return _text(
        "The media type it is served with (its Content-Type without parameters), "
        "e.g. application/json or text/calendar.",
        validate=validate.Regexp(MEDIA_TYPE_PATTERN),
    )


class ListedDocumentSchema(Schema):
    """A document of the API, as index.json lists it."""

    name = _text(
        "Its name: the URL after /api/v1/ or /api/v1/editions/<edition>/, e.g. topics.json, dates.ics, "
        "schedule.json. The same name in every edition."
    )
    url = _site_path("Its URL.")
    media_type = _media_type()
    summary = _text("What it is, in a line.")


class ListedTemplateSchema(Schema):
    """Documents of the API with one URL per item, as index.json lists them."""

    name = _text("Its name: the template after /api/v1/editions/<edition>/, e.g. dates/{item_id}.ics.")
    url_template = _text(
        "A URI template (RFC 6570, level 1) on this site: replace each {variable} to get a document's URL."
    )
    variables = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        **_described("What each {variable} of the template is, and where its values are listed."),
    )
    media_type = _media_type()
    summary = _text("What each document is, in a line.")


def index_schema(content: Content) -> type[Schema]:
    urls = _resource_urls_schema()
    edition_entry = Schema.from_dict(
        {
            "id": _edition_id(content, "The edition's id: its folder name, used in URLs."),
            "title": _text("The workshop's title and its venue, e.g. 'Machine Learning for Astrophysics (ICML 2023)'."),
            "current": fields.Boolean(**_described("Whether this is the current edition.")),
            "html_url": _site_path("The edition's page."),
            "resources": fields.Nested(urls, **_described("URL of each resource of this edition.")),
            "documents": fields.List(
                fields.Nested(ListedDocumentSchema),
                **_described(
                    "Every document served for this edition, under /api/v1/editions/<edition>/: each resource, "
                    "the calendar feed, the schedule and the news feed, with its media type."
                ),
            ),
            "url_templates": fields.List(
                fields.Nested(ListedTemplateSchema),
                **_described("The documents served per item of this edition (a calendar file per date or session)."),
            ),
        },
        name="IndexEditionSchema",
    )
    return Schema.from_dict(
        {
            "api_version": _text("Version of the API.", validate=validate.OneOf([API_VERSION])),
            "content_version": _text(
                "Version of the content: changes whenever the data files do.",
                validate=validate.Regexp(CONTENT_VERSION_PATTERN),
            ),
            "current_edition": _edition_id(content, "The edition served at / and /api/v1/."),
            "editions": fields.List(
                fields.Nested(edition_entry), **_described("Every edition, in the order of their folder names.")
            ),
            "current_resources": fields.Nested(
                urls, **_described("URL of each resource of the current edition (/api/v1/<resource>.json).")
            ),
            "documents": fields.List(
                fields.Nested(ListedDocumentSchema),
                **_described("The documents about the API itself: this index, the content's status, openapi.json."),
            ),
            "current_documents": fields.List(
                fields.Nested(ListedDocumentSchema),
                **_described(
                    "Every document of the current edition at a URL that follows the current edition "
                    "(/api/v1/<name>): the same names as the edition's documents."
                ),
            ),
        },
        name="IndexSchema",
    )


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[-_]", name))


def sections_schema() -> type[Schema]:
    """The ``data`` of site.json: every section under its key."""
    return Schema.from_dict(
        {
            section_key(resource): fields.Nested(
                schema,
                **_described(f"The {resource} section: the data of /api/v1/{resource}.json."),
            )
            for resource, schema in RESOURCE_SCHEMAS.items()
        },
        name="EditionSectionsSchema",
    )


def envelope_schema(content: Content, resource: str) -> type[Schema]:
    """The document of one resource: the envelope, with the resource's schema as ``data``."""
    data_schema = sections_schema() if resource == "site" else RESOURCE_SCHEMAS[resource]
    return Schema.from_dict(
        {
            "api_version": _text(
                "Version of the API: '1' in every document under /api/v1/. "
                "It changes only with a new URL prefix (/api/v2/).",
                validate=validate.OneOf([API_VERSION]),
            ),
            "content_version": _text(
                "Short hash of all the content served (every edition): equal versions mean equal content; "
                "it changes whenever the data files do.",
                validate=validate.Regexp(CONTENT_VERSION_PATTERN),
            ),
            "edition": _edition_id(content, "The edition this document is about (its folder name)."),
            "resource": _text("Which resource this is: the name in its URL.", validate=validate.OneOf([resource])),
            "url": _site_path("This document's own URL, under /api/v1/editions/<edition>/."),
            "html_url": _site_path("The same content on the workshop page, with the section's anchor."),
            "data": fields.Nested(
                data_schema, **_described(f"{RESOURCE_TITLES[resource]}: {RESOURCE_DESCRIPTIONS[resource]}")
            ),
        },
        name=f"{_camel(resource)}DocumentSchema",
    )


class FrabPersonSchema(Schema):
    id = fields.Integer(**_described("Stable numeric identifier of the person (schedule.xml's <person id>)."))
    guid = fields.UUID(**_described("Stable identifier of the person (UUID, derived from edition and id)."))
    name = _text("Full name.")
    public_name = _text("Name as shown (the full name).")


class FrabEventSchema(Schema):
    guid = fields.UUID(**_described("Stable identifier of the session (UUID, derived from edition and id)."))
    id = fields.Integer(**_described("Stable numeric identifier of the session (frab ids are integers)."))
    date = fields.AwareDateTime(**_described("Start, ISO 8601 with the venue's offset."))
    start = _text("Start, venue time, HH:MM.", validate=validate.Regexp(r"^\d{2}:\d{2}$"))
    duration = _text("Duration, HH:MM.", validate=validate.Regexp(r"^\d{2}:\d{2}$"))
    room = _text("The room: the workshop's one room, named after it.")
    slug = _text("<edition>-<session id>.")
    url = _absolute_url("The session on the workshop page.")
    title = _text("Title of the slot.")
    subtitle = fields.String(**_described("Always empty."))
    track = _text("The session's kind, e.g. 'Keynote', 'Poster session'.")
    type = _text("frab's event type: Keynote, Talk, Lightning talk, Podium or Other.")
    language = _text("Always 'en'.")
    abstract = fields.String(**_described("Always empty."))
    description = fields.String(**_described("The titles of the contributions presented, one '- ' line each."))
    logo = fields.String(allow_none=True, **_described("Always null."))
    recording_license = fields.String(**_described("Always empty."))
    do_not_record = fields.Boolean(**_described("Always false."))
    persons = fields.List(fields.Nested(FrabPersonSchema), **_described("Speakers and panelists of the session."))
    links = fields.List(fields.Dict(), **_described("Always empty."))
    attachments = fields.List(fields.Dict(), **_described("Always empty."))


class FrabDaySchema(Schema):
    index = fields.Integer(**_described("1 for the first day with sessions, then 2, 3... (as in schedule.xml)."))
    date = fields.Date(**_described("The day at the venue."))
    day_start = fields.AwareDateTime(**_described("Start of the day's first session."))
    day_end = fields.AwareDateTime(**_described("End of the day's last session."))
    rooms = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Nested(FrabEventSchema)),
        **_described("Room name -> the day's sessions in it, in time order."),
    )


class FrabRoomSchema(Schema):
    name = _text("Name of the room (the workshop's title).")
    guid = fields.UUID(**_described("Stable identifier of the room."))


class FrabConferenceSchema(Schema):
    acronym = _text("The edition's id, e.g. icml2023.")
    title = _text("The workshop and its venue.")
    start = fields.Date(**_described("First day: of the sessions, or of the workshop date while none is published."))
    end = fields.Date(**_described("Last day."))
    daysCount = fields.Integer(**_described("Number of days from start to end."))  # noqa: N815 (frab's name)
    timeslot_duration = _text("Grid of the schedule, HH:MM.")
    time_zone_name = _text("IANA time zone of the venue, e.g. Pacific/Honolulu.")
    url = _absolute_url("The edition's page.")
    rooms = fields.List(fields.Nested(FrabRoomSchema), **_described("The rooms (one)."))
    days = fields.List(
        fields.Nested(FrabDaySchema), **_described("Days with sessions; empty until the program is published.")
    )


class FrabScheduleBodySchema(Schema):
    version = _text("The content version the schedule was built from: it changes with every edit.")
    base_url = _absolute_url("The site's address, ending in '/'.")
    conference = fields.Nested(FrabConferenceSchema, **_described("The workshop, its rooms and days."))


class FrabGeneratorSchema(Schema):
    name = _text("Always 'workshop-site'.")
    version = _text("The API version.")


class FrabScheduleSchema(Schema):
    schema_url = _absolute_url("The c3voc schedule JSON Schema this document follows.", data_key="$schema")
    generator = fields.Nested(FrabGeneratorSchema, **_described("What produced the document."))
    schedule = fields.Nested(FrabScheduleBodySchema, **_described("The schedule."))


class JsonFeedItemSchema(Schema):
    id = _text("Stable, unique id of the announcement (a URL that never changes).")
    url = _absolute_url("The announcement on the workshop page.")
    title = _text("Headline.")
    content_html = _text("The announcement as sanitized HTML.")
    content_text = _text("The announcement as Markdown text.")
    date_published = fields.AwareDateTime(**_described("The day it was announced, at 00:00 UTC (RFC 3339)."))


class JsonFeedSchema(Schema):
    version = _text("The JSON Feed version URL.", validate=validate.OneOf([newsfeed.JSON_FEED_VERSION]))
    title = _text("Name of the feed.")
    home_page_url = _absolute_url("The edition's page.")
    feed_url = _absolute_url("This feed's own URL.")
    description = _text("What the feed is.")
    language = _text("Always 'en'.")
    items = fields.List(fields.Nested(JsonFeedItemSchema), **_described("The announcements, newest first."))


class OpenApiDocumentSchema(Schema):
    openapi = _text("The OpenAPI version.", validate=validate.OneOf([OPENAPI_VERSION]))
    info = fields.Dict(**_described("Title, version and description of the API."))
    servers = fields.List(fields.Dict(), **_described("The site's public address."))
    tags = fields.List(fields.Dict(), **_described("Groups of endpoints."))
    externalDocs = fields.Dict(**_described("The human-readable documentation, /api/."))  # noqa: N815 (OpenAPI's name)
    paths = fields.Dict(**_described("Every endpoint."))
    components = fields.Dict(**_described("Schemas, headers, parameters and responses the paths refer to."))


# --- Endpoints -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parameter:
    """A path parameter: any id (a slug), with values that answer 200 today as examples (none: no value does yet).

    The values are examples, not an enum: they grow with the data, and a client must not refuse new ones.
    """

    name: str
    description: str
    examples: tuple[str, ...]
    example: str | None = None


MAX_ITEM_EXAMPLES = 10
# What a document is about, for index.json: the API itself (index, status, this document), the
# current edition (/api/v1/<name>), or the edition in its path (/api/v1/editions/{edition}/<name>).
Scope = Literal["api", "current", "edition"]


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
    """One documented GET operation, as the OpenAPI document and the /api/ page show it."""

    route: str  # the Flask endpoint, e.g. "api.edition_resource"
    path: str  # the OpenAPI path, e.g. /api/v1/editions/{edition}/topics.json
    operation_id: str
    tag: str
    summary: str
    description: str
    media_type: str
    schema: Mapping[str, Any]
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
    def scope(self) -> Scope:
        """What the document is about: the edition in its path, the current edition (the routes
        ``api.current_<key>`` of :func:`_edition_routes`), or else the API itself."""
        if "{edition}" in self.path:
            return "edition"
        return "current" if self.route.startswith(f"{API_ENDPOINT_PREFIX}current_") else "api"

    @property
    def example_is_concrete(self) -> bool:
        return "{" not in self.example_path

    @property
    def is_json(self) -> bool:
        # application/feed+json is JSON too (a structured syntax suffix, RFC 6839).
        return self.media_type == JSON or self.media_type.endswith("+json")


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
)


class _Builder:
    """What building the endpoints needs: the content, and the spec its schemas are registered in."""

    def __init__(self, content: Content, spec: APISpec) -> None:
        self.content = content
        self.spec = spec

    def schema_ref(self, schema: type[Schema]) -> dict[str, str]:
        name = schema.__name__.removesuffix("Schema")
        if name not in self.spec.components.schemas:
            self.spec.components.schema(name, schema=schema)
        return self.spec.components.get_ref("schema", name)

    @property
    def current(self) -> Edition:
        return self.content.current_edition

    @property
    def editions(self) -> list[Edition]:
        return list(self.content.editions.values())

    def edition_parameter(self, example: str | None = None) -> Parameter:
        return Parameter(
            "edition",
            "An edition: its folder name under data/ (index.json lists them).",
            tuple(self.content.editions),
            example or self.content.current,
        )


def _openapi_path(rule: str, values: Mapping[str, str]) -> str:
    """/api/v1/editions/<edition>/<resource>.json with resource=topics -> /api/v1/editions/{edition}/topics.json."""

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        return values.get(name, f"{{{name}}}")

    return re.sub(r"<(?:[^:<>]+:)?(?P<name>[^<>]+)>", replace, rule)


def _index(build: _Builder, rule: Rule) -> Iterator[Endpoint]:
    yield Endpoint(
        route=rule.endpoint,
        path=rule.rule,
        operation_id="getIndex",
        tag="Discovery",
        summary="API index: editions and every document, with its URL and media type",
        description="Every edition (id, title, whether it is current, its page) with the URL and media type of "
        "every document served for it (each resource, calendar, schedule and feed, and the URL templates of "
        "the per-item calendar files); the same for the current edition's URLs under /api/v1/; and the "
        "documents about the API itself (this index, status.json, openapi.json). Start here.",
        media_type=JSON,
        schema=build.schema_ref(index_schema(build.content)),
        examples=(
            Example("index", "current", "The index of the content served now", lambda: index_payload(build.content)),
        ),
    )


def _status(build: _Builder, rule: Rule) -> Iterator[Endpoint]:
    # loaded_at of the example: an instant of the content, so the document depends on the content only.
    example = status_payload(ContentStatus(content=build.content, loaded_at=calendar.content_stamp(build.current)))
    yield Endpoint(
        route=rule.endpoint,
        path=rule.rule,
        operation_id="getStatus",
        tag="Discovery",
        summary="Whether the served content is current or stale, and why",
        description="'current' while the site serves what the data files say; 'stale' while an edit is "
        "invalid and the site keeps the last good content, with each problem's file, line, field and "
        "message. Revalidated on every request (Cache-Control: no-cache).",
        media_type=JSON,
        schema=build.schema_ref(status_schema(build.content)),
        examples=(Example("status", "current", "Content served as the files say", lambda: example),),
        last_modified=False,
    )


def _openapi(build: _Builder, rule: Rule) -> Iterator[Endpoint]:
    yield Endpoint(
        route=rule.endpoint,
        path=rule.rule,
        operation_id="getOpenApi",
        tag="Discovery",
        summary="This API as an OpenAPI 3.1 document",
        description="Every endpoint, parameter, response and header, generated from the schemas that validate "
        "the data files, with the content served now as examples. The same list, for people: "
        f"{HTML_DOCS_PATH}.",
        media_type=JSON,
        schema=build.schema_ref(OpenApiDocumentSchema),
        link=True,
    )


CALENDAR_SCHEMA = {"type": "string", "description": "An iCalendar (RFC 5545) VCALENDAR.", "pattern": "^BEGIN:VCALENDAR"}


def _item_calendars(
    build: _Builder,
    rule: Rule,
    *,
    argument: str,
    noun: str,
    listed_in: str,
    items: Callable[[Edition], list[Mapping[str, Any]]],
    document: Served,
) -> Iterator[Endpoint]:
    # One path for every edition: editions and ids are examples (they grow with the data), and the
    # parameters' examples are the ids of one edition that has items (the current one when it has).
    ids = {edition.name: tuple(item["id"] for item in items(edition)) for edition in build.editions}
    shown = next((name for name in (build.content.current, *ids) if ids[name]), build.content.current)
    examples = tuple(
        Example(
            f"{name}.{noun}.{item_id}.ics",
            f"{name}/{item_id}",
            f"{item_id} ({name})",
            partial(
                lambda edition, item: document.document(build.content, edition, **{argument: item}).body.decode(),
                build.content.editions[name],
                item_id,
            ),
        )
        # A few show the shape; a program of a hundred sessions needs no hundred examples.
        for name, edition_ids in ids.items()
        for item_id in edition_ids[:MAX_ITEM_EXAMPLES]
    )
    note = "" if examples else f" No {noun} is published yet: every id answers 404 until one is."
    yield Endpoint(
        route=rule.endpoint,
        path=_openapi_path(rule.rule, {}),
        operation_id=f"get{_camel(noun)}Calendar",
        tag="Calendars",
        summary=f"One {noun} of an edition as a calendar file",
        description="A single event, to add to a calendar (the page's 'Add to calendar' links). "
        f"An id that is not a {noun} of the edition answers 404.{note}",
        media_type=calendar.MIMETYPE,
        schema=CALENDAR_SCHEMA,
        parameters=(
            build.edition_parameter(shown),
            Parameter(argument, f"Id of a {noun} of the edition: {listed_in}.", ids[shown][:MAX_ITEM_EXAMPLES]),
        ),
        examples=examples,
    )


def _date_calendar(build: _Builder, rule: Rule) -> Iterator[Endpoint]:
    yield from _item_calendars(
        build,
        rule,
        argument="item_id",
        noun="date",
        listed_in="the id of an item of its dates.json",
        items=lambda edition: list(edition["dates"]["items"]),
        document=calendar.DATE_FILE,
    )


def _session_calendar(build: _Builder, rule: Rule) -> Iterator[Endpoint]:
    yield from _item_calendars(
        build,
        rule,
        argument="session_id",
        noun="session",
        listed_in="the id of a session of its program.json, once the program is published",
        items=lambda edition: list(calendar.published_sessions(edition)),
        document=calendar.SESSION_FILE,
    )


# --- Documents served for the current edition and for every edition --------------------------


@dataclass(frozen=True)
class EditionDocument:
    """A document served for the current edition (route ``api.current_<key>``) and for any edition
    (``api.edition_<key>``, under /editions/{edition}/): one entry describes both operations."""

    name: str  # in the operation ids: get<name> and getEdition<name>
    example: str  # an example's key after its edition's name, e.g. "schedule" for icml2023.schedule
    summary: str  # "{edition}" reads "the current edition" in one operation, "an edition" in the other
    description: str
    tag: str
    media_type: str
    schema: Callable[[_Builder], Mapping[str, Any]]
    payload: Callable[[Content, Edition], Any]
    edition_tag: str | None = None  # the edition operation's tag, when it is not ``tag``
    # Appended to the current edition's description, given that edition's name.
    current_note: Callable[[str], str] | None = None
    path_values: Mapping[str, str] = field(default_factory=dict)  # the route's other arguments
    link: bool = False

    def example_of(self, content: Content, edition: Edition) -> Example:
        return Example(
            f"{edition.name}.{self.example}", edition.name, edition.title, partial(self.payload, content, edition)
        )


RouteBuilder = Callable[[_Builder, Rule], Iterator[Endpoint]]


def _edition_endpoints(
    build: _Builder, rule: Rule, *, documents: tuple[EditionDocument, ...], current: bool
) -> Iterator[Endpoint]:
    for document in documents:
        if current:
            # No {edition} in the path: the one example is the current edition's document.
            prefix, which, tag = "get", "the current edition", document.tag
            parameters, editions = (), [build.current]
            note = document.current_note(build.content.current) if document.current_note else ""
        else:
            prefix, which, tag = "getEdition", "an edition", document.edition_tag or document.tag
            parameters, editions = (build.edition_parameter(),), build.editions
            note = ""
        yield Endpoint(
            route=rule.endpoint,
            path=_openapi_path(rule.rule, document.path_values),
            operation_id=f"{prefix}{document.name}",
            tag=tag,
            summary=document.summary.format(edition=which),
            description=document.description + note,
            media_type=document.media_type,
            schema=document.schema(build),
            parameters=parameters,
            examples=tuple(document.example_of(build.content, edition) for edition in editions),
            link=document.link,
        )


def _edition_routes(key: str, *documents: EditionDocument) -> dict[str, RouteBuilder]:
    """The builders of ``api.current_<key>`` and ``api.edition_<key>``, each documenting ``documents``."""
    return {
        f"{API_ENDPOINT_PREFIX}current_{key}": partial(_edition_endpoints, documents=documents, current=True),
        f"{API_ENDPOINT_PREFIX}edition_{key}": partial(_edition_endpoints, documents=documents, current=False),
    }


def _resource_document(resource: str) -> EditionDocument:
    return EditionDocument(
        name=_camel(resource),
        example=resource,
        summary=f"{RESOURCE_TITLES[resource]} of {{edition}}",
        description=RESOURCE_DESCRIPTIONS[resource],
        tag="Current edition",
        edition_tag="Any edition",
        media_type=JSON,
        schema=lambda build: build.schema_ref(envelope_schema(build.content, resource)),
        payload=lambda content, edition: resource_payload(content, edition, resource),
        current_note=lambda current: (
            f" The same bytes as /api/v1/editions/{current}/{resource}.json while {current} is current."
        ),
        path_values={"resource": resource},
        link=True,
    )


CALENDAR_FEED = EditionDocument(
    name="Calendar",
    example="dates.ics",
    summary="Calendar feed of {edition}",
    description="Every important date and, once the program is published, every session, as an iCalendar feed "
    "to subscribe to. Event UIDs are <edition>-date-<id>@<domain> and <edition>-session-<id>@<domain>, and "
    "SEQUENCE counts a date's earlier values, so a subscribed calendar moves an event instead of adding "
    "a second one.",
    tag="Calendars",
    media_type=calendar.MIMETYPE,
    schema=lambda build: CALENDAR_SCHEMA,
    payload=lambda content, edition: calendar.FEED.document(content, edition).body.decode(),
)
SCHEDULE = EditionDocument(
    name="Schedule",
    example="schedule",
    summary="Program of {edition} as frab/c3voc schedule JSON",
    description="The program as frab/c3voc schedule JSON (https://c3voc.de/schedule/schema.json), which "
    "conference schedule apps import: one room, the days with sessions (none until the program is published), "
    "with stable guids and ids per session.",
    tag="Other formats",
    media_type=JSON,
    schema=lambda build: build.schema_ref(FrabScheduleSchema),
    payload=frab.schedule_payload,
)
SCHEDULE_XML = EditionDocument(
    name="ScheduleXml",
    example="schedule.xml",
    summary="Program of {edition} as frab/c3voc schedule XML",
    description="The same schedule as schedule.json, as the frab/c3voc schedule.xml that Giggity, "
    "EventFahrplan, info-beamer and the c3tt tracker read: <schedule> with <version>, <conference> (acronym, "
    "title, start, end, days, timeslot_duration, base_url, time_zone_name, url), then <day index date start "
    "end> (index from 1) holding <room name guid> holding <event guid id> (date, start, duration, room, slug, "
    "url, title, subtitle, track, type, language, abstract, description, logo, persons, links, attachments, "
    "recording). Every day, room, event, id and guid is the one of schedule.json.",
    tag="Other formats",
    media_type=frab.XML_MIMETYPE,
    schema=lambda build: SCHEDULE_XML_SCHEMA,
    payload=lambda content, edition: frab.SCHEDULE_XML.document(content, edition).body.decode(),
)
SCHEDULE_XML_SCHEMA = {"type": "string", "description": "A frab/c3voc schedule.xml document.", "pattern": "<schedule>"}
FEED = EditionDocument(
    name="Feed",
    example="feed",
    summary="Announcements of {edition} as a JSON Feed",
    description="The announcements as a JSON Feed 1.1 (https://jsonfeed.org/version/1.1), for feed readers.",
    tag="Other formats",
    media_type=newsfeed.MIMETYPE,
    schema=lambda build: build.schema_ref(JsonFeedSchema),
    payload=lambda content, edition: newsfeed.feed_payload(edition),
)


# Every route of the API blueprint, by endpoint, in the order the documentation lists them.
# A route missing here is missing from the documentation (tests/test_openapi.py fails).
# A pair api.current_<key> / api.edition_<key> is one _edition_routes entry.
ROUTES: Mapping[str, RouteBuilder] = {
    "api.index": _index,
    "api.status": _status,
    "api.openapi": _openapi,
    **_edition_routes("resource", *map(_resource_document, API_RESOURCES)),
    **_edition_routes("calendar", CALENDAR_FEED),
    "api.date_calendar": _date_calendar,
    "api.session_calendar": _session_calendar,
    **_edition_routes("schedule", SCHEDULE),
    **_edition_routes("schedule_xml", SCHEDULE_XML),
    **_edition_routes("feed", FEED),
}


def api_rules() -> list[Rule]:
    """The GET routes of the API blueprint, in ``app.url_map``."""
    return [
        rule
        for rule in current_app.url_map.iter_rules()
        if rule.endpoint.startswith(API_ENDPOINT_PREFIX) and "GET" in (rule.methods or ())
    ]


def _new_spec(content: Content) -> APISpec:
    spec = APISpec(
        title="Machine Learning for Astrophysics workshop API",
        version=API_VERSION,
        openapi_version=OPENAPI_VERSION,
        plugins=[ApiPlugin()],
        info=_info(content),
    )
    spec.components.schema(
        RICH_TEXT,
        component={
            "type": "object",
            "description": "Text written in Markdown, with its HTML (sanitized: no script, no style, "
            "links to http, https and mailto only).",
            "properties": {
                "markdown": {"type": "string", "description": "The Markdown source, as organizers wrote it."},
                "html": {"type": "string", "description": "The rendered, sanitized HTML."},
            },
            "required": ["markdown", "html"],
        },
    )
    return spec


def api_endpoints(content: Content, spec: APISpec | None = None) -> list[Endpoint]:
    """Every documented operation of the API, for ``content``, in documentation order."""
    build = _Builder(content, spec or _new_spec(content))
    order = list(ROUTES)
    rules = sorted((rule for rule in api_rules() if rule.endpoint in ROUTES), key=lambda r: order.index(r.endpoint))
    return [endpoint for rule in rules for endpoint in ROUTES[rule.endpoint](build, rule)]


# --- The index: every document of the API, from the same list ----------------------------------

EDITION_SEGMENT = "{edition}/"


def _listed(endpoint: Endpoint, url: str, name: str) -> dict[str, str]:
    return {"name": name, "url": url, "media_type": endpoint.media_type, "summary": endpoint.summary}


def _edition_listing(endpoints: list[Endpoint], edition: str) -> dict[str, list[dict[str, Any]]]:
    """The documents and URL templates of one edition: each endpoint under /api/v1/editions/{edition}/."""
    documents, templates = [], []
    for endpoint in endpoints:
        name = endpoint.path.split(EDITION_SEGMENT, 1)[1]
        path = endpoint.path.replace("{edition}", edition)
        variables = {p.name: p.description for p in endpoint.parameters if p.name != "edition"}
        if not variables:
            documents.append(_listed(endpoint, path, name))
        else:
            template = {"name": name, "url_template": path, "variables": variables}
            templates.append({**template, "media_type": endpoint.media_type, "summary": endpoint.summary})
    return {"documents": documents, "url_templates": templates}


def index_payload(content: Content) -> dict[str, Any]:
    """``/api/v1/index.json``: every edition, and every document the API serves with its media type."""
    endpoints = api_endpoints(content)
    prefix = f"{current_app.blueprints['api'].url_prefix}/"

    def scoped(scope: Scope) -> list[Endpoint]:
        return [endpoint for endpoint in endpoints if endpoint.scope == scope]

    def listed(scope: Scope) -> list[dict[str, str]]:
        return [_listed(endpoint, endpoint.path, endpoint.path.removeprefix(prefix)) for endpoint in scoped(scope)]

    return {
        "api_version": API_VERSION,
        "content_version": content.version,
        "current_edition": content.current,
        "editions": [
            {
                "id": name,
                "title": edition.title,
                "current": name == content.current,
                "html_url": page_url(name),
                "resources": {resource: resource_url(name, resource) for resource in API_RESOURCES},
                **_edition_listing(scoped("edition"), name),
            }
            for name, edition in content.editions.items()
        ],
        "current_resources": {
            resource: url_for("api.current_resource", resource=resource) for resource in API_RESOURCES
        },
        "documents": listed("api"),
        "current_documents": listed("current"),
    }


INDEX = Served("api/index", JSON, lambda content, edition: index_payload(content))


# --- The document ------------------------------------------------------------------------------


def _info(content: Content) -> dict[str, Any]:
    """Title and version aside: what the API is, who answers for it, and the content's license."""
    edition = content.current_edition
    return {
        "description": _info_description(content),
        "contact": {
            "name": f"The organizers of {edition['site']['title']}",
            "url": f"{current_app.config['SITE_URL'].rstrip('/')}/",
            "email": edition["logistics"]["contact"]["email"],
        },
        # The API serves the organizers' content: its license is theirs to set (CONTENT_LICENSE).
        "license": {"name": current_app.config["CONTENT_LICENSE"], "identifier": current_app.config["CONTENT_LICENSE"]},
    }


def _info_description(content: Content) -> str:
    return (
        "Read-only JSON (and iCalendar) documents of the Machine Learning for Astrophysics workshop, "
        "for other sites to build on. Every resource document has the same envelope "
        "(api_version, content_version, edition, resource, url, html_url, data); rich text is "
        "{markdown, html}; every instant is ISO 8601 with its offset, and whole days stay dates.\n\n"
        "Responses carry a strong ETag (If-None-Match gives 304), Last-Modified, Cache-Control and "
        "Access-Control-Allow-Origin: * (preflight OPTIONS is answered; HEAD works everywhere GET does). "
        "Errors are application/problem+json (RFC 9457). Methods other than GET, HEAD and OPTIONS get 405 "
        "with an Allow header; an Accept header that rules out the document's type gets 406.\n\n"
        f"Stability: within v1 no field is removed or retyped, ids and URLs stay; fields may be added, so "
        f"clients must ignore fields they do not know. The full promise and the changelog: {HTML_DOCS_PATH}. "
        f"This document describes content version {content.version}."
    )


def _header(description: str, schema: Mapping[str, Any], *, required: bool = True) -> dict[str, Any]:
    return {"description": description, "required": required, "schema": dict(schema)}


HEADERS: Mapping[str, dict[str, Any]] = {
    "ETag": _header(
        "Strong validator of this document (a hash of its bytes; '-gzip' is appended when the body "
        "is gzip-compressed): send it as If-None-Match to get 304 when nothing changed.",
        {"type": "string", "pattern": ETAG_PATTERN},
    ),
    "Last-Modified": _header(
        "When the data files last changed (an HTTP date): If-Modified-Since works too.",
        {"type": "string", "pattern": HTTP_DATE_PATTERN},
    ),
    "Cache-Control": _header(
        "'public, max-age=60, stale-while-revalidate=300' by default (configurable); "
        "'public, no-cache' for status.json; 'no-store' for errors.",
        {"type": "string"},
    ),
    "Link": _header(
        "RFC 8288 link to the same content in another format: the page section of a resource "
        '(rel="alternate"; type="text/html").',
        {"type": "string", "pattern": r'^<[^>]+>; rel="alternate"; type="[^"]+"'},
    ),
    "Access-Control-Allow-Origin": _header(
        "Any origin may read every response from a browser, errors included.", {"type": "string", "enum": ["*"]}
    ),
    "Access-Control-Expose-Headers": _header(
        "Response headers a browser script may read besides the simple ones.", {"type": "string"}
    ),
    "Allow": _header("The methods this URL answers: GET, HEAD and OPTIONS.", {"type": "string"}),
    "Deprecation": _header(
        "Only on a deprecated endpoint or one serving a deprecated field (RFC 9745): since when. "
        "Announced in the changelog first.",
        {"type": "string"},
        required=False,
    ),
    "Sunset": _header(
        "Only with Deprecation (RFC 8594): the HTTP date after which the deprecated part may go, "
        "at least 6 months after the announcement, and only with a new API version.",
        {"type": "string"},
        required=False,
    ),
}
PARAMETERS: Mapping[str, dict[str, Any]] = {
    "IfNoneMatch": {
        "name": "If-None-Match",
        "in": "header",
        "required": False,
        "description": "The ETag of a copy the client has: 304 Not Modified, without a body, while it is current.",
        "schema": {"type": "string"},
    },
    "IfModifiedSince": {
        "name": "If-Modified-Since",
        "in": "header",
        "required": False,
        "description": "An HTTP date (the Last-Modified of a copy): 304 while the data files have not changed since.",
        "schema": {"type": "string"},
    },
}


def _problem_example(error: HTTPException, detail: str) -> dict[str, Any]:
    return {"type": "about:blank", "title": error.name, "status": error.code, "detail": detail}


ERRORS: Mapping[str, tuple[str, HTTPException, str, tuple[str, ...]]] = {
    # status -> (component name, error, example detail, extra headers)
    "404": ("NotFound", NotFound(), f"No resource 'talks'. Resources: {', '.join(API_RESOURCES)}.", ()),
    "405": (
        "MethodNotAllowed",
        MethodNotAllowed(),
        "The method is not allowed for the requested URL.",
        ("Allow",),
    ),
    "406": (
        "NotAcceptable",
        NotAcceptable(),
        "This resource is application/json; the request accepts only text/html.",
        (),
    ),
    "500": (
        "InternalServerError",
        InternalServerError(),
        "The server failed to answer this request; it has been logged.",
        (),
    ),
}
ERROR_DESCRIPTIONS = {
    "404": "No such edition, resource, date or session; the detail lists the ones that exist.",
    "405": "A method other than GET, HEAD or OPTIONS: the API is read-only.",
    "406": "The Accept header rules out the document's media type.",
    "500": "The server failed; the detail says nothing more, the server logged the rest.",
}


def _header_refs(names: list[str]) -> dict[str, Any]:
    return {name: {"$ref": f"#/components/headers/{name}"} for name in names}


def _components(spec: APISpec) -> None:
    for name, header in HEADERS.items():
        spec.components.header(name, header)
    for name, parameter in PARAMETERS.items():
        spec.components.parameter(name, parameter["in"], parameter)
    spec.components.schema("Problem", schema=ProblemSchema)
    problem = spec.components.get_ref("schema", "Problem")
    for status, (name, error, detail, extra) in ERRORS.items():
        spec.components.response(
            name,
            {
                "description": ERROR_DESCRIPTIONS[status],
                "headers": _header_refs(["Access-Control-Allow-Origin", "Cache-Control", *extra]),
                "content": {PROBLEM_JSON: {"schema": problem, "example": _problem_example(error, detail)}},
            },
        )


def _operation(spec: APISpec, endpoint: Endpoint) -> dict[str, Any]:
    headers = ["ETag", "Cache-Control", "Access-Control-Allow-Origin", "Access-Control-Expose-Headers"]
    if endpoint.last_modified:
        headers.append("Last-Modified")
    if endpoint.link:
        headers.append("Link")
    media: dict[str, Any] = {"schema": dict(endpoint.schema)}
    for example in endpoint.examples:
        # Among the components: the current edition's documents are served at two URLs each.
        if example.key not in spec.components.examples:
            spec.components.example(example.key, {"summary": example.summary, "value": example.value})
        media.setdefault("examples", {})[example.name] = spec.components.get_ref("example", example.key)
    responses: dict[str, Any] = {
        "200": {
            "description": endpoint.summary,
            "headers": _header_refs([*headers, "Deprecation", "Sunset"]),
            "content": {endpoint.media_type: media},
        },
        "304": {
            "description": "Not Modified: the If-None-Match or If-Modified-Since copy is current. No body.",
            # RFC 9110 (15.4.5) asks a 304 for ETag and Cache-Control; Last-Modified may be left out.
            "headers": {
                **_header_refs([name for name in headers if name != "Last-Modified"]),
                **(
                    {"Last-Modified": {**HEADERS["Last-Modified"], "required": False}} if endpoint.last_modified else {}
                ),
            },
        },
    }
    errors = ["405", "406", "500"]
    if endpoint.parameters:
        errors.insert(0, "404")
    for status in errors:
        responses[status] = {"$ref": f"#/components/responses/{ERRORS[status][0]}"}
    parameters: list[dict[str, Any] | str] = [
        {
            "name": parameter.name,
            "in": "path",
            "required": True,
            "description": parameter.description,
            "schema": {
                "type": "string",
                "pattern": SLUG_PATTERN.pattern,
                **({"examples": list(parameter.examples)} if parameter.examples else {}),
            },
            **({"example": parameter.example} if parameter.example else {}),
        }
        for parameter in endpoint.parameters
    ]
    parameters += list(PARAMETERS)  # apispec turns a component's name into its $ref
    return {
        "operationId": endpoint.operation_id,
        "tags": [endpoint.tag],
        "summary": endpoint.summary,
        "description": endpoint.description,
        "parameters": parameters,
        "responses": responses,
    }


def openapi_document(content: Content) -> dict[str, Any]:
    """The OpenAPI 3.1 document of the API serving ``content`` (needs an app and request context)."""
    spec = _new_spec(content)
    _components(spec)
    endpoints = api_endpoints(content, spec)
    for endpoint in endpoints:
        spec.path(path=endpoint.path, operations={"get": _operation(spec, endpoint)})
    for tag in TAGS:
        spec.tag({"name": tag.name, "description": tag.description})
    document = spec.to_dict()
    # Public: no operation needs credentials (and none are accepted).
    document["security"] = []
    site_url = current_app.config["SITE_URL"].rstrip("/")
    document["servers"] = [{"url": site_url, "description": "The workshop site"}]
    document["externalDocs"] = {
        "description": "The API for people: every endpoint with examples, the stability promise and the changelog.",
        "url": f"{site_url}{HTML_DOCS_PATH}",
    }
    return document


# ``/api/v1/openapi.json``: built once per content version.
OPENAPI = Served(
    "api/openapi",
    JSON,
    lambda content, edition: openapi_document(content),
    alternates=lambda content, edition: ((url_for("apidocs.page"), "text/html"),),
)
