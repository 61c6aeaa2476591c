"""Settings as an operator writes them: a relative path means relative to where the site was started."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLE_DATA, PROJECT_ROOT, build_app
from workshop.cli import main
from workshop.staticfiles import version_of

# The example edition's one photo, the file it is, and its URL as the page links it (at its hash).
PHOTO_FILE = EXAMPLE_DATA / "example" / "photos" / "jane-doe.svg"
PHOTO_URL = f"/example/photos/{version_of(PHOTO_FILE.read_bytes())}/jane-doe.svg"
RELATIVE_EXAMPLE_DATA = EXAMPLE_DATA.relative_to(PROJECT_ROOT).as_posix()  # docs/example-data


def test_a_relative_data_dir_from_the_environment_serves_pages_and_photos(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT_ROOT)
    monkeypatch.setenv("WORKSHOP_DATA_DIR", RELATIVE_EXAMPLE_DATA)
    client = build_app().test_client()

    page = client.get("/")
    assert page.status_code == 200
    assert PHOTO_URL.encode() in page.data
    photo = client.get(PHOTO_URL)
    assert photo.status_code == 200
    assert photo.mimetype == "image/svg+xml"
    assert photo.data == PHOTO_FILE.read_bytes()


def test_a_relative_data_dir_is_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not to the project nor to the package: a folder that exists only beside the working directory."""
    shutil.copytree(EXAMPLE_DATA, tmp_path / "my-data")
    monkeypatch.chdir(tmp_path)
    app = build_app("my-data")

    assert app.config["DATA_DIR"] == str(tmp_path.resolve() / "my-data")
    # Moving elsewhere after start changes nothing: the path was resolved once.
    monkeypatch.chdir(PROJECT_ROOT)
    photo = app.test_client().get(PHOTO_URL)
    assert photo.status_code == 200
    assert photo.data == PHOTO_FILE.read_bytes()


@pytest.mark.parametrize("how", ["option", "environment"])
def test_export_with_a_relative_data_dir_writes_the_photos(
    how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(PROJECT_ROOT)
    destination = tmp_path / "site"
    arguments = ["export", "--destination", str(destination)]
    if how == "option":
        arguments += ["--data-dir", RELATIVE_EXAMPLE_DATA]
    else:
        monkeypatch.setenv("WORKSHOP_DATA_DIR", RELATIVE_EXAMPLE_DATA)

    result = CliRunner().invoke(main, arguments)

    assert result.exit_code == 0, result.output
    assert (destination / PHOTO_URL.lstrip("/")).read_bytes() == PHOTO_FILE.read_bytes()
    assert (destination / "example" / "index.html").is_file()


def test_a_linked_data_dir_stays_the_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Deployments switch a link to a new release of the data: the site must follow the link, not its target."""
    shutil.copytree(EXAMPLE_DATA, tmp_path / "releases" / "1")
    (tmp_path / "live").symlink_to(tmp_path / "releases" / "1", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    app = build_app("live")

    assert Path(app.config["DATA_DIR"]).name == "live"
    assert Path(app.config["DATA_DIR"]).is_absolute()
    assert app.test_client().get(PHOTO_URL).status_code == 200
