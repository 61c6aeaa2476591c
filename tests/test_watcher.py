"""The watcher never stops: whatever is put in the data folder, a running site says what is
wrong in its status document, keeps the last good content, and serves the next valid edit.

Each test runs the real watcher thread (live reload on, a short poll interval) and waits
for what a visitor or monitor would see, with generous deadlines.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import edit_data_file, tiny_png, touch_later
from tests.test_reload import EDITED, ROBUSTNESS
from workshop.store import ContentStore

DEADLINE = 20.0  # seconds: far beyond a few polls, short of a hang


def wait_for(condition: Callable[[], Any], what: str) -> Any:
    """Poll ``condition`` until it returns something true; fail after DEADLINE seconds."""
    give_up = time.monotonic() + DEADLINE
    while time.monotonic() < give_up:
        result = condition()
        if result:
            return result
        time.sleep(0.05)
    pytest.fail(f"not within {DEADLINE:.0f} s: {what}")


class Site:
    """A live-reloading app over a private copy of the data, as a monitor and a visitor see it."""

    def __init__(self, app: Flask, data_dir: Path) -> None:
        self.app = app
        self.data_dir = data_dir
        self.client: FlaskClient = app.test_client()
        self.store: ContentStore = app.extensions["workshop.store"]
        self.polls = 0
        poll = self.store.poll

        def counted_poll() -> bool:
            self.polls += 1
            return poll()

        self.store.poll = counted_poll  # type: ignore[method-assign]
        self.client.get("/")  # the first request starts this process's watcher

    def status(self) -> dict[str, Any]:
        return self.client.get("/api/v1/status.json").json

    def problem_on(self, file: str) -> dict[str, Any] | None:
        status = self.status()
        if not status["stale"]:
            return None
        return next((problem for problem in status["problems"] if problem["file"] == file), None)

    def topic_title(self) -> str:
        return self.client.get("/api/v1/topics.json").json["data"]["items"][1]["title"]

    def wait_for_polls(self, count: int) -> None:
        start = self.polls
        wait_for(lambda: self.polls >= start + count, f"{count} more polls")

    def edit_goes_live(self) -> None:
        """A valid edit after the breakage is gone: served, and the status is current again."""
        edit_data_file(self.data_dir / "icml2023" / "topics.yaml", ROBUSTNESS, EDITED)
        wait_for(lambda: self.topic_title() == EDITED, "the valid edit is served")
        status = self.status()
        assert status["stale"] is False, status
        assert status["problems"] == []


@pytest.fixture
def site(data_dir: Path, make_app: Callable[..., Flask]) -> Iterator[Site]:
    app = make_app(data_dir, CONTENT_RELOAD=True, CONTENT_POLL_INTERVAL=0.05)
    yield Site(app, data_dir)
    app.extensions["workshop.store"].stop_watching()


def assert_reported_once(caplog: pytest.LogCaptureFixture, file: str) -> None:
    store_logs = [record for record in caplog.records if record.name == "workshop.store"]
    errors = [record for record in store_logs if record.levelno >= logging.ERROR]
    assert len(errors) == 1, [record.getMessage() for record in errors]
    assert file in errors[0].getMessage()


def _loop_link(edition: Path) -> tuple[str, Callable[[], None]]:
    (edition / "loop").symlink_to(".")
    return "icml2023/loop", (edition / "loop").unlink


def _link_to_parent(edition: Path) -> tuple[str, Callable[[], None]]:
    (edition / "up").symlink_to("..")
    return "icml2023/up", (edition / "up").unlink


def _deeply_nested_list(edition: Path) -> tuple[str, Callable[[], None]]:
    # Deeper than Python's recursion limit lets YAML compose (libyaml stops at 1000 levels).
    topics = edition / "topics.yaml"
    original = topics.read_bytes()
    topics.write_text(topics.read_text(encoding="utf-8") + "extra: " + "[" * 999 + "]" * 999 + "\n", encoding="utf-8")
    touch_later(topics)

    def restore() -> None:
        topics.write_bytes(original)
        touch_later(topics)

    return "icml2023/topics.yaml", restore


BREAKAGES = {"loop-link": _loop_link, "link-to-parent": _link_to_parent, "deeply-nested-list": _deeply_nested_list}


@pytest.mark.parametrize("breakage", BREAKAGES.values(), ids=BREAKAGES.keys())
def test_a_breakage_is_reported_and_the_next_valid_edit_goes_live(
    site: Site, caplog: pytest.LogCaptureFixture, breakage: Callable[[Path], tuple[str, Callable[[], None]]]
) -> None:
    good_version = site.status()["content_version"]
    caplog.set_level(logging.INFO, logger="workshop.store")

    file, remove = breakage(site.data_dir / "icml2023")

    problem = wait_for(lambda: site.problem_on(file), f"status.json names {file}")
    assert problem["message"]
    assert site.status()["content_version"] == good_version
    assert site.client.get("/").status_code == 200
    site.wait_for_polls(10)  # the watcher goes on looking, and says it once
    assert_reported_once(caplog, file)

    remove()
    site.edit_goes_live()


def test_an_unreadable_edition_folder_is_reported(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    # Simulated: the tests may run as root, whom permissions do not stop. What matters is
    # what the watcher does when listing a folder fails with PermissionError.
    edition = site.data_dir / "icml2023"
    scandir = os.scandir

    def unreadable(path: Any = ".") -> Any:
        if Path(path) == edition:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", unreadable)
    touch_later(site.data_dir / "editions.yaml")  # a change for the watcher to look at

    problem = wait_for(lambda: site.problem_on("icml2023"), "status.json names the unreadable folder")
    assert problem["message"] == "Cannot read this folder: Permission denied."
    assert site.client.get("/icml2023/").status_code == 200

    monkeypatch.undo()
    site.edit_goes_live()


def test_a_link_out_of_the_data_folder_is_not_followed(site: Site, tmp_path: Path) -> None:
    topics = site.data_dir / "icml2023" / "topics.yaml"
    outside = tmp_path / "outside.yaml"
    outside.write_text(topics.read_text(encoding="utf-8").replace(ROBUSTNESS, "Read from outside"), encoding="utf-8")
    original = topics.read_bytes()
    topics.unlink()
    topics.symlink_to(outside)

    problem = wait_for(lambda: site.problem_on("icml2023/topics.yaml"), "status.json names the link")
    assert "outside the data folder" in problem["message"]
    assert site.topic_title() == ROBUSTNESS
    assert str(tmp_path) not in site.client.get("/api/v1/status.json").get_data(as_text=True)

    topics.unlink()
    topics.write_bytes(original)
    site.edit_goes_live()


def test_a_link_inside_the_data_folder_is_followed(site: Site) -> None:
    shared = site.data_dir / "shared"
    shared.mkdir()
    topics = site.data_dir / "icml2023" / "topics.yaml"
    shutil.move(topics, shared / "topics.yaml")
    topics.symlink_to(Path("..") / "shared" / "topics.yaml")
    touch_later(shared / "topics.yaml")
    site.wait_for_polls(4)
    assert site.status()["stale"] is False, site.status()

    edit_data_file(shared / "topics.yaml", ROBUSTNESS, EDITED)
    wait_for(lambda: site.topic_title() == EDITED, "an edit of the linked file is served")


def test_an_unexpected_error_makes_the_status_stale_and_the_watcher_goes_on(
    site: Site, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(data_dir: Path) -> None:
        raise RuntimeError(f"surprise in {data_dir}")

    monkeypatch.setattr("workshop.store.load_content", broken)
    edit_data_file(site.data_dir / "icml2023" / "topics.yaml", ROBUSTNESS, "An edit the store fails on")

    problem = wait_for(lambda: site.problem_on("."), "status.json reports the failure")
    assert "RuntimeError" in problem["message"]
    # Neither the server's paths nor the error's text reach the public document.
    assert "surprise" not in site.client.get("/api/v1/status.json").get_data(as_text=True)
    assert "surprise in" in caplog.text

    monkeypatch.undo()
    edit_data_file(site.data_dir / "icml2023" / "topics.yaml", "An edit the store fails on", ROBUSTNESS)
    site.edit_goes_live()


def test_a_photo_replaced_by_a_link_out_of_the_data_folder_is_not_served(
    data_dir: Path, make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    photos = data_dir / "icml2023" / "photos"
    photos.mkdir(exist_ok=True)
    (photos / "marc.png").write_bytes(tiny_png())
    committee = data_dir / "icml2023" / "committee.yaml"
    edit_data_file(committee, "    affiliation: IAC\n", "    affiliation: IAC\n    photo: photos/marc.png\n")
    client = make_app(data_dir).test_client()
    assert client.get("/icml2023/photos/marc.png").data == tiny_png()

    # Photos are read while serving: a link planted later must not serve another file.
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not for visitors")
    (photos / "marc.png").unlink()
    (photos / "marc.png").symlink_to(secret)

    response = client.get("/icml2023/photos/marc.png")
    assert response.status_code == 404
    assert b"not for visitors" not in response.data


def test_status_json_never_shows_where_the_server_keeps_the_data(site: Site, tmp_path: Path) -> None:
    away = tmp_path / "moved-away"
    site.data_dir.rename(away)
    try:
        problem = wait_for(lambda: site.problem_on("."), "status.json reports the missing data folder")
        assert problem["message"] == "Data directory not found."
        body = site.client.get("/api/v1/status.json").get_data(as_text=True)
        assert str(tmp_path) not in body
    finally:
        away.rename(site.data_dir)
    site.edit_goes_live()


def test_an_edit_that_empties_half_a_list_is_served_with_a_warning(
    site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    # What a copy stopped half-way leaves when it stops between two members: valid YAML.
    committee = site.data_dir / "icml2023" / "committee.yaml"
    caplog.set_level(logging.INFO, logger="workshop.store")
    text = committee.read_text(encoding="utf-8")
    committee.write_text(text[: text.index("  - id: xavier-prochaska")], encoding="utf-8")
    touch_later(committee)

    members = lambda: site.client.get("/api/v1/committee.json").json["data"]["members"]  # noqa: E731
    wait_for(lambda: len(members()) == 4, "the shortened committee is served")
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert warnings == [
        "icml2023/committee.yaml: members went from 8 items to 4. If that was not meant, restore the file; "
        "save data files atomically (see data/README.md)."
    ]


def test_an_item_added_at_the_top_of_a_list_warns_about_nothing(
    data_dir: Path, make_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    dates = data_dir / "icml2023" / "dates.yaml"
    deadline = "    at: 2023-05-19T23:59:00-12:00\n"
    edit_data_file(dates, deadline, f"{deadline}    previously:\n      - date: 2023-05-10\n      - date: 2023-05-12\n")
    app = make_app(data_dir, CONTENT_RELOAD=True, CONTENT_POLL_INTERVAL=0.05)
    try:
        site = Site(app, data_dir)
        caplog.set_level(logging.INFO, logger="workshop.store")
        new_item = "  - id: abstract-deadline\n    title: Abstract deadline\n    kind: deadline\n    date: 2023-05-12\n"
        edit_data_file(dates, "items:\n", f"items:\n{new_item}")

        items = lambda: site.client.get("/api/v1/dates.json").json["data"]["items"]  # noqa: E731
        wait_for(lambda: len(items()) == 6, "the new date is served")
        assert [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING] == []
    finally:
        app.extensions["workshop.store"].stop_watching()
