"""docs/architecture.md stays true: each walk-through is applied, as written, to a copy of the
project, and what the page says follows is checked on the copy.

A code block whose info string names a file is an edit: ``(new)`` writes the file,
``(append)`` adds to it, ``(after: <line>)``, ``(before: <line>)`` and ``(replace: <line>)``
place the block at the one line that starts with ``<line>``. The copy's app runs in a
subprocess, so the edited modules are imported fresh.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PROJECT_ROOT
from workshop.richtext import markdown_tokens

ARCHITECTURE = PROJECT_ROOT / "docs" / "architecture.md"
COPIED = ("workshop", "templates", "static", "data", "docs")
EDIT = re.compile(r"^\w+ (?P<path>[\w./-]+) \((?P<how>new|append|after|before|replace)(?:: (?P<line>.*))?\)$")


@dataclass(frozen=True)
class Edit:
    path: str
    how: str
    line: str | None
    text: str


def walkthroughs() -> dict[str, list[Edit]]:
    """The edits of each '## Adding ...' section, in order."""
    found: dict[str, list[Edit]] = {}
    section = ""
    tokens = markdown_tokens(ARCHITECTURE.read_text(encoding="utf-8"))
    for token, following in zip(tokens, [*tokens[1:], None], strict=True):
        if token.type == "heading_open" and token.tag == "h2" and following is not None:
            section = following.content
        elif token.type == "fence" and (match := EDIT.match(token.info.strip())):
            found.setdefault(section, []).append(Edit(match["path"], match["how"], match["line"], token.content))
    return found


def apply(root: Path, edit: Edit) -> None:
    target = root / edit.path
    if edit.how == "new":
        assert not target.exists(), f"{edit.path} exists already"
        target.write_text(edit.text, encoding="utf-8")
        return
    text = target.read_text(encoding="utf-8")
    if edit.how == "append":
        target.write_text(text + edit.text, encoding="utf-8")
        return
    lines = text.splitlines(keepends=True)
    assert edit.line is not None
    at = [index for index, line in enumerate(lines) if line.strip().startswith(edit.line.strip())]
    assert len(at) == 1, f"{edit.path}: {len(at)} lines read {edit.line.strip()!r}; the page must name one"
    index = at[0]
    start, end = {"after": (index + 1, index + 1), "before": (index, index), "replace": (index, index + 1)}[edit.how]
    target.write_text("".join([*lines[:start], edit.text, *lines[end:]]), encoding="utf-8")


# Run in the copy: what a visitor, a client and the export get from it.
PROBE = """
import json, sys
from workshop import create_app
from workshop.export import site_urls
from workshop.store import get_content

out = {}
for name, data_dir in (("shipped", "data"), ("example", "docs/example-data")):
    app = create_app({"TESTING": True, "CONTENT_RELOAD": False, "DATA_DIR": data_dir})
    client = app.test_client()
    got = {}
    for url in sys.argv[1:]:
        response = client.get(url)
        got[url] = [response.status_code, response.mimetype, response.get_data(as_text=True)]
    with app.app_context():
        got["urls"] = site_urls(app, get_content())
    out[name] = got
print(json.dumps(out))
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for name in COPIED:
        shutil.copytree(PROJECT_ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def walk_through(root: Path, title: str, *urls: str) -> dict[str, Any]:
    edits = walkthroughs()[title]
    for edit in edits:
        apply(root, edit)
    env = {**os.environ, "PYTHONPATH": str(root)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *urls],
        check=False,
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def read_model(root: Path, expression: str) -> Any:
    """``expression`` evaluated in the copy, on ``edition``: its shipped current edition, as code reads it."""
    script = (
        "import json, sys\nfrom workshop.content import load_content\n"
        "edition = load_content('data').current_edition\nprint(json.dumps(eval(sys.argv[1])))"
    )
    env = {**os.environ, "PYTHONPATH": str(root)}
    result = subprocess.run(
        [sys.executable, "-c", script, expression],
        check=False,
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def body(got: dict[str, Any], url: str) -> Any:
    status, mimetype, text = got[url]
    assert status == 200, f"{url}: {status} {text[:300]}"
    return json.loads(text) if mimetype.endswith("json") else text


def test_every_walkthrough_is_checked() -> None:
    assert set(walkthroughs()) == {
        "Adding a field",
        "Adding a resource",
        "Adding a page section",
        "Adding an output format",
    }


def test_adding_a_field(project: Path) -> None:
    served = walk_through(project, "Adding a field", "/api/v1/site.json", "/api/v1/openapi.json")["shipped"]
    assert body(served, "/api/v1/site.json")["data"]["site"]["hashtag"] == "#ML4Astro"
    schema = body(served, "/api/v1/openapi.json")["components"]["schemas"]["Site"]
    assert "hashtag" in schema["properties"]
    assert "#ML4Astro" in schema["properties"]["hashtag"]["description"]
    # Code reads it from the typed model.
    assert read_model(project, "edition.site.hashtag") == "#ML4Astro"
    # The field reference, regenerated as the page says, lists it.
    env = {**os.environ, "PYTHONPATH": str(project)}
    command = [sys.executable, "-m", "workshop", "field-reference", "--write"]
    subprocess.run(command, cwd=project, env=env, check=True, capture_output=True, timeout=120)
    assert "hashtag" in (project / "data" / "README.md").read_text(encoding="utf-8")


def test_adding_a_resource(project: Path) -> None:
    urls = ("/api/v1/volunteers.json", "/api/v1/index.json", "/api/v1/openapi.json", "/", "/api/")
    served = walk_through(project, "Adding a resource", *urls)
    shipped, example = served["shipped"], served["example"]
    assert body(shipped, "/api/v1/volunteers.json")["data"]["volunteers"][0]["name"] == "Alex Doe"
    assert body(example, "/api/v1/volunteers.json")["data"] == {"volunteers": []}
    assert "volunteers.json" in [d["name"] for d in body(shipped, "/api/v1/index.json")["current_documents"]]
    paths = body(shipped, "/api/v1/openapi.json")["paths"]
    assert {"/api/v1/volunteers.json", "/api/v1/editions/{edition}/volunteers.json"} <= set(paths)
    assert 'id="volunteers"' in body(shipped, "/")
    assert '<a href="#volunteers">Volunteers</a>' in body(shipped, "/")
    assert 'id="volunteers"' not in body(example, "/")  # an empty list shows no section
    assert "Volunteers" in body(shipped, "/api/")
    assert "/api/v1/editions/icml2023/volunteers.json" in shipped["urls"]
    assert read_model(project, "[type(v).__name__ + ':' + v.name for v in edition.volunteers]") == [
        "Volunteer:Alex Doe"
    ]


def test_adding_a_page_section(project: Path) -> None:
    served = walk_through(project, "Adding a page section", "/", "/api/v1/site.json")
    page = body(served["example"], "/")
    assert 'id="in-numbers"' in page
    assert re.search(r"\d+ speakers, \d+ accepted contributions\.", page)
    # Where the example's list names it: after the committee, before the sponsors; in the navigation too.
    assert page.index('id="committee"') < page.index('id="in-numbers"') < page.index('id="sponsors"')
    assert '<a href="#in-numbers">In numbers</a>' in page
    order = body(served["example"], "/api/v1/site.json")["data"]["site"]["sections"]
    assert order[order.index("committee") + 1] == "in-numbers"
    # The shipped edition lists no sections: the built-in order, the new one included.
    assert 'id="in-numbers"' in body(served["shipped"], "/")


def test_adding_an_output_format(project: Path) -> None:
    urls = ("/api/v1/program.csv", "/api/v1/index.json", "/api/v1/openapi.json")
    served = walk_through(project, "Adding an output format", *urls)["example"]
    status, mimetype, text = served["/api/v1/program.csv"]
    assert (status, mimetype) == (200, "text/csv")
    header, *rows = text.splitlines()
    assert header == "id,starts_at,title"
    assert rows, "the example edition's program is published"
    assert "program.csv" in [d["name"] for d in body(served, "/api/v1/index.json")["current_documents"]]
    assert "/api/v1/editions/{edition}/program.csv" in body(served, "/api/v1/openapi.json")["paths"]
    assert "/api/v1/editions/example/program.csv" in served["urls"]
