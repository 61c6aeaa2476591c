"""The API described as OpenAPI 3.1, generated from the schemas that validate the data files.

Its paths are the catalogue's endpoints (:func:`workshop.catalogue.api_endpoints`),
the list the ``/api/`` page and ``/api/v1/index.json`` are built from too, so none
of them can describe an endpoint the others do not.

The response schemas are apispec's conversion (its marshmallow plugin, as for
the editors' JSON Schemas in :mod:`workshop.editorschemas`) of:

- the marshmallow schemas of :mod:`workshop.schemas`, which validate the data
  files and dump the API's ``data``, converted for the output side
  (:class:`ApiConverter`): ``Markdown`` is ``{markdown, html}``, ``dump_only``
  fields are ``readOnly``, every field is present in every response;
- the envelope and the documents the API builds around them (index, status and
  problem in :mod:`workshop.envelopes`, the frab schedule in :mod:`workshop.frab`,
  the JSON Feed in :mod:`workshop.newsfeed`), each field with its description.

The examples are the real documents of the content being served, so the
document is built once per content version (:data:`OPENAPI`, a cached
:class:`~workshop.documents.Served`). The editions and item ids of that content
are examples, never enums: they grow with the data, and a client generated from
today's document must accept tomorrow's editions, dates and sessions.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin, OpenAPIConverter
from flask import current_app, url_for
from marshmallow import fields
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed, NotAcceptable, NotFound

from workshop import seo
from workshop.catalogue import HTML_DOCS_PATH, JSON, TAGS, Endpoint, Route, SchemaSpec, api_endpoints
from workshop.datafields import SLUG_PATTERN, Markdown
from workshop.documents import API_RESOURCES, API_VERSION, Served
from workshop.editorschemas import DataFileConverter
from workshop.envelopes import OPENAPI_VERSION, OpenApiDocumentSchema, ProblemSchema
from workshop.model import Content

PROBLEM_JSON = "application/problem+json"
# A strong ETag: the content hash, with "-gzip" when the body was sent compressed.
ETAG_PATTERN = r'^"[0-9a-f]{32}(-gzip)?"$'
HTTP_DATE_PATTERN = r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$"


# --- Converting marshmallow schemas for the output side --------------------------------


RICH_TEXT = "RichText"


class ApiConverter(OpenAPIConverter):
    """apispec's converter for what the API serves; :class:`~workshop.editorschemas.DataFileConverter` is
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
        # Except in formats whose rules forbid null (CSL-JSON): there, a field marked may_be_absent is left out.
        absent = {field.data_key or name for name, field in field_map.items() if field.metadata.get("may_be_absent")}
        document["required"] = [name for name in document["properties"] if name not in absent]
        return document

    def schema2jsonschema(self, schema: Any) -> dict[str, Any]:
        document = super().schema2jsonschema(schema)
        # Data files refuse unknown fields; API clients must ignore them (v1 may add fields).
        document.pop("additionalProperties", None)
        return document


class ApiPlugin(MarshmallowPlugin):
    Converter = ApiConverter


def _new_spec(content: Content) -> APISpec:
    spec = APISpec(
        title=f"{content.current_edition.site.title} workshop API",
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


# --- The document ------------------------------------------------------------------------------


def _info(content: Content) -> dict[str, Any]:
    """Title and version aside: what the API is, who answers for it, and the content's license."""
    edition = content.current_edition
    return {
        "description": _info_description(content),
        "contact": {
            "name": f"The organizers of {edition.site.title}",
            "url": f"{seo.site_url(edition)}/",
            "email": edition.logistics.contact.email,
        },
        # The API serves the organizers' content: its license is theirs to set (CONTENT_LICENSE).
        "license": {"name": current_app.config["CONTENT_LICENSE"], "identifier": current_app.config["CONTENT_LICENSE"]},
    }


def _info_description(content: Content) -> str:
    return (
        f"Read-only JSON (and iCalendar) documents of the {content.current_edition.site.title} workshop, "
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


def _schema(spec: APISpec, schema: SchemaSpec) -> dict[str, Any]:
    """A response's JSON Schema: as given, or a $ref to a marshmallow schema registered among the components."""
    if isinstance(schema, Mapping):
        return dict(schema)
    name = schema.__name__.removesuffix("Schema")
    if name not in spec.components.schemas:
        spec.components.schema(name, schema=schema)
    return spec.components.get_ref("schema", name)


def _operation(spec: APISpec, endpoint: Endpoint) -> dict[str, Any]:
    headers = ["ETag", "Cache-Control", "Access-Control-Allow-Origin", "Access-Control-Expose-Headers"]
    if endpoint.last_modified:
        headers.append("Last-Modified")
    if endpoint.link:
        headers.append("Link")
    media: dict[str, Any] = {"schema": _schema(spec, endpoint.schema)}
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
    for endpoint in api_endpoints(content):
        spec.path(path=endpoint.path, operations={"get": _operation(spec, endpoint)})
    for tag in TAGS:
        spec.tag({"name": tag.name, "description": tag.description})
    document = spec.to_dict()
    # Public: no operation needs credentials (and none are accepted).
    document["security"] = []
    site_url = seo.site_url(content.current_edition)
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


def _describe_openapi(content: Content, route: Route) -> Iterator[Endpoint]:
    ((endpoint, rule),) = route.rules()
    yield Endpoint(
        route=endpoint,
        path=rule,
        scope="api",
        operation_id="getOpenApi",
        tag="Discovery",
        summary="This API as an OpenAPI 3.1 document",
        description="Every endpoint, parameter, response and header, generated from the schemas that validate "
        "the data files, with the content served now as examples. The same list, for people: "
        f"{HTML_DOCS_PATH}.",
        media_type=route.media_type,
        schema=OpenApiDocumentSchema,
        link=True,
    )


ROUTES = (Route("openapi", "openapi.json", OPENAPI, "api", describe=_describe_openapi),)
