"""Text in the data files holds what readers see: one line where the field is a line (titles,
names, labels), and never control characters or invisible characters that reorder text.

Each case is checked where an organizer meets it (``python -m workshop check``) and where a
visitor would (a running site keeps its last good content and says why in status.json).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from tests.conftest import edit_data_file
from tests.test_reload import settle
from workshop.cli import main
from workshop.store import ContentStore

TITLE = "title: Machine Learning for Astrophysics\n"
TOPIC = "    title: Robustness to covariate shifts and model misspecification\n"
INTRO = "  We welcome in particular contributions"


def check(data_dir: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--data-dir", str(data_dir)])
    return result.exit_code, result.output


def stale_problems(app: Flask) -> list[dict[str, object]]:
    store: ContentStore = app.extensions["workshop.store"]
    settle(store)
    status = app.test_client().get("/api/v1/status.json").json
    assert status["stale"] is True, status
    return status["problems"]


def test_a_title_written_with_a_block_scalar_is_refused_and_every_url_keeps_answering(
    data_dir: Path, make_app: Callable[..., Flask]
) -> None:
    app = make_app(data_dir)
    client = app.test_client()
    # 'title: |' keeps a line break at the end of the title: icalendar cannot write that title.
    edit_data_file(data_dir / "icml2023" / "site.yaml", TITLE, "title: |\n  Machine Learning for Astrophysics\n")

    code, output = check(data_dir)
    assert code == 1, output
    assert "data/icml2023/site.yaml:1: title: Must be one line" in output
    assert "'>-'" in output

    (problem,) = stale_problems(app)
    assert (problem["file"], problem["field"]) == ("icml2023/site.yaml", "title")
    for url in ("/api/v1/dates.ics", "/api/v1/editions/icml2023/dates.ics", "/api/v1/openapi.json", "/"):
        assert client.get(url).status_code == 200, url


def test_a_title_folded_onto_one_line_is_accepted(data_dir: Path) -> None:
    edit_data_file(data_dir / "icml2023" / "site.yaml", TITLE, "title: >-\n  Machine Learning\n  for Astrophysics\n")
    code, output = check(data_dir)
    assert code == 0, output


HIDDEN = {
    # name: (as written in a double-quoted YAML string, what the message names)
    "nul": ("\\0", "U+0000 (a control character)"),
    "escape": ("\\e[31m", "U+001B (a control character)"),
    "delete": ("\\x7f", "U+007F (a control character)"),
    "c1-next-line": ("\\N", "U+0085 (a control character)"),
    "right-to-left-override": ("\\u202E", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    "left-to-right-embedding": ("\\u202A", "U+202A (LEFT-TO-RIGHT EMBEDDING)"),
    "first-strong-isolate": ("\\u2068", "U+2068 (FIRST STRONG ISOLATE)"),
    "pop-directional-isolate": ("\\u2069", "U+2069 (POP DIRECTIONAL ISOLATE)"),
    "zero-width-space": ("\\u200B", "U+200B (ZERO WIDTH SPACE)"),
    "byte-order-mark": ("\\uFEFF", "U+FEFF (ZERO WIDTH NO-BREAK SPACE)"),
}


@pytest.mark.parametrize(("written", "named"), HIDDEN.values(), ids=HIDDEN.keys())
def test_control_and_invisible_characters_are_refused_in_text(
    data_dir: Path, make_app: Callable[..., Flask], written: str, named: str
) -> None:
    app = make_app(data_dir)
    page_before = app.test_client().get("/").get_data()
    edit_data_file(
        data_dir / "icml2023" / "topics.yaml", TOPIC, f'    title: "Robustness{written} to covariate shifts"\n'
    )

    code, output = check(data_dir)
    assert code == 1, output
    assert f"data/icml2023/topics.yaml:7: items[1].title: Contains {named} at character 11: remove it." in output

    (problem,) = stale_problems(app)
    assert (problem["file"], problem["line"], problem["field"]) == ("icml2023/topics.yaml", 7, "items[1].title")
    assert app.test_client().get("/").get_data() == page_before


@pytest.mark.parametrize(("written", "named"), HIDDEN.values(), ids=HIDDEN.keys())
def test_control_and_invisible_characters_are_refused_in_markdown(
    data_dir: Path, make_app: Callable[..., Flask], written: str, named: str
) -> None:
    app = make_app(data_dir)
    topics = data_dir / "icml2023" / "topics.yaml"
    text = topics.read_text(encoding="utf-8")
    intro_line = next(line for line in text.splitlines() if line.startswith(INTRO))
    edit_data_file(
        topics, f"intro: |\n{intro_line}\n", f'intro: "We welcome{written} contributions:\\n\\n- one\\n- two\\n"\n'
    )

    code, output = check(data_dir)
    assert code == 1, output
    assert f"data/icml2023/topics.yaml:1: intro: Contains {named} at character 11: remove it." in output

    (problem,) = stale_problems(app)
    assert (problem["file"], problem["field"]) == ("icml2023/topics.yaml", "intro")


def test_a_right_to_left_override_typed_as_is_is_refused(data_dir: Path) -> None:
    # Not only as a YAML escape: pasted text carries the character itself, invisible in most editors.
    edit_data_file(data_dir / "icml2023" / "topics.yaml", TOPIC, "    title: Robustness\u202e to covariate shifts\n")
    code, output = check(data_dir)
    assert code == 1, output
    assert "items[1].title: Contains U+202E (RIGHT-TO-LEFT OVERRIDE) at character 11" in output


@pytest.mark.parametrize(
    "title",
    ['"Robustness\\tto covariate shifts"', '"Robustness\\r to covariate shifts"', '"Robustness\\u2028to shifts"'],
    ids=["tab", "carriage-return", "line-separator"],
)
def test_a_single_line_field_refuses_tabs_and_every_line_break(data_dir: Path, title: str) -> None:
    edit_data_file(data_dir / "icml2023" / "topics.yaml", TOPIC, f"    title: {title}\n")
    code, output = check(data_dir)
    assert code == 1, output
    assert "items[1].title: " in output
    assert "Must be one line" in output or "Contains a tab at character 11: use a space." in output


def test_markdown_keeps_its_lines_tabs_and_the_characters_scripts_need(
    data_dir: Path, make_app: Callable[..., Flask]
) -> None:
    # Newlines and tabs in Markdown; joiners (emoji, Persian) and direction marks are text, not tricks.
    markdown = "We welcome:\\n\\n-\\tone\\n- two \\u200D\\U0001F469\\u200D\\U0001F52C \\u200F\\u0645\\u200C\\u06CC\\n"
    topics = data_dir / "icml2023" / "topics.yaml"
    intro_line = next(line for line in topics.read_text(encoding="utf-8").splitlines() if line.startswith(INTRO))
    edit_data_file(topics, f"intro: |\n{intro_line}\n", f'intro: "{markdown}"\n')
    code, output = check(data_dir)
    assert code == 0, output
    intro = make_app(data_dir).test_client().get("/api/v1/topics.json").json["data"]["intro"]["markdown"]
    assert "\t" in intro
    assert "\u200d" in intro
