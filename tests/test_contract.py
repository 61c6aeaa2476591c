"""The API contract: every document the API serves, compared with its committed snapshot.

``tests/contract/<dataset>/`` holds, for the shipped data and for the example
edition, one file per URL of the API (the path of the URL): every JSON document
pretty-printed with sorted keys, every calendar (.ics) as served, and
openapi.json. The URLs are the ones the static export finds (every route of the
API blueprint, with every value of its arguments). A difference fails with a
unified diff naming the URL, and says which changes break clients: a field
removed or retyped is "breaking", a new field an "addition".

Bodies only: the content version and ETags depend on the content alone, but
Last-Modified is the files' time on this machine. ``loaded_at`` in status.json
(when the process loaded the content) is replaced by a placeholder.

After an intended change, regenerate the snapshots and commit them with it:

    .venv/bin/python -m pytest tests/test_contract.py --update-contract
"""

from __future__ import annotations

import copy
import difflib
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient

from tests.conftest import EXAMPLE_DATA, PROJECT_ROOT, SHIPPED_DATA, build_app
from workshop.catalogue import api_urls
from workshop.store import get_content

CONTRACT_DIR = Path(__file__).resolve().parent / "contract"
UPDATE_COMMAND = "python -m pytest tests/test_contract.py --update-contract"
DATASETS = {"shipped": SHIPPED_DATA, "example": EXAMPLE_DATA}
# Values that tell a moment rather than the content: the same placeholder in every snapshot.
VARYING_FIELDS = {"status.json": ("loaded_at",)}
VARIES = "<varies: not part of the contract>"
NOT_SNAPSHOTS = {".gitattributes"}
MAX_DIFF_LINES = 120


# --- What the API serves ------------------------------------------------------------------


def render_json(payload: Any) -> str:
    return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def snapshot_text(url: str, body: bytes) -> str:
    """The snapshot of a response body: JSON pretty-printed with sorted keys, anything else as served."""
    if not url.endswith(".json"):
        return body.decode("utf-8")
    payload = json.loads(body)
    for name in VARYING_FIELDS.get(url.rsplit("/", 1)[-1], ()):
        payload[name] = VARIES
    return render_json(payload)


def served_documents(app: Flask) -> dict[str, str]:
    """URL -> snapshot text of every document of the API."""
    with app.app_context():
        content = get_content()
    with app.test_request_context():
        urls = sorted({url_for(endpoint, **values) for endpoint, values in api_urls(content)})
    client = app.test_client()
    served = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        served[url] = snapshot_text(url, response.data)
    return served


def app_for(dataset: str) -> Flask:
    return build_app(DATASETS[dataset])


# --- Snapshots ------------------------------------------------------------------------------


def read_snapshots(directory: Path) -> dict[str, str]:
    # Bytes, not read_text(): calendars end their lines in CRLF, and that is part of the contract.
    return {
        "/" + path.relative_to(directory).as_posix(): path.read_bytes().decode("utf-8")
        for path in sorted(directory.rglob("*"))
        if path.is_file() and path.name not in NOT_SNAPSHOTS
    }


def write_snapshots(directory: Path, served: dict[str, str]) -> None:
    """Make ``directory`` hold exactly the snapshots of ``served``."""
    for url in read_snapshots(directory) if directory.is_dir() else {}:
        if url not in served:
            (directory / url.lstrip("/")).unlink()
    for url, text in served.items():
        path = directory / url.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_bytes() != text.encode("utf-8"):
            path.write_bytes(text.encode("utf-8"))
    for folder in sorted((p for p in directory.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()


# --- Classifying a difference -----------------------------------------------------------------


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def shape(document: Any) -> dict[str, set[str]]:
    """Every field path of a JSON document (list items as "[]") -> the JSON types found there."""
    types: dict[str, set[str]] = defaultdict(set)

    def walk(value: Any, path: str) -> None:
        types[path].add(json_type(value))
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}")
        elif isinstance(value, list):
            for item in value:
                walk(item, f"{path}[]")

    walk(document, "$")
    return types


def parent_of(path: str) -> str:
    return path.removesuffix("[]") if path.endswith("[]") else path.rsplit(".", 1)[0]


def classify(before: Any, after: Any) -> list[str]:
    """What a change of a JSON document does to a client: breaking changes first, then additions.

    A field is removed when an object that had it no longer does (a list that became
    empty is content, not a removal); retyped when its JSON type changes.
    """
    old, new = shape(before), shape(after)
    breaking, additions = [], []
    for path in sorted(old):
        if path not in new:
            parent = parent_of(path)
            if path != parent and "object" in new.get(parent, set()):
                breaking.append(f"breaking: {path} removed")
            continue
        old_types, new_types = old[path] - {"null"}, new[path] - {"null"}
        if old_types and new_types and not new_types <= old_types:
            breaking.append(
                f"breaking: {path} retyped ({'|'.join(sorted(old_types))} -> {'|'.join(sorted(new_types))})"
            )
        elif "null" in new[path] and "null" not in old[path]:
            breaking.append(f"breaking unless documented as nullable: {path} is now null")
    for path in sorted(new):
        if path not in old and parent_of(path) in old:
            additions.append(f"addition: {path}")
    return breaking + additions


def contract_difference(url: str, snapshot: str | None, served: str | None) -> str | None:
    """None when ``url`` serves its snapshot; else what changed, for a person: classification and diff."""
    if snapshot == served:
        return None
    if snapshot is None:
        return f"{url}: addition: a new URL, without a snapshot yet"
    if served is None:
        return f"{url}: breaking: no longer served (its snapshot exists)"
    lines = [f"{url} differs from its snapshot:"]
    if url.endswith(".json"):
        changes = classify(json.loads(snapshot), json.loads(served))
        lines += [f"  {change}" for change in changes] or ["  no field removed, retyped or added: the content changed"]
    diff = list(
        difflib.unified_diff(
            snapshot.splitlines(), served.splitlines(), f"snapshot {url}", f"served {url}", lineterm=""
        )
    )
    if len(diff) > MAX_DIFF_LINES:
        diff = [*diff[:MAX_DIFF_LINES], f"... ({len(diff) - MAX_DIFF_LINES} more lines of diff)"]
    return "\n".join(lines + diff)


# --- The contract ---------------------------------------------------------------------------


@pytest.mark.parametrize("dataset", DATASETS)
def test_every_api_document_matches_its_committed_snapshot(dataset: str, request: pytest.FixtureRequest) -> None:
    served = served_documents(app_for(dataset))
    directory = CONTRACT_DIR / dataset
    if request.config.getoption("--update-contract"):
        write_snapshots(directory, served)
    snapshots = read_snapshots(directory) if directory.is_dir() else {}
    differences = [
        difference
        for url in sorted(served.keys() | snapshots.keys())
        if (difference := contract_difference(url, snapshots.get(url), served.get(url))) is not None
    ]
    assert not differences, (
        "\n\n".join(differences)
        + f"\n\nThe API changed ({dataset} data). If that is intended, regenerate the snapshots "
        f"and commit them with the change: {UPDATE_COMMAND}"
    )


def test_every_kind_of_document_is_under_contract() -> None:
    urls = read_snapshots(CONTRACT_DIR / "example")
    for url in [
        "/api/v1/index.json",
        "/api/v1/status.json",
        "/api/v1/openapi.json",
        "/api/v1/editions/example/site.json",
        "/api/v1/dates.ics",
        "/api/v1/editions/example/schedule.json",
        "/api/v1/editions/example/feed.json",
    ]:
        assert url in urls, url
    assert any("/sessions/" in url for url in urls)
    assert any("/dates/" in url for url in urls)
    assert urls["/api/v1/dates.ics"].startswith("BEGIN:VCALENDAR\r\n")
    assert json.loads(urls["/api/v1/status.json"])["loaded_at"] == VARIES


def test_a_removed_or_retyped_field_is_reported_as_breaking(client: FlaskClient) -> None:
    url = "/api/v1/editions/icml2023/dates.json"
    before = json.loads(client.get(url).data)
    after = copy.deepcopy(before)
    for item in after["data"]["items"]:
        del item["title"]
    after["data"]["timezone"] = -12
    after["data"]["deadline_count"] = 3

    message = contract_difference(url, render_json(before), render_json(after))
    assert message is not None
    assert message.startswith(f"{url} differs from its snapshot:")
    assert "breaking: $.data.items[].title removed" in message
    assert "breaking: $.data.timezone retyped (string -> integer)" in message
    assert "addition: $.data.deadline_count" in message
    assert f"--- snapshot {url}" in message and f"+++ served {url}" in message
    assert '-        "title": "Submission deadline"' in message


def test_a_content_change_or_a_new_field_alone_is_not_breaking(client: FlaskClient) -> None:
    url = "/api/v1/editions/icml2023/dates.json"
    before = json.loads(client.get(url).data)
    moved = copy.deepcopy(before)
    moved["data"]["items"][0]["title"] = "Extended submission deadline"
    message = contract_difference(url, render_json(before), render_json(moved))
    assert message is not None and "breaking" not in message
    assert "the content changed" in message
    # A list that became empty is content too, not a removed field.
    emptied = copy.deepcopy(before)
    emptied["data"]["items"] = []
    assert "breaking" not in (contract_difference(url, render_json(before), render_json(emptied)) or "")
    # A URL that disappears breaks its clients.
    assert "breaking" in (contract_difference(url, render_json(before), None) or "")


def test_the_update_option_rewrites_the_snapshots_and_drops_stale_ones(tmp_path: Path) -> None:
    write_snapshots(tmp_path, {"/api/v1/a.json": "{}\n", "/api/v1/editions/x/b.ics": "BEGIN:VCALENDAR\r\n"})
    assert read_snapshots(tmp_path) == {"/api/v1/a.json": "{}\n", "/api/v1/editions/x/b.ics": "BEGIN:VCALENDAR\r\n"}
    write_snapshots(tmp_path, {"/api/v1/a.json": '{"b": 1}\n'})
    assert read_snapshots(tmp_path) == {"/api/v1/a.json": '{"b": 1}\n'}
    assert not (tmp_path / "api" / "v1" / "editions").exists()


def test_ci_refuses_to_rewrite_the_snapshots(tmp_path: Path) -> None:
    """A snapshot test could always pass in CI if CI rewrote the snapshots first."""
    before = read_snapshots(CONTRACT_DIR / "shipped")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/test_contract.py",
            "--update-contract",
            "-q",
            "-p",
            "no:cacheprovider",
            "-k",
            "not ci_refuses",
        ],
        cwd=PROJECT_ROOT,
        env={**os.environ, "CI": "true"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode != 0
    assert "refused in CI" in result.stdout + result.stderr
    assert read_snapshots(CONTRACT_DIR / "shipped") == before
