"""The accepted papers on the page, without JavaScript: every paper, grouped by the session that presents it
(else by track, else one list), each its title linking its own page and its authors; the program names presenters,
and a paper no session presents says its presenter, its track and how it is presented."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from flask.testing import FlaskClient

from scripts.generate_edition import generate
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
    (title,) = item.find_all("a")
    assert title.attrs["href"] == "/example/papers/fast-emulators/"
    assert title.text() == "Fast emulators for cosmological simulations"
    # Its title and authors: the program says who presents it and how, its page the rest (PDF, track, abstract).
    assert item.text() == "Fast emulators for cosmological simulations Grace Example, Alan Example"
    assert "neural emulator" not in block.text()
    # Its track is not shown, but the filter finds it by its track all the same (static/js/papers.js).
    assert item.attrs["data-track"] == "Extended abstracts"
    assert "data-track" not in block.by_id("paper-rare-signals").attrs


def test_the_list_spends_few_bytes_besides_each_papers_title_and_authors(tmp_path: Path) -> None:
    # 300 papers in 30 sessions, as scripts/bench_papers.py measures the page: an item is little more than
    # its id, its page's URL, its title and its authors (it was 450 bytes, title and authors about 120).
    data = tmp_path / "data"
    generate(data, papers=300, sessions=30)
    html = build_app(data).test_client().get("/generated/").get_data(as_text=True)
    items = re.findall(r'<li id="paper-([^"]+)">(.*?)</li>', html)
    assert len(items) == 300
    block = parse_html(html)
    for paper_id, markup in items:
        words = f"{paper_id}/generated/papers/{paper_id}/{block.by_id(f'paper-{paper_id}').text()}"
        assert len(f'<li id="paper-{paper_id}">{markup}</li>'.encode()) - len(words.encode()) <= 60, markup


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
    # The group's heading says the track: the item does not repeat it. No session presents them: each says
    # its presenter and how it is presented; its PDF is on its page.
    assert block.by_id("paper-fast-emulators").text() == (
        "Fast emulators for cosmological simulations Grace Example (presenting), Alan Example Contributed talks"
    )
    assert block.by_id("paper-rare-signals").text() == (
        "Searching for rare signals with normalizing flows Emmy Example (presenting) Poster presentations"
    )


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
