"""`python -m workshop new-site DIR`: a data folder for another workshop that passes check, serves and exports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.conftest import build_app
from workshop.cli import main

TITLE = 'Oceans: "Deep" Learning at Sea'
OPTIONS = ("--title", TITLE, "--venue-city", "Brest, France", "--timezone", "Europe/Paris", "--date", "2026-06-12")
EDITION = "oceans-deep-learning-at-sea-2026"


def run(*arguments: str) -> Result:
    return CliRunner().invoke(main, list(arguments))


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    target = tmp_path / "oceans"
    result = run("new-site", str(target), *OPTIONS)
    assert result.exit_code == 0, result.output
    return target


def test_the_new_site_passes_check(site_dir: Path) -> None:
    result = run("check", "--data-dir", str(site_dir))
    assert result.exit_code == 0, result.output
    assert f"editions {EDITION}; current {EDITION}" in result.output


def test_it_serves_the_options_with_workshop_data_dir(site_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(site_dir))
    client = build_app().test_client()

    page = client.get("/")
    index = client.get("/api/v1/index.json")

    assert page.status_code == 200
    assert "Oceans: &#34;Deep&#34; Learning at Sea" in page.text and "Brest, France" in page.text
    assert index.status_code == 200 and index.get_json()["current_edition"] == EDITION
    site = client.get("/api/v1/site.json").get_json()["data"]
    assert site["site"]["title"] == TITLE
    assert site["site"]["venue"] == {"name": "2026", "city": "Brest, France", "timezone": "Europe/Paris"}
    assert [(item["id"], item["date"]) for item in site["dates"]["items"]] == [
        ("submission-deadline", "2026-04-17"),
        ("workshop", "2026-06-12"),
    ]
    assert site["program"]["status"] == "to-be-announced" and site["program"]["timezone"] == "Europe/Paris"
    assert site["speakers"]["speakers"] == site["papers"]["papers"] == site["announcements"]["announcements"] == []


def test_it_exports(site_dir: Path, tmp_path: Path) -> None:
    destination = tmp_path / "static"
    result = run("export", "--data-dir", str(site_dir), "--destination", str(destination))
    assert result.exit_code == 0, result.output
    assert (destination / "index.html").is_file()
    assert (destination / EDITION / "index.html").is_file()
    assert (destination / "api" / "v1" / "index.json").is_file()


def test_no_file_names_the_shipped_workshop(site_dir: Path) -> None:
    files = sorted(path for path in site_dir.rglob("*") if path.is_file())
    assert len(files) == 12  # editions.yaml and the eleven files of the edition
    for path in files:
        text = path.read_text(encoding="utf-8")
        found = re.findall(r"ml4astro|icml|honolulu|astro", text, flags=re.IGNORECASE)
        assert not found, f"{path.name}: {found}"


def test_every_placeholder_is_marked(site_dir: Path) -> None:
    for path in (site_dir / EDITION).glob("*.yaml"):
        assert "# TODO: " in path.read_text(encoding="utf-8"), path.name


def test_the_sites_address_is_a_todo_until_given(site_dir: Path, tmp_path: Path) -> None:
    editions = (site_dir / "editions.yaml").read_text(encoding="utf-8")
    assert "# TODO: the site's public address" in editions and "\nsite_url:" not in editions
    page = build_app(site_dir).test_client().get("/").get_data(as_text=True)
    assert f'<link rel="canonical" href="http://127.0.0.1:8000/{EDITION}/">' in page

    result = run("new-site", str(tmp_path / "site"), *OPTIONS, "--url", "https://oceans.example.org/")
    assert result.exit_code == 0, result.output
    page = build_app(tmp_path / "site").test_client().get("/").get_data(as_text=True)
    assert f'<link rel="canonical" href="https://oceans.example.org/{EDITION}/">' in page


def test_an_edition_name_can_be_given(tmp_path: Path) -> None:
    result = run("new-site", str(tmp_path / "site"), *OPTIONS, "--edition", "oceans2026", "--venue-name", "Ocean Week")
    assert result.exit_code == 0, result.output
    site = build_app(tmp_path / "site").test_client().get("/api/v1/site.json").get_json()
    assert site["edition"] == "oceans2026" and site["data"]["site"]["venue"]["name"] == "Ocean Week"


@pytest.mark.parametrize(
    ("replaced", "message"),
    [
        (("--timezone", "Europe/Brest"), "IANA time zone"),
        (("--timezone", "AoE"), "IANA time zone"),
        (("--timezone", "../../etc/passwd"), "IANA time zone"),
        (("--title", "---"), "give --edition"),
        (("--date", "12/06/2026"), "12/06/2026"),
        (("--url", "oceans.example.org"), "editions.yaml:5: site_url: Not a valid URL."),
    ],
)
def test_bad_options_are_explained_and_nothing_is_written(
    tmp_path: Path, replaced: tuple[str, str], message: str
) -> None:
    options = dict(zip(OPTIONS[::2], OPTIONS[1::2], strict=True)) | dict([replaced])
    result = run("new-site", str(tmp_path / "site"), *[part for pair in options.items() for part in pair])
    assert result.exit_code != 0
    assert message in result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == []


def test_an_existing_folder_with_files_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("new-site", str(target), *OPTIONS)
    assert result.exit_code != 0 and "not an empty folder" in result.output
    assert [path.name for path in target.iterdir()] == ["notes.txt"]


def test_an_empty_folder_is_filled(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.mkdir()
    result = run("new-site", str(target), *OPTIONS)
    assert result.exit_code == 0, result.output
    assert (target / "editions.yaml").is_file()


def test_its_page_lists_every_built_in_section_with_something_to_show(site_dir: Path) -> None:
    client = build_app(site_dir).test_client()
    shown = client.get("/api/v1/site.json").get_json()["data"]["site"]["sections"]
    # News, venue and sponsors show once their files have something to show.
    assert shown == ["rationale", "program", "call-for-abstracts", "logistics", "dates", "posters", "committee"]
    assert "sections: [announcements, rationale, program" in (site_dir / EDITION / "site.yaml").read_text()
