"""Every kind of page is valid HTML, as the Nu HTML Checker (vnu.jar, from npm) sees it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_DATA, PROJECT_ROOT, build_app

VNU_JAR = PROJECT_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def rendered_pages() -> dict[str, bytes]:
    """The shipped page, the example edition's page (every feature), a paper's page and the 404 page."""
    shipped = build_app().test_client()
    example = build_app(EXAMPLE_DATA).test_client()
    pages = {
        "shipped.html": shipped.get("/"),
        "example.html": example.get("/"),
        "paper.html": example.get("/example/papers/fast-emulators/"),
        "not-found.html": shipped.get("/no/such/page"),
    }
    assert [response.status_code for response in pages.values()] == [200, 200, 200, 404]
    return {name: response.data for name, response in pages.items()}


def readable(messages: list[dict]) -> str:
    return "\n".join(
        f"{Path(message.get('url', '?')).name}:{message.get('lastLine', '?')}:{message.get('firstColumn', '?')}: "
        f"{message.get('message')}\n    {message.get('extract', '').strip()!r}"
        for message in messages
    )


def test_pages_are_valid_html(tmp_path: Path) -> None:
    java = shutil.which("java")
    if java is None:
        pytest.fail("No Java runtime: install Debian's default-jre-headless (.ci/run does).")
    if not VNU_JAR.is_file():
        pytest.fail(f"{VNU_JAR} is missing: run `npm ci` (make test does).")
    files = []
    for name, body in rendered_pages().items():
        path = tmp_path / name
        path.write_bytes(body)
        files.append(str(path))

    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # vnu writes its report to stderr, and exits 1 when it found errors.
    report = json.loads(result.stderr)
    errors = [message for message in report["messages"] if message.get("type") != "info"]
    assert not errors, f"{len(errors)} HTML error(s):\n{readable(errors)}"
    assert result.returncode == 0, result.stderr
