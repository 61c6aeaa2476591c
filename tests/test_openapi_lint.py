"""/api/v1/openapi.json through the linters clients' tooling trusts: Redocly CLI and Spectral, offline.

Both are pinned in package-lock.json and read the rulesets committed at the project's root
(``redocly.yaml``: Redocly's recommended rules; ``.spectral.yaml``: ``spectral:oas``). They run
offline: telemetry and update checks are turned off, and ``tests/node_offline.cjs`` makes any
connection they still try fail at once and say so, which fails the test.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLE_DATA, PROJECT_ROOT, build_app

NODE_BIN = PROJECT_ROOT / "node_modules" / ".bin"
OFFLINE_GUARD = Path(__file__).resolve().parent / "node_offline.cjs"
BLOCKED = "NETWORK ATTEMPT BLOCKED"
# A linter that hangs (e.g. on a network it should not use) fails well before the test run does.
TIMEOUT = 120


def offline_environment() -> dict[str, str]:
    return {
        **os.environ,
        "NODE_OPTIONS": f"--require {OFFLINE_GUARD}",
        "REDOCLY_TELEMETRY": "off",
        "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
        "NO_UPDATE_NOTIFIER": "1",
    }


def run_offline(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        command, cwd=cwd, env=offline_environment(), capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    assert BLOCKED not in done.stdout + done.stderr, f"{command[0]} tried the network:\n{done.stderr}"
    return done


def redocly_lint(document: Path) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    """Redocly CLI's verdict on ``document``: the process, and its JSON report."""
    config = PROJECT_ROOT / "redocly.yaml"
    done = run_offline(
        [str(NODE_BIN / "redocly"), "lint", "--config", str(config), "--format", "json", str(document)],
        document.parent,
    )
    return done, json.loads(done.stdout)


def spectral_lint(document: Path) -> tuple[subprocess.CompletedProcess[str], list[dict[str, Any]]]:
    """Spectral's verdict on ``document``: the process, and its results (written to a file beside it)."""
    results = document.with_suffix(".spectral.json")
    ruleset = PROJECT_ROOT / ".spectral.yaml"
    done = run_offline(
        [
            str(NODE_BIN / "spectral"),
            "lint",
            "--ruleset",
            str(ruleset),
            "--format",
            "json",
            "--output",
            str(results),
            str(document),
        ],
        document.parent,
    )
    return done, json.loads(results.read_text(encoding="utf-8"))


@pytest.fixture(params=["shipped", "example"])
def served_document(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """openapi.json as served (the shipped data, and the example edition), written to a file."""
    app = build_app(EXAMPLE_DATA if request.param == "example" else None)
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    path = tmp_path / "openapi.json"
    path.write_bytes(response.data)
    return path


def test_redocly_recommended_rules_find_no_problem(served_document: Path) -> None:
    done, report = redocly_lint(served_document)
    problems = [f"{p['severity']} {p['ruleId']}: {p['message']} at {p['location']}" for p in report["problems"]]
    assert report["totals"]["errors"] == 0, "\n".join(problems)
    assert report["totals"]["warnings"] == 0, "\n".join(problems)
    assert done.returncode == 0, done.stderr


def test_spectral_oas_rules_find_no_problem(served_document: Path) -> None:
    done, results = spectral_lint(served_document)
    # Spectral's severities: 0 error, 1 warning, 2 information, 3 hint.
    problems = [f"{r['severity']} {r['code']}: {r['message']} at {'.'.join(map(str, r['path']))}" for r in results]
    assert [r for r in results if r["severity"] == 0] == [], "\n".join(problems)
    assert [r for r in results if r["severity"] == 1] == [], "\n".join(problems)
    assert done.returncode == 0, done.stderr


def test_the_linters_see_a_broken_document(tmp_path: Path) -> None:
    """Not vacuous: a path parameter the operation does not declare is an error for both."""
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Broken", "version": "1"},
        "paths": {"/x/{id}.json": {"get": {"operationId": "getX", "responses": {"200": {"description": "X"}}}}},
    }
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    redocly, report = redocly_lint(path)
    assert report["totals"]["errors"] > 0
    assert redocly.returncode != 0
    spectral, results = spectral_lint(path)
    assert [r for r in results if r["severity"] == 0]
    assert spectral.returncode != 0


def test_the_offline_guard_stops_a_connection_at_once() -> None:
    """The guard the linters run under really cuts the network, and says so."""
    script = "fetch('https://registry.npmjs.org/').then(() => process.exit(0), () => process.exit(3));"
    done = subprocess.run(
        ["node", "-e", script], env=offline_environment(), capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 3
    assert f"{BLOCKED}: connect registry.npmjs.org:443" in done.stderr
