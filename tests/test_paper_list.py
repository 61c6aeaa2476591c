"""The accepted papers on the page, without JavaScript: every paper, grouped by the session that presents it
(else by track, else one list), each linking its own page, presenters marked; the program names presenters."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from flask.testing import FlaskClient

from tests.conftest import EXAMPLE_DATA, build_app, edit_data_file
from tests.dom import Element, parse_html


def papers_block(client: FlaskClient, edition: str = "example") -> Element:
    page = parse_html(client.get(f"/{edition}/").get_data(as_text=True))
    return next(element for element in page.iter() if "accepted-papers" in element.classes)


def groups(block: Element) -> list[tuple[str, list[str]]]:
    """(group heading, ids of its papers) in page order."""
    found = []
    for group in block.find_all("div", cls="paper-group"):
        headings = group.find_all("h4")
        found.append(
            (headings[0].text() if headings else "", [item.attrs["id"] for item in group.one("ol").find_all("li")])
        )
    return found


@pytest.fixture
def example_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(EXAMPLE_DATA, target)
    return target


def test_papers_are_grouped_by_the_session_that_presents_them(example_client: FlaskClient) -> None:
    block = papers_block(example_client)
    # fast-emulators is in both sessions: listed once, under the first.
    assert groups(block) == [
        ("Spotlight talks", ["paper-fast-emulators"]),
        ("Poster session", ["paper-rare-signals"]),
    ]
    item = block.by_id("paper-fast-emulators")
    title = item.one("a", cls="paper-title")
    assert title.attrs["href"] == "/example/papers/fast-emulators/"
    assert title.text() == "Fast emulators for cosmological simulations"
    assert item.one(cls="presenter").text() == "Grace Example (presenting)"
    assert item.one(cls="paper-authors").text() == "Grace Example (presenting), Alan Example"
    assert item.one(cls="paper-track").text() == "Extended abstracts"
    assert item.one("a", cls="paper-pdf").attrs["href"] == "/example/papers/fast-emulators.pdf"
    # Details live on the paper's page, not in the list.
    assert "neural emulator" not in block.text()


def test_without_javascript_the_filter_is_hidden_and_labelled(example_client: FlaskClient) -> None:
    block = papers_block(example_client)
    field = block.one("p", cls="paper-filter")
    assert "hidden" in field.attrs
    label = field.one("label")
    field_input = field.one("input")
    assert label.attrs["for"] == field_input.attrs["id"]
    assert field.one(cls="paper-filter-count").attrs["aria-live"] == "polite"


def _no_sessions_present_papers(data: Path) -> None:
    program = data / "example" / "program.yaml"
    edit_data_file(program, "    papers: [fast-emulators]\n", "")
    text = program.read_text(encoding="utf-8")
    start = text.index("    papers: [fast-emulators, rare-signals]\n")
    edit_data_file(program, text[start : text.index("  - id: panel\n")], "")


def test_papers_no_session_presents_are_grouped_by_track(example_dir: Path) -> None:
    _no_sessions_present_papers(example_dir)
    papers_file = example_dir / "example" / "papers.yaml"
    papers = yaml.safe_load(papers_file.read_text(encoding="utf-8"))
    papers["papers"].append({**papers["papers"][1], "id": "third", "title": "A third", "track": "Posters"})
    papers_file.write_text(yaml.safe_dump(papers, allow_unicode=True), encoding="utf-8")

    block = papers_block(build_app(example_dir).test_client())

    assert groups(block) == [
        ("Extended abstracts", ["paper-fast-emulators"]),
        ("Posters", ["paper-third"]),
        ("Other contributions", ["paper-rare-signals"]),
    ]
    # The group's heading says the track: the item does not repeat it.
    assert block.by_id("paper-fast-emulators").find_all(cls="paper-track") == []


def test_without_sessions_or_tracks_the_papers_are_one_list(example_dir: Path) -> None:
    _no_sessions_present_papers(example_dir)
    edit_data_file(example_dir / "example" / "papers.yaml", "    track: Extended abstracts\n", "")

    block = papers_block(build_app(example_dir).test_client())

    assert groups(block) == [("", ["paper-fast-emulators", "paper-rare-signals"])]


def test_the_program_names_who_presents_each_paper(example_client: FlaskClient) -> None:
    page = parse_html(example_client.get("/example/").get_data(as_text=True))

    def presented(session_id: str) -> list[str]:
        return [
            item.text() for item in page.by_id(f"session-{session_id}").one("ul", cls="session-papers").find_all("li")
        ]

    assert presented("spotlights-morning") == ["Fast emulators for cosmological simulations presented by Grace Example"]
    # In the poster session, the session names another of the paper's authors.
    assert presented("posters") == [
        "Fast emulators for cosmological simulations presented by Alan Example",
        "Searching for rare signals with normalizing flows presented by Emmy Example",
    ]
