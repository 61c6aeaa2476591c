"""`python -m workshop new-edition NEW --from OLD`: next year's edition, valid and served at once."""

from __future__ import annotations

import errno
import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from tests.conftest import build_app
from workshop.cli import main
from workshop.config import EXAMPLE_DATA

CARRIED_OVER = ("site", "topics", "committee", "logistics", "posters", "call-for-abstracts")
CLEARED = ("dates", "program", "speakers", "papers", "announcements")


def run(*arguments: str) -> Result:
    return CliRunner().invoke(main, list(arguments))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def loaded(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture
def example_dir(tmp_path: Path) -> Path:
    """A copy of the example data: a published program, speakers, papers, news and a committee photo."""
    target = tmp_path / "example-data"
    shutil.copytree(EXAMPLE_DATA, target)
    return target


def test_the_new_edition_passes_check_and_is_served_beside_the_current_one(data_dir: Path) -> None:
    editions_before = (data_dir / "editions.yaml").read_bytes()

    result = run("new-edition", "icml2024", "--from", "icml2023", "--data-dir", str(data_dir))

    assert result.exit_code == 0, result.output
    assert "icml2024" in result.output and "TODO" in result.output
    checked = run("check", "--data-dir", str(data_dir))
    assert checked.exit_code == 0, checked.output
    assert "editions icml2023, icml2024; current icml2023" in checked.output
    assert (data_dir / "editions.yaml").read_bytes() == editions_before  # current only when asked
    client = build_app(data_dir).test_client()
    assert client.get("/icml2024/").status_code == 200
    site = client.get("/api/v1/editions/icml2024/site.json").get_json()["data"]
    old = client.get("/api/v1/editions/icml2023/site.json").get_json()["data"]
    # The same, with the files the new edition carries (the theme's images) at its own URLs.
    old = json.loads(json.dumps(old).replace("/icml2023/photos/", "/icml2024/photos/"))
    for key in ("site", "topics", "committee", "logistics", "posters", "call_for_abstracts"):
        assert site[key] == old[key], key
    assert client.get(site["site"]["theme"]["header"]["image_url"]).status_code == 200
    assert site["program"]["status"] == "to-be-announced"
    workshop_day = next(item for item in site["dates"]["items"] if item["id"] == "workshop")
    assert workshop_day["date"] == "2024-07-28"  # the first of OLD's candidate days, one year later
    assert site["dates"]["preliminary"] is True


def test_what_does_not_carry_over_is_cleared_with_marked_placeholders(example_dir: Path) -> None:
    old = build_app(example_dir).test_client().get("/api/v1/site.json").get_json()["data"]
    assert old["speakers"]["speakers"] and old["papers"]["papers"] and old["announcements"]["announcements"]
    assert old["program"]["status"] == "published"

    result = run(
        "new-edition", "next", "--from", "example", "--date", "2031-03-04", "--deadline", "2031-01-10",
        "--data-dir", str(example_dir),
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    folder = example_dir / "next"
    for resource in CLEARED:
        assert "# TODO: " in (folder / f"{resource}.yaml").read_text(encoding="utf-8"), resource
    for resource in CARRIED_OVER:
        assert "# TODO: review " in (folder / f"{resource}.yaml").read_text(encoding="utf-8"), resource
    site = build_app(example_dir).test_client().get("/api/v1/editions/next/site.json").get_json()["data"]
    assert site["speakers"]["speakers"] == []
    assert site["papers"]["papers"] == []
    assert site["announcements"]["announcements"] == []
    assert site["program"] == {**site["program"], "status": "to-be-announced", "sessions": []}
    assert [(item["id"], item["date"]) for item in site["dates"]["items"]] == [
        (old["call_for_abstracts"]["submission"]["deadline"], "2031-01-10"),
        ("workshop", "2031-03-04"),
    ]
    assert site["committee"] == {
        **old["committee"],
        "members": [
            {**member, "photo_url": member["photo_url"] and member["photo_url"].replace("/example/", "/next/")}
            for member in old["committee"]["members"]
        ],
    }
    assert (folder / "photos" / "jane-doe.svg").read_bytes() == (
        example_dir / "example/photos/jane-doe.svg"
    ).read_bytes()
    assert not (folder / "papers").exists()  # last year's PDFs stay with last year


def test_make_current_serves_the_new_edition_at_the_root_and_keeps_the_comments(data_dir: Path) -> None:
    comments = [line for line in (data_dir / "editions.yaml").read_text().splitlines() if line.startswith("#")]

    result = run("new-edition", "icml2024", "--from", "icml2023", "--make-current", "--data-dir", str(data_dir))

    assert result.exit_code == 0, result.output
    text = (data_dir / "editions.yaml").read_text()
    # Only 'current' changes: the site's address stays.
    assert loaded(data_dir / "editions.yaml") == {"current": "icml2024", "site_url": "https://ml4astro.github.io"}
    assert [line for line in text.splitlines() if line.startswith("#")] == comments
    client = build_app(data_dir).test_client()
    assert client.get("/api/v1/index.json").get_json()["current_edition"] == "icml2024"
    assert client.get("/api/v1/site.json").get_json()["edition"] == "icml2024"
    assert client.get("/").status_code == 200


def test_an_existing_edition_is_never_overwritten(data_dir: Path) -> None:
    before = snapshot(data_dir)

    result = run("new-edition", "icml2023", "--from", "icml2023", "--make-current", "--data-dir", str(data_dir))

    assert result.exit_code != 0
    assert "already exists" in result.output and "Nothing was written" in result.output
    assert snapshot(data_dir) == before


def test_a_broken_data_folder_is_reported_and_nothing_is_written(data_dir: Path) -> None:
    (data_dir / "icml2023" / "topics.yaml").write_text("items: 3\n", encoding="utf-8")

    result = run("new-edition", "icml2024", "--from", "icml2023", "--data-dir", str(data_dir))

    assert result.exit_code == 1
    assert "icml2023/topics.yaml" in result.output and "nothing was written" in result.output
    assert not (data_dir / "icml2024").exists()


def test_a_result_the_loader_refuses_writes_nothing(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workshop import newedition

    real = newedition.cleared_files

    def broken_program(**arguments: object) -> dict[str, str]:
        return {**real(**arguments), "program": "status: published\ntimezone: UTC\nsessions: []\n"}

    monkeypatch.setattr(newedition, "cleared_files", broken_program)
    before = snapshot(data_dir)

    result = run("new-edition", "icml2024", "--from", "icml2023", "--make-current", "--data-dir", str(data_dir))

    assert result.exit_code == 1
    assert "nothing was written" in result.output and "icml2024/program.yaml" in result.output
    assert snapshot(data_dir) == before
    assert not any(path.name.startswith(".") for path in data_dir.parent.iterdir())  # no scratch folder left


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["Next Year", "--from", "icml2023"], "lower-case letters"),
        (["icml2024", "--from", "icml2022"], "No edition 'icml2022'"),
        (["icml2024", "--from", "icml2023", "--date", "2024-01-01", "--deadline", "2024-02-01"], "after the workshop"),
        (["icml2024", "--from", "icml2023", "--date", "2024-13-01"], "2024-13-01"),
    ],
)
def test_bad_options_are_explained_and_nothing_is_written(data_dir: Path, arguments: list[str], message: str) -> None:
    before = snapshot(data_dir)
    result = run("new-edition", *arguments, "--data-dir", str(data_dir))
    assert result.exit_code != 0
    assert message in result.output
    assert snapshot(data_dir) == before


def test_without_data_dir_it_writes_where_the_server_reads(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(data_dir))
    result = run("new-edition", "icml2024", "--from", "icml2023")
    assert result.exit_code == 0, result.output
    assert (data_dir / "icml2024" / "site.yaml").is_file()


def test_a_file_starting_with_a_byte_order_mark_is_carried_over(data_dir: Path) -> None:
    topics = data_dir / "icml2023" / "topics.yaml"
    topics.write_bytes(b"\xef\xbb\xbf" + topics.read_bytes())  # as some Windows editors save

    result = run("new-edition", "icml2024", "--from", "icml2023", "--data-dir", str(data_dir))

    assert result.exit_code == 0, result.output
    client = build_app(data_dir).test_client()
    new, old = (
        client.get(f"/api/v1/editions/{name}/topics.json").get_json()["data"] for name in ("icml2024", "icml2023")
    )
    assert new == old


def test_across_file_systems_the_folder_is_copied_into_place(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def cross_device(self: Path, target: Path) -> Path:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(Path, "rename", cross_device)

    result = run("new-edition", "icml2024", "--from", "icml2023", "--data-dir", str(data_dir))

    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in (data_dir / "icml2024").iterdir()) == sorted(
        path.name for path in (data_dir / "icml2023").iterdir()
    )
    assert run("check", "--data-dir", str(data_dir)).exit_code == 0


def test_the_venue_sponsors_own_sections_and_their_order_carry_over(example_dir: Path) -> None:
    result = run(
        "new-edition", "next", "--from", "example", "--date", "2031-03-04", "--deadline", "2031-01-10",
        "--data-dir", str(example_dir),
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    folder = example_dir / "next"
    for name in ("venue.yaml", "sponsors.yaml"):
        assert "TODO: review" in (folder / name).read_text(encoding="utf-8"), name
    own = "sections/code-of-conduct.md"
    assert (folder / own).read_bytes() == (example_dir / "example" / own).read_bytes()
    logo = "photos/example-data-lab.svg"
    assert (folder / logo).read_bytes() == (example_dir / "example" / logo).read_bytes()
    client = build_app(example_dir).test_client()
    old, new = (client.get(f"/api/v1/editions/{name}/site.json").get_json()["data"] for name in ("example", "next"))
    assert new["venue"] == old["venue"]
    assert [s["name"] for s in new["sponsors"]["sponsors"]] == [s["name"] for s in old["sponsors"]["sponsors"]]
    assert new["sections"] == old["sections"]
    # The same order, but for the news, cleared (an empty list shows no section).
    assert new["site"]["sections"] == [section for section in old["site"]["sections"] if section != "announcements"]
    assert 'id="code-of-conduct"' in client.get("/next/").get_data(as_text=True)
