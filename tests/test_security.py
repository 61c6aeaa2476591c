"""Hardening: what an attacker, a careless proxy or a hostile data file can and cannot do.

- every response carries the security headers; HSTS only over HTTPS, and a proxy's
  X-Forwarded-Proto is believed only when PROXY_FIX says how many proxies there are;
- the site is read-only: no method but GET, HEAD and OPTIONS does anything;
- gunicorn refuses oversized request lines and headers and keeps serving;
- production runs without debugger or reloader, and an error never shows a trace, a
  server path or the exception's text;
- text from the data files is shown as text: script tags, event handlers and
  ``javascript:`` URLs in every text and Markdown field leave the page inert.
"""

from __future__ import annotations

import hashlib
import json
import runpy
import shutil
import socket
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from gunicorn.config import Config
from marshmallow import Schema, fields, validate
from playwright.sync_api import Browser
from werkzeug.debug import DebuggedApplication
from werkzeug.test import TestResponse

from tests.conftest import EXAMPLE_DATA, EXAMPLE_EDITION, PROJECT_ROOT, SHIPPED_DATA, LiveServer, build_app
from tests.dom import Element, parse_html
from tests.test_server import gunicorn, wait_until_serving
from workshop import create_app, documents
from workshop.content import (
    DATA_SUFFIX,
    EDITIONS_FILE,
    ContentError,
    format_field,
    load_content,
    parse_yaml,
    section_key,
)
from workshop.datafields import Link, Markdown
from workshop.fieldref import field_rows
from workshop.schemas import RESOURCE_SCHEMAS, EditionsSchema
from workshop.staticfiles import versioned_prefix
from workshop.uistrings import ENGLISH, placeholders

# --- Security headers ----------------------------------------------------------------------

# Where the site's own files are (workshop/staticfiles.py).
SITE_STATIC = versioned_prefix(PROJECT_ROOT / "static")
HSTS = "Strict-Transport-Security"


def assert_hardened(headers: Any, where: str) -> None:
    """The headers every response of the site carries (over plain HTTP: no HSTS)."""
    csp = headers.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert directives.get("default-src") == ["'none'"], f"{where}: CSP {csp!r}"
    assert directives.get("script-src") == ["'self'"], f"{where}: CSP {csp!r}"
    assert directives.get("frame-ancestors") == ["'none'"], f"{where}: CSP {csp!r}"
    assert directives.get("base-uri") == ["'none'"], f"{where}: CSP {csp!r}"
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, f"{where}: CSP {csp!r}"
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", where
    permissions = headers.get("Permissions-Policy", "")
    assert {"camera=()", "microphone=()", "geolocation=()"} <= set(permissions.replace(" ", "").split(",")), where
    assert headers.get("Cross-Origin-Opener-Policy") == "same-origin", where
    assert HSTS not in headers, f"{where}: HSTS over plain HTTP"


# Every kind of document and file the site serves: pages, robots.txt, API documents, status, a calendar,
# static files.
SERVED_URLS = [
    "/",
    "/icml2023/",
    "/robots.txt",
    "/api/v1/index.json",
    "/api/v1/site.json",
    "/api/v1/editions/icml2023/topics.json",
    "/api/v1/status.json",
    "/api/v1/dates.ics",
    "/static/css/site.css",
    "/static/js/main.js",
    "/static/favicon.svg",
]


def test_every_kind_of_response_carries_the_security_headers(client: Any) -> None:
    # Twice: the first answer comes from Flask, the second from the fast path's memory.
    for attempt in ("first", "replayed"):
        for url in SERVED_URLS:
            response = client.get(url)
            assert response.status_code == 200, url
            assert_hardened(response.headers, f"{attempt} GET {url}")
            head = client.head(url)
            assert head.status_code == 200 and head.data == b"", url
            assert_hardened(head.headers, f"{attempt} HEAD {url}")
            not_modified = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
            assert not_modified.status_code == 304, url
            assert_hardened(not_modified.headers, f"{attempt} 304 {url}")
    errors: list[tuple[str, str, dict[str, str], int]] = [
        ("GET", "/no-such-edition/", {}, 404),
        ("GET", "/api/v1/talks.json", {}, 404),
        ("GET", "/static/no-such-file.css", {}, 404),
        ("POST", "/", {}, 405),
        ("DELETE", "/api/v1/site.json", {}, 405),
        ("GET", "/api/v1/site.json", {"Accept": "image/png"}, 406),
    ]
    for method, url, headers, status in errors:
        response = client.open(url, method=method, headers=headers)
        assert response.status_code == status, (method, url)
        assert_hardened(response.headers, f"{status} {method} {url}")
    preflight = client.options(
        "/api/v1/site.json", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"}
    )
    assert preflight.status_code == 200
    assert_hardened(preflight.headers, "OPTIONS preflight")


def hsts_of(client: Any, url: str = "/", **kwargs: Any) -> str | None:
    response = client.get(url, **kwargs)
    assert response.status_code == 200
    return response.headers.get(HSTS)


def test_hsts_is_sent_over_https_only() -> None:
    client = build_app().test_client()
    # Served over HTTPS directly: HSTS, on the first answer and on the fast path's replays.
    for _ in range(2):
        assert hsts_of(client, base_url="https://localhost") == "max-age=31536000; includeSubDomains"
        # The same URL over plain HTTP right after: never the HTTPS answer's HSTS.
        assert hsts_of(client) is None


def test_a_spoofed_forwarded_proto_is_ignored_by_default() -> None:
    app = build_app()
    assert app.config["PROXY_FIX"] == 0
    client = app.test_client()
    for _ in range(2):
        assert hsts_of(client, headers={"X-Forwarded-Proto": "https"}) is None
        assert hsts_of(client, "/api/v1/site.json", headers={"X-Forwarded-Proto": "https"}) is None


def test_behind_one_proxy_its_forwarded_proto_gives_hsts() -> None:
    client = build_app(PROXY_FIX=1).test_client()
    for _ in range(2):
        assert hsts_of(client, headers={"X-Forwarded-Proto": "https"}) == "max-age=31536000; includeSubDomains"
        assert hsts_of(client, "/api/v1/site.json", headers={"X-Forwarded-Proto": "https"})
        # A plain request through the same proxy gets none, even right after an HTTPS one.
        assert hsts_of(client, headers={"X-Forwarded-Proto": "http"}) is None
        assert hsts_of(client) is None


def test_proxy_fix_is_a_number_of_proxies() -> None:
    with pytest.raises(ValueError, match="PROXY_FIX"):
        build_app(PROXY_FIX=-1)


def _get(url: str, headers: dict[str, str]) -> Any:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=5) as response:
        response.read()
        return response.headers


def test_gunicorn_believes_x_forwarded_proto_only_with_proxy_fix(tmp_path: Path) -> None:
    """gunicorn alone would believe X-Forwarded-Proto from 127.0.0.1: the project's config turns that off."""
    https = {"X-Forwarded-Proto": "https"}
    env = {"GUNICORN_WORKERS": "1"}
    with gunicorn(env, tmp_path / "default.log") as (process, base_url):
        wait_until_serving(f"{base_url}/", process)
        for url in ("/", "/api/v1/site.json", "/", "/api/v1/site.json"):
            assert HSTS not in _get(f"{base_url}{url}", https), url
    with gunicorn({**env, "WORKSHOP_PROXY_FIX": "1"}, tmp_path / "proxied.log") as (process, base_url):
        wait_until_serving(f"{base_url}/", process)
        for url in ("/", "/api/v1/site.json", "/", "/api/v1/site.json"):
            assert _get(f"{base_url}{url}", https)[HSTS] == "max-age=31536000; includeSubDomains", url
            assert HSTS not in _get(f"{base_url}{url}", {}), url


# --- Read-only -------------------------------------------------------------------------------

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_only_get_head_and_options_are_answered_and_nothing_changes(
    data_dir: Path, make_app: Callable[..., Flask]
) -> None:
    app = make_app(data_dir)
    client = app.test_client()
    unknown = ["/no-such-page", "/no-such-edition/", "/api/v1/talks.json", "/api/v2/site.json", "/static/evil.js"]
    etags = {url: client.get(url).headers["ETag"] for url in SERVED_URLS}
    data_before, static_before = tree_digest(data_dir), tree_digest(PROJECT_ROOT / "static")
    hostile_body = json.dumps({"title": "Hacked", "items": [{"id": "hacked", "title": "Hacked"}]})
    for method in WRITE_METHODS:
        for url in SERVED_URLS:
            response = client.open(url, method=method, data=hostile_body, content_type="application/json")
            assert response.status_code == 405, (method, url)
            allowed = {method.strip() for method in response.headers["Allow"].split(",")}
            assert allowed == {"GET", "HEAD", "OPTIONS"}, (method, url)
        for url in unknown:
            response = client.open(url, method=method, data=hostile_body, content_type="application/json")
            assert response.status_code in (404, 405), (method, url)
    assert tree_digest(data_dir) == data_before
    assert tree_digest(PROJECT_ROOT / "static") == static_before
    for url in SERVED_URLS:
        response = client.get(url)
        assert response.headers["ETag"] == etags[url], f"{url} changed"
        assert b"Hacked" not in response.data
    assert not (PROJECT_ROOT / "static" / "evil.js").exists()


# --- Request limits (gunicorn) ------------------------------------------------------------


def worker_pids(master: int) -> set[int]:
    """The gunicorn master's children, from /proc."""
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields_after_name = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields_after_name[1]) == master:
            children.add(int(stat.parent.name))
    return children


def raw_status(port: int, request: bytes) -> int:
    """Send raw bytes, return the status code of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while b"\r\n" not in answer:
            chunk = connection.recv(4096)
            if not chunk:
                break
            answer += chunk
    status_line = answer.split(b"\r\n", 1)[0].decode("latin-1")
    assert status_line.startswith("HTTP/1."), f"no HTTP answer: {answer[:200]!r}"
    return int(status_line.split()[1])


def test_gunicorn_refuses_oversized_requests_and_keeps_serving(tmp_path: Path) -> None:
    settings = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    assert settings["limit_request_line"] <= 8190
    assert settings["limit_request_field_size"] <= 8190
    with gunicorn({"GUNICORN_WORKERS": "1"}, tmp_path / "gunicorn.log") as (process, base_url):
        wait_until_serving(f"{base_url}/", process)
        port = int(base_url.rsplit(":", 1)[1])
        workers = worker_pids(process.pid)
        assert len(workers) == 1
        long_line = b"GET /" + b"a" * 8192 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        big_header = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 16384 + b"\r\n\r\n"
        many_headers = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"".join(
            b"X-Header-%d: x\r\n" % index for index in range(100)
        )
        for name, request in [("8 KB request line", long_line), ("16 KB header", big_header)]:
            assert raw_status(port, request) in (400, 414, 431), name
        assert raw_status(port, many_headers + b"\r\n") in (400, 431), "100 headers"
        # The same worker answers the next ordinary request.
        with urllib.request.urlopen(f"{base_url}/api/v1/topics.json", timeout=5) as response:
            assert response.status == 200
            assert json.load(response)["resource"] == "topics"
        assert worker_pids(process.pid) == workers
        assert process.poll() is None


# --- No debug, no leaks -----------------------------------------------------------------------


def test_production_config_runs_without_debugger_or_reloader(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    config = Config()
    for name, value in settings.items():
        if name in config.settings:
            config.set(name, value)
    assert config.reload is False
    assert config.spew is False
    assert config.loglevel != "debug"
    for name in ("FLASK_DEBUG", "WORKSHOP_DEBUG", "WORKSHOP_TESTING"):
        monkeypatch.delenv(name, raising=False)
    app = create_app()
    assert app.debug is False
    assert app.config["DEBUG"] is False
    assert app.config["PROPAGATE_EXCEPTIONS"] is False
    layer: Any = app.wsgi_app
    while layer is not None:
        assert not isinstance(layer, DebuggedApplication)
        layer = getattr(layer, "wsgi_app", None) or getattr(layer, "app", None)
    app.extensions["workshop.store"].stop_watching()
    # `make run` serves with this config; only `make dev` has Flask's debugger.
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    run_recipe = makefile.split("\nrun:", 1)[1].split("\n\n")[0]
    assert run_recipe.rstrip().endswith("gunicorn --config gunicorn.conf.py"), "the config picks the app to serve"
    assert config.wsgi_app == "app:asgi_app"


@pytest.mark.parametrize(
    ("url", "view_function", "mimetype"),
    [
        ("/api/v1/topics.json", "resource_payload", "application/problem+json"),
        ("/api/v1/editions/icml2023/site.json", "resource_payload", "application/problem+json"),
        ("/", "page_html", "text/html"),
        ("/icml2023/", "page_html", "text/html"),
    ],
)
def test_a_failing_view_answers_500_without_trace_path_or_message(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, url: str, view_function: str, mimetype: str
) -> None:
    secret = PROJECT_ROOT / "data" / "icml2023" / "site.yaml"
    message = f"[Errno 13] Permission denied: '{secret}'"

    def explode(*args: object, **kwargs: object) -> None:
        raise PermissionError(message)

    monkeypatch.setattr(documents, view_function, explode)
    # The production settings: no TESTING, no DEBUG.
    client = create_app({"CONTENT_RELOAD": False}).test_client()
    response: TestResponse = client.get(url)
    assert response.status_code == 500
    assert response.mimetype == mimetype
    body = response.get_data(as_text=True)
    for leak in ("Traceback", 'File "', str(secret), str(PROJECT_ROOT), "Permission denied", "PermissionError"):
        assert leak not in body, f"{leak!r} leaked into the 500 body"
    assert response.headers["Cache-Control"] == "no-store"
    assert_hardened(response.headers, f"500 {url}")
    if mimetype == "application/problem+json":
        assert response.json == {
            "type": "about:blank",
            "title": "Internal Server Error",
            "status": 500,
            "detail": "The server failed to answer this request; it has been logged.",
        }
    else:
        assert "Internal Server Error" in body
    # The operator gets the whole story in the server's log.
    assert message in caplog.text
    assert "Traceback" in caplog.text


# --- Hostile data files -------------------------------------------------------------------

TEMPLATE_PROBE = "{{ 7*7 }}"
HOSTILE_HTML = (
    "<script>alert(1)</script> <img src=x onerror=alert(1)> <svg onload=alert(1)> "
    '<a href="javascript:alert(1)">link</a> <iframe src="data:text/html,<script>alert(1)</script>"></iframe> '
    "\"><script>alert(1)</script> ' onmouseover='alert(1)' </textarea></title></style>--> {{ 7*7 }}"
)
HOSTILE_MARKDOWN = (
    f"{HOSTILE_HTML}\n\n"
    "[a link](javascript:alert(1)) [another](JaVaScRiPt:alert(1)) [encoded](&#106;avascript:alert(1)) "
    "[data](data:text/html,<script>alert(1)</script>) ![image](javascript:alert(1)) "
    "<javascript:alert(1)> <data:text/html,alert(1)> "
    '[title](https://example.org "\\" onmouseover=\\"alert(1)")\n\n'
    "<script>\nalert(1)\n</script>\n\n"
    '<div onclick="alert(1)">raw html block</div>\n\n'
)
TEXT_LENGTH = 2000  # Text fields' limit
MARKDOWN_LENGTH = 50_000  # Markdown fields have none
HOSTILE_URLS = ("javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "JavaScript:alert(document.domain)")
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data", "cite"})
EDITIONS = ("icml2023", EXAMPLE_EDITION)


def padded(text: str, length: int) -> str:
    """``text`` repeated up to exactly ``length`` characters, ending in a visible one (the loader strips Markdown)."""
    long = (text * (length // len(text) + 1))[: length - 1].rstrip()
    return long + "x" * (length - len(long))


def field_kind(field: fields.Field) -> str | None:
    """'markdown', 'url' or 'text' (free text: the schemas' Text fields), else None."""
    if isinstance(field, Markdown):
        return "markdown"
    if isinstance(field, fields.Url | Link):
        return "url"
    if isinstance(field, fields.String) and any(isinstance(check, validate.Length) for check in field.validators):
        return "text"
    return None


def schema_fields(schema: Schema, prefix: str = "") -> Iterator[tuple[str, fields.Field]]:
    """Every field an organizer may write, spelled as in the field reference (items[].title)."""
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        path = f"{prefix}{name}"
        yield path, field
        target = field.inner if isinstance(field, fields.List) else field
        if isinstance(target, fields.Nested):
            yield from schema_fields(target.schema, f"{path}[]." if isinstance(field, fields.List) else f"{path}.")


def reference_path(path: tuple[str | int, ...]) -> str:
    """("speakers", 0, "name") -> "speakers[].name", the field reference's spelling."""
    text = ""
    for part in path:
        text += "[]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


Write = tuple[str, str, tuple[str | int, ...], str, str]  # file, resource, path, kind, value


def fill(schema: Schema, data: dict[str, Any], path: tuple[str | int, ...], value_for: Callable[..., str]) -> None:
    """Put ``value_for(path, kind)`` into every text, Markdown and URL field of ``data``, present or not."""
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        kind = field_kind(field)
        if kind is not None:
            data[name] = value_for((*path, name), kind)
        elif isinstance(field, fields.Nested) and isinstance(data.get(name), dict):
            fill(field.schema, data[name], (*path, name), value_for)
        elif isinstance(field, fields.List) and isinstance(field.inner, fields.Nested):
            for index, item in enumerate(data.get(name) or ()):
                fill(field.inner.schema, item, (*path, name, index), value_for)


def hostile_wording(name: str, label: str) -> str:
    """Hostile text for site.yaml's wording ``name``: it keeps its placeholders (else it is refused), the
    template probe once, whole (padding could cut a brace in two)."""
    kept = " ".join("{" + placeholder + "}" for placeholder in sorted(placeholders(ENGLISH[name])))
    prefix = f"{TEMPLATE_PROBE} {kept} "
    return prefix + padded(f"{label} {HOSTILE_HTML.replace(TEMPLATE_PROBE, '')} ", TEXT_LENGTH - len(prefix))


def make_hostile_copy(target: Path, url: Callable[[str], str]) -> list[Write]:
    """The shipped data plus the example edition (which uses every field), in ``target``,
    with hostile text in every text and Markdown field and ``url(label)`` in every URL field."""
    shutil.copytree(SHIPPED_DATA, target)
    shutil.copytree(EXAMPLE_DATA / EXAMPLE_EDITION, target / EXAMPLE_EDITION)
    writes: list[Write] = []
    files = [(target / EDITIONS_FILE, "editions", EditionsSchema())]
    for edition in EDITIONS:
        files += [
            (target / edition / f"{resource}{DATA_SUFFIX}", resource, schema())
            for resource, schema in RESOURCE_SCHEMAS.items()
            if (target / edition / f"{resource}{DATA_SUFFIX}").exists()  # venue.yaml, sponsors.yaml may be left out
        ]
    for path, resource, schema in files:
        data = parse_yaml(path.read_text(encoding="utf-8")).data
        file_name = f"{target.name}/{path.relative_to(target).as_posix()}"

        def value_for(field_path: tuple[str | int, ...], kind: str, file_name: str = file_name) -> str:
            label = f"{file_name}:{format_field(field_path)}"
            if kind == "url":
                value = url(label)
            elif kind == "text" and field_path[0] == "wording":
                value = hostile_wording(str(field_path[1]), label)
            elif kind == "text":
                value = padded(f"{label} {HOSTILE_HTML} ", TEXT_LENGTH)
            else:
                value = padded(f"{label} {HOSTILE_MARKDOWN}", MARKDOWN_LENGTH)
            writes.append((file_name, resource, field_path, kind, value))  # noqa: B023 (used at once)
            return value

        fill(schema, data, (), value_for)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**9), encoding="utf-8")
    return _presenters_name_their_authors(target, writes)


def _presenters_name_their_authors(target: Path, writes: list[Write]) -> list[Write]:
    """A session's presenter is one of the paper's authors, written alike: give each the hostile text
    its author got (it is still hostile, and still a payload of its own field)."""

    def load(folder: Path, resource: str) -> dict[str, Any]:
        return yaml.safe_load((folder / f"{resource}{DATA_SUFFIX}").read_text(encoding="utf-8"))

    source, hostile = EXAMPLE_DATA / EXAMPLE_EDITION, target / EXAMPLE_EDITION
    original_papers = {paper["id"]: paper for paper in load(source, "papers")["papers"]}
    hostile_papers = {paper["id"]: paper for paper in load(hostile, "papers")["papers"]}
    program = load(hostile, "program")
    original_sessions = load(source, "program")["sessions"]
    file_name = f"{target.name}/{EXAMPLE_EDITION}/program{DATA_SUFFIX}"
    for index, session in enumerate(program["sessions"]):
        for position, presenter in enumerate(session.get("presenters") or ()):
            written = original_sessions[index]["presenters"][position]["name"]
            authors = [author["name"] for author in original_papers[presenter["paper"]]["authors"]]
            presenter["name"] = hostile_papers[presenter["paper"]]["authors"][authors.index(written)]["name"]
            field_path = ("sessions", index, "presenters", position, "name")
            writes = [write for write in writes if (write[0], write[2]) != (file_name, field_path)]
            writes.append((file_name, "program", field_path, "text", presenter["name"]))
    (hostile / f"program{DATA_SUFFIX}").write_text(
        yaml.safe_dump(program, allow_unicode=True, sort_keys=False, width=10**9), encoding="utf-8"
    )
    return writes


def safe_url(label: str) -> str:
    return f"https://example.org/{hashlib.sha256(label.encode()).hexdigest()[:12]}"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Write]]:
    data_dir = tmp_path_factory.mktemp("hostile") / "data"
    return data_dir, make_hostile_copy(data_dir, safe_url)


@pytest.fixture(scope="module")
def hostile_app(hostile: tuple[Path, list[Write]]) -> Flask:
    return build_app(hostile[0])


def test_every_text_markdown_and_url_field_of_every_file_gets_a_payload(hostile: tuple[Path, list[Write]]) -> None:
    _data_dir, writes = hostile
    written = {(resource, reference_path(path), kind) for _file, resource, path, kind, _value in writes}
    schemas = {"editions": EditionsSchema, **RESOURCE_SCHEMAS}
    for resource, schema_class in schemas.items():
        walked = list(schema_fields(schema_class()))
        # The walk above is the field reference's: same fields, same spelling.
        assert [path for path, _field in walked] == [row[0] for row in field_rows(schema_class())]
        wanted = {(resource, path, kind) for path, field in walked if (kind := field_kind(field)) is not None}
        assert wanted <= written, f"{resource}: no payload in {sorted(wanted - written)}"
    kinds = {kind for *_rest, kind, _value in writes}
    assert kinds == {"text", "markdown", "url"}
    assert all(len(value) == TEXT_LENGTH for *_rest, kind, value in writes if kind == "text")
    assert all(len(value) == MARKDOWN_LENGTH for *_rest, kind, value in writes if kind == "markdown")


@pytest.mark.parametrize("hostile_url", HOSTILE_URLS)
def test_script_and_data_urls_are_refused_by_validation_naming_each_field(tmp_path: Path, hostile_url: str) -> None:
    writes = make_hostile_copy(tmp_path / "data", lambda _label: hostile_url)
    expected = {(file, format_field(path)) for file, _resource, path, kind, _value in writes if kind == "url"}
    assert len(expected) > 10
    with pytest.raises(ContentError) as raised:
        load_content(tmp_path / "data")
    # Exactly the URL fields, each named with its file: the hostile text itself is valid data.
    assert {(problem.file, problem.field) for problem in raised.value.problems} == expected
    assert all("URL" in problem.message and problem.line for problem in raised.value.problems)


def api_values(client: Any, edition: str, resource: str, path: tuple[str | int, ...]) -> list[Any]:
    """The field at ``path`` in the section's own document and in the edition's whole-site document."""
    site = client.get(f"/api/v1/editions/{edition}/site.json").json["data"][section_key(resource)]
    documents = [site]
    if resource != "site":  # site.json is the site section's own document too
        documents.append(client.get(f"/api/v1/editions/{edition}/{resource}.json").json["data"])
    values = []
    for document in documents:
        value = document
        for part in path:
            value = value[part]
        values.append(value)
    return values


def assert_inert(html: str, where: str) -> Element:
    """No script of the data's, no event handler, no script or data URL in ``html``."""
    root = parse_html(html)
    for element in root.iter():
        if element is root:
            continue
        for name, value in element.attrs.items():
            assert not name.startswith("on"), f"{where}: <{element.tag} {name}={value!r}>"
            if name in URL_ATTRIBUTES and value:
                scheme = "".join(value.split()).lower()
                assert not scheme.startswith(("javascript:", "data:", "vbscript:")), f"{where}: {name}={value!r}"
        assert element.tag not in {"iframe", "object", "embed", "svg", "base", "form"}, f"{where}: <{element.tag}>"
        if element.tag == "script":
            kind = element.attrs.get("type")
            src = element.attrs.get("src") or ""
            own_module = kind == "module" and src.startswith(f"{SITE_STATIC}/js/") and not element.text().strip()
            json_ld = kind == "application/ld+json" and not src
            # The scripts' texts (workshop/uistrings.py): data, never run, hostile wording escaped inside it.
            texts = kind == "application/json" and element.attrs.get("id") == "ui-words" and not src
            assert own_module or json_ld or texts, f"{where}: a <script> that is not the site's: {element.attrs}"
            if json_ld:
                json.loads(element.text())
    return root


def test_the_api_returns_hostile_text_unchanged_and_markdown_sanitized(
    hostile: tuple[Path, list[Write]], hostile_app: Flask
) -> None:
    _data_dir, writes = hostile
    client = hostile_app.test_client()
    checked = 0
    for file_name, resource, path, kind, value in writes:
        if resource == "editions":
            continue
        edition = file_name.split("/")[1]
        for served in api_values(client, edition, resource, path):
            if kind == "markdown":
                assert served["markdown"] == value, f"{file_name}:{format_field(path)}"
                root = assert_inert(served["html"], f"{file_name}:{format_field(path)} html")
                assert root.find_all("script") == []
                # Shown as text, not dropped.
                assert "<script>alert(1)</script>" in root.text()
            else:
                assert served == value, f"{file_name}:{format_field(path)}"
            checked += 1
    assert checked > 100


def test_the_page_stays_inert_with_hostile_text(hostile_app: Flask) -> None:
    client = hostile_app.test_client()
    for url in [f"/{edition}/" for edition in EDITIONS] + ["/", "/api/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        root = assert_inert(response.get_data(as_text=True), url)
        if url != "/api/":
            scripts = root.find_all("script")
            types = [script.attrs.get("type") for script in scripts]
            assert types == ["application/ld+json", "application/json", "module"], url
            # The payloads are on the page, as text.
            assert "<script>alert(1)</script>" in root.text(skip={"script"}), url
            assert "onerror=alert(1)" in root.text(skip={"script"}), url


@pytest.mark.browser
def test_chromium_runs_nothing_from_the_data(browser: Browser, hostile_app: Flask) -> None:
    dialogs: list[str] = []
    console_errors: list[str] = []
    with LiveServer(hostile_app) as server:
        context = browser.new_context(locale="en-US")
        page = context.new_page()
        page.add_init_script(
            "window.__violations = [];"
            "document.addEventListener('securitypolicyviolation',"
            " (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
        )

        def on_dialog(dialog: Any) -> None:
            dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
        page.on("pageerror", lambda error: console_errors.append(str(error)))
        for edition in EDITIONS:
            page.goto(f"{server.url}/{edition}/")
            page.wait_for_load_state("networkidle")
            # The module ran (it marks the dates it enhanced) over the hostile text.
            assert page.locator("#dates[data-enhanced=true]").count() == 1
            page.wait_for_timeout(300)
            assert_inert(page.content(), f"/{edition}/ after scripts ran")
            assert page.evaluate("window.__violations") == [], edition
        context.close()
    assert dialogs == []
    assert console_errors == []
