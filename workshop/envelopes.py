"""The documents the API builds around the data, as marshmallow schemas: the resource envelope,
the index, the status, errors (RFC 9457) and the OpenAPI document itself.

The resource schemas of :mod:`workshop.schemas` validate the data files and dump the
envelope's ``data``; these describe everything around it, each field with its description.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from workshop.content import section_key
from workshop.model import Content
from workshop.outputfields import camel, described, edition_id, site_path, text
from workshop.phases import PHASES
from workshop.schemas import SERVED_SCHEMAS

API_VERSION = "1"
# Every section can be fetched on its own; "site" is all of them in one document.
API_RESOURCES: tuple[str, ...] = tuple(SERVED_SCHEMAS)
OPENAPI_VERSION = "3.1.0"
CONTENT_VERSION_PATTERN = r"^[0-9a-f]{16}$"


class ProblemSchema(Schema):
    """An error, as RFC 9457 problem details (``application/problem+json``)."""

    type = text("Always 'about:blank': the status code says what happened.", metadata={"format": "uri-reference"})
    title = text("The status code's name, e.g. 'Not Found'.")
    status = fields.Integer(validate=validate.Range(min=400, max=599), **described("The HTTP status code."))
    detail = text("What went wrong with this request, for a person (e.g. which editions exist).")


class DataProblemSchema(Schema):
    file = text("The data file or folder, relative to the data folder, e.g. <edition>/dates.yaml ('.': the folder).")
    line = fields.Integer(allow_none=True, **described("Line in the file, when YAML tells it."))
    field = fields.String(allow_none=True, **described("Path of the field, e.g. items[0].at; null for the file."))
    message = text("What is wrong, and how to write it instead.")


def status_schema(content: Content) -> type[Schema]:
    return Schema.from_dict(
        {
            "api_version": text("Version of the API.", validate=validate.OneOf([API_VERSION])),
            "content_version": text(
                "Version of the content served now.", validate=validate.Regexp(CONTENT_VERSION_PATTERN)
            ),
            "current_edition": edition_id(content, "The edition served at / and /api/v1/."),
            "state": text(
                "'current': the site serves what the data files say; 'stale': an edit is invalid, "
                "and the site keeps serving the last good content.",
                validate=validate.OneOf(["current", "stale"]),
            ),
            "stale": fields.Boolean(**described("true when state is 'stale'.")),
            "detail": text("The state in a sentence."),
            "loaded_at": fields.AwareDateTime(**described("When the served content was loaded (ISO 8601).")),
            "stale_since": fields.AwareDateTime(
                allow_none=True, **described("Since when the files have been invalid; null when current.")
            ),
            "problems": fields.List(
                fields.Nested(DataProblemSchema),
                **described("Every problem of the data files, one per mistake; empty when current."),
            ),
            "warnings": fields.List(
                fields.Nested(DataProblemSchema),
                **described(
                    "What the served content probably got wrong but may be right, e.g. two names nearly alike "
                    "(one person written two ways?); the site serves it. Added 2026-11-30."
                ),
            ),
        },
        name="StatusSchema",
    )


def _resource_urls_schema() -> type[Schema]:
    return Schema.from_dict(
        {resource: site_path(f"URL of the {resource} document.") for resource in API_RESOURCES},
        name="ResourceUrlsSchema",
    )


MEDIA_TYPE_PATTERN = r"^[a-z]+/[a-z0-9.+-]+$"


def _media_type() -> fields.String:
    return text(
        "The media type it is served with (its Content-Type without parameters), "
        "e.g. application/json or text/calendar.",
        validate=validate.Regexp(MEDIA_TYPE_PATTERN),
    )


class ListedDocumentSchema(Schema):
    """A document of the API, as index.json lists it."""

    name = text(
        "Its name: the URL after /api/v1/ or /api/v1/editions/<edition>/, e.g. topics.json, dates.ics, "
        "schedule.json. The same name in every edition."
    )
    url = site_path("Its URL.")
    media_type = _media_type()
    summary = text("What it is, in a line.")


class ListedTemplateSchema(Schema):
    """Documents of the API with one URL per item, as index.json lists them."""

    name = text("Its name: the template after /api/v1/editions/<edition>/, e.g. dates/{item_id}.ics.")
    url_template = text(
        "A URI template (RFC 6570, level 1) on this site: replace each {variable} to get a document's URL."
    )
    variables = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        **described("What each {variable} of the template is, and where its values are listed."),
    )
    media_type = _media_type()
    summary = text("What each document is, in a line.")


def index_schema(content: Content) -> type[Schema]:
    urls = _resource_urls_schema()
    edition_entry = Schema.from_dict(
        {
            "id": edition_id(content, "The edition's id: its folder name, used in URLs."),
            "title": text("The workshop's title and its venue: '<title> (<venue>)'."),
            "current": fields.Boolean(**described("Whether this is the current edition.")),
            "html_url": site_path("The edition's page."),
            "resources": fields.Nested(urls, **described("URL of each resource of this edition.")),
            "documents": fields.List(
                fields.Nested(ListedDocumentSchema),
                **described(
                    "Every document served for this edition, under /api/v1/editions/<edition>/: each resource, "
                    "the calendar feed, the schedule and the news feed, with its media type."
                ),
            ),
            "url_templates": fields.List(
                fields.Nested(ListedTemplateSchema),
                **described("The documents served per item of this edition (a calendar file per date or session)."),
            ),
        },
        name="IndexEditionSchema",
    )
    return Schema.from_dict(
        {
            "api_version": text("Version of the API.", validate=validate.OneOf([API_VERSION])),
            "content_version": text(
                "Version of the content: changes whenever the data files do.",
                validate=validate.Regexp(CONTENT_VERSION_PATTERN),
            ),
            "current_edition": edition_id(content, "The edition served at / and /api/v1/."),
            "editions": fields.List(
                fields.Nested(edition_entry), **described("Every edition, in the order of their folder names.")
            ),
            "current_resources": fields.Nested(
                urls, **described("URL of each resource of the current edition (/api/v1/<resource>.json).")
            ),
            "documents": fields.List(
                fields.Nested(ListedDocumentSchema),
                **described("The documents about the API itself: this index, the content's status, openapi.json."),
            ),
            "current_documents": fields.List(
                fields.Nested(ListedDocumentSchema),
                **described(
                    "Every document of the current edition at a URL that follows the current edition "
                    "(/api/v1/<name>): the same names as the edition's documents."
                ),
            ),
        },
        name="IndexSchema",
    )


def sections_schema() -> type[Schema]:
    """The ``data`` of site.json: every section under its key."""
    return Schema.from_dict(
        {
            section_key(resource): fields.Nested(
                schema,
                **described(f"The {resource} section: the data of /api/v1/{resource}.json."),
            )
            for resource, schema in SERVED_SCHEMAS.items()
        },
        name="EditionSectionsSchema",
    )


class PhaseSchema(Schema):
    """The workshop's phase when the document was served (workshop/phases.py)."""

    name = text(
        "'call' (abstracts accepted), 'review' (until authors hear back), 'program' (until the event), "
        "'live' (during the event) or 'archive' (after it).",
        validate=validate.OneOf(PHASES),
    )
    since = fields.AwareDateTime(allow_none=True, **described("When this phase began (ISO 8601); null: always."))
    until = fields.AwareDateTime(
        allow_none=True,
        **described("When the next phase begins (ISO 8601): follow the phase by fetching again then; null: never."),
    )
    fixed = fields.Boolean(**described("true when the organizers fixed the phase (site.yaml's phase)."))


def envelope_schema(content: Content, resource: str, title: str = "", description: str = "") -> type[Schema]:
    """The document of one resource: the envelope, with the resource's schema as ``data``."""
    data_schema = sections_schema() if resource == "site" else SERVED_SCHEMAS[resource]
    # site.json, all of the edition, also says which phase the workshop is in.
    phase = (
        {
            "phase": fields.Nested(
                PhaseSchema, **described("The workshop's phase when this document was served. Added 2026-11-30.")
            )
        }
        if resource == "site"
        else {}
    )
    return Schema.from_dict(
        {
            "api_version": text(
                "Version of the API: '1' in every document under /api/v1/. "
                "It changes only with a new URL prefix (/api/v2/).",
                validate=validate.OneOf([API_VERSION]),
            ),
            "content_version": text(
                "Short hash of all the content served (every edition): equal versions mean equal content; "
                "it changes whenever the data files do.",
                validate=validate.Regexp(CONTENT_VERSION_PATTERN),
            ),
            "edition": edition_id(content, "The edition this document is about (its folder name)."),
            "resource": text("Which resource this is: the name in its URL.", validate=validate.OneOf([resource])),
            "url": site_path("This document's own URL, under /api/v1/editions/<edition>/."),
            "html_url": site_path("The same content on the workshop page, with the section's anchor."),
            "data": fields.Nested(
                data_schema,
                **described(f"{title}: {description}" if title else f"The data of the {resource} resource."),
            ),
            **phase,
        },
        name=f"{camel(resource)}DocumentSchema",
    )


def item_document_schema(
    content: Content, name: str, item_schema: type[Schema], *, item: str, page: str, listed_in: str
) -> type[Schema]:
    """The document of one item of a list (a paper, an own section): the envelope, with the item as ``data``."""
    return Schema.from_dict(
        {
            "api_version": text("Version of the API.", validate=validate.OneOf([API_VERSION])),
            "content_version": text(
                "Version of the content: changes whenever the data files do.",
                validate=validate.Regexp(CONTENT_VERSION_PATTERN),
            ),
            "edition": edition_id(content, f"The edition of the {item} (its folder name)."),
            "url": site_path("This document's own URL."),
            "html_url": site_path(page),
            "data": fields.Nested(item_schema, **described(f"The {item}, as an item of {listed_in}.")),
        },
        name=name,
    )


class OpenApiDocumentSchema(Schema):
    openapi = text("The OpenAPI version.", validate=validate.OneOf([OPENAPI_VERSION]))
    info = fields.Dict(**described("Title, version and description of the API."))
    servers = fields.List(fields.Dict(), **described("The site's public address."))
    tags = fields.List(fields.Dict(), **described("Groups of endpoints."))
    externalDocs = fields.Dict(**described("The human-readable documentation, /api/."))  # noqa: N815 (OpenAPI's name)
    paths = fields.Dict(**described("Every endpoint."))
    components = fields.Dict(**described("Schemas, headers, parameters and responses the paths refer to."))
