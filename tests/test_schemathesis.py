"""schemathesis against /api/v1/openapi.json: every operation, every check, for the shipped data and the example.

schemathesis reads the OpenAPI document from the app (in process, through WSGI),
generates requests from it (the document's examples, then boundary and invalid
values of every parameter, unlisted methods, then random values) and checks
every response against the document: status codes, content types, headers,
body schemas, problem documents for invalid input, 405 with Allow. A failure
prints the request as a curl command.

The run is bounded and reproducible: a fixed number of examples per operation,
derandomized, no example database.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.core.failures import FailureGroup

from tests.conftest import EXAMPLE_DATA, build_app
from workshop import documents

OPENAPI_URL = "/api/v1/openapi.json"
SHIPPED = build_app()
EXAMPLE = build_app(EXAMPLE_DATA)
shipped_data = schemathesis.openapi.from_wsgi(OPENAPI_URL, SHIPPED)
example_edition = schemathesis.openapi.from_wsgi(OPENAPI_URL, EXAMPLE)

# Every check this version of schemathesis has (what `--checks all` runs).
load_all_checks()
ALL_CHECKS = [check for check in CHECKS.get_all() if not isinstance(check, type)]
# schemathesis hands the body to the checks as the WSGI app sent it, without undoing a
# Content-Encoding, yet sends requests' default "Accept-Encoding: gzip": ask for the plain
# body, as an HTTP client would decode it. (tests/test_fastpath.py covers gzip.)
PLAIN = {"Accept-Encoding": "identity"}


@settings(max_examples=50, deadline=None, derandomize=True, database=None)
def conforms(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=ALL_CHECKS, headers=PLAIN)


test_shipped_data_conforms_to_the_document = shipped_data.parametrize()(conforms)
test_example_edition_conforms_to_the_document = example_edition.parametrize()(conforms)


def test_every_check_of_schemathesis_runs() -> None:
    names = {check.__name__ for check in ALL_CHECKS}
    assert {
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "positive_data_acceptance",
        "missing_required_header",
        "unsupported_method",
        "allow_header_conformance",
        "use_after_free",
        "ensure_resource_availability",
        "ignored_auth",
        "object_level_authorization",
    } <= names


def test_the_document_is_valid_openapi_3_1() -> None:
    for schema in (shipped_data, example_edition):
        schema.validate()  # against the OpenAPI 3.1 meta-schema schemathesis ships
        assert schema.raw_schema["openapi"] == "3.1.0"


def test_a_served_document_that_breaks_its_schema_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The run is not vacuous: a field missing from a document fails it, naming the field."""
    build = documents.resource_payload

    def without_content_version(*args: Any, **kwargs: Any) -> dict[str, Any]:
        payload = build(*args, **kwargs)
        del payload["content_version"]
        return payload

    monkeypatch.setattr(documents, "resource_payload", without_content_version)
    app = build_app()
    schema = schemathesis.openapi.from_dict(shipped_data.raw_schema)
    case = schema["/api/v1/topics.json"]["GET"].Case()
    with pytest.raises(FailureGroup, match="content_version"):
        case.call_and_validate(app=app, checks=ALL_CHECKS, headers=PLAIN)
