"""Live reload: valid edits go live without a restart; invalid ones never reach visitors."""

from __future__ import annotations

import builtins
import logging
import os
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import LiveServer, edit_data_file, touch_later
from workshop import clock
from workshop.documentcache import document_key
from workshop.store import ContentStore

ROBUSTNESS = "Robustness to covariate shifts and model misspecification"
EDITED = "Robustness to distribution shifts and model misspecification"


def store_of(app: Flask) -> ContentStore:
    return app.extensions["workshop.store"]


def settle(store: ContentStore) -> None:
    """Two polls: the first notices a change, the second loads it once the files stopped changing."""
    store.poll()
    store.poll()


def test_a_valid_edit_goes_live_and_moves_version_and_etags(data_dir: Path, make_app: Callable[..., Flask]) -> None:
    app = make_app(data_dir)
    client = app.test_client()
    before = client.get("/api/v1/topics.json")
    page_before = client.get("/")
    edit_data_file(data_dir / "icml2023" / "topics.yaml", ROBUSTNESS, EDITED)
    settle(store_of(app))

    after = client.get("/api/v1/topics.json", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200, "the old ETag must no longer match"
    assert after.json["data"]["items"][1]["title"] == EDITED
    assert after.json["content_version"] != before.json["content_version"]
    page_after = client.get("/", headers={"If-None-Match": page_before.headers["ETag"]})
    assert page_after.status_code == 200
    assert EDITED in page_after.get_data(as_text=True)
    # Every document moves to the new version together: no mix of old and new sections.
    site = client.get("/api/v1/site.json").json
    assert site["content_version"] == after.json["content_version"]
    assert site["data"]["topics"]["items"][1]["title"] == EDITED


def test_an_edit_to_an_own_section_goes_live(data_dir: Path, make_app: Callable[..., Flask]) -> None:
    own = data_dir / "icml2023" / "sections" / "travel.md"
    own.parent.mkdir()
    own.write_text("---\ntitle: Travel\n---\nTake the bus.\n", encoding="utf-8")
    app = make_app(data_dir)
    client = app.test_client()
    url = "/api/v1/editions/icml2023/sections/travel.json"
    before = client.get(url)
    page_before = client.get("/")
    assert "Take the bus." in page_before.get_data(as_text=True)
    edit_data_file(own, "Take the bus.", "Take the tram.")
    settle(store_of(app))

    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200, "the old ETag must no longer match"
    assert after.json["data"]["body"]["markdown"] == "Take the tram."
    assert after.json["content_version"] != before.json["content_version"]
    page_after = client.get("/", headers={"If-None-Match": page_before.headers["ETag"]})
    assert page_after.status_code == 200
    assert "Take the tram." in page_after.get_data(as_text=True)
    # An invalid edit keeps the last good content, and says which file.
    edit_data_file(own, "title: Travel", "heading: Travel")
    settle(store_of(app))
    status = client.get("/api/v1/status.json").json
    assert status["stale"] is True
    assert {problem["file"] for problem in status["problems"]} == {"icml2023/sections/travel.md"}
    assert "Take the tram." in client.get("/").get_data(as_text=True)


def test_a_change_is_loaded_only_after_the_files_stop_changing(data_dir: Path, make_app: Callable[..., Flask]) -> None:
    app = make_app(data_dir)
    store = store_of(app)
    version = store.content.version
    topics = data_dir / "icml2023" / "topics.yaml"
    edit_data_file(topics, ROBUSTNESS, "Robustness, first draft")
    assert store.poll() is False  # noticed, not loaded yet
    edit_data_file(topics, "Robustness, first draft", EDITED)
    assert store.poll() is False  # changed again: still waiting
    assert store.content.version == version
    assert store.poll() is True
    assert store.content.editions["icml2023"].topics.items[1].title == EDITED


def _yaml_syntax_error(folder: Path) -> tuple[str, str]:
    edit_data_file(folder / "topics.yaml", "  - id: robustness", "  - id: [robustness")
    return "topics.yaml", "Invalid YAML"


def _wrong_type(folder: Path) -> tuple[str, str]:
    edit_data_file(folder / "posters.yaml", "    width_in: 24", "    width_in: twenty-four")
    return "posters.yaml", "sizes[0].width_in: Not a valid number."


def _missing_field(folder: Path) -> tuple[str, str]:
    edit_data_file(folder / "committee.yaml", "    affiliation: IAC\n", "")
    return "committee.yaml", "members[1].affiliation: Missing data for required field."


def _unknown_field(folder: Path) -> tuple[str, str]:
    edit_data_file(folder / "committee.yaml", "    affiliation: IAC", "    afiliation: IAC")
    return "committee.yaml", "members[1].afiliation: Unknown field."


def _bad_date(folder: Path) -> tuple[str, str]:
    edit_data_file(folder / "dates.yaml", "date: 2023-06-16", "date: 2023-06-31")
    return "dates.yaml", "items[1].date: Not a valid date."


def _duplicate_id(folder: Path) -> tuple[str, str]:
    edit_data_file(folder / "topics.yaml", "  - id: robustness", "  - id: inference")
    return "topics.yaml", "items[1].id: Duplicate id 'inference'"


def _broken_reference(folder: Path) -> tuple[str, str]:
    edit_data_file(folder / "call-for-abstracts.yaml", "deadline: submission-deadline", "deadline: abstract-deadline")
    return "call-for-abstracts.yaml", "submission.deadline: No date with id 'abstract-deadline'"


def _file_deleted(folder: Path) -> tuple[str, str]:
    (folder / "posters.yaml").unlink()
    return "posters.yaml", "File is missing."


def _half_written(folder: Path) -> tuple[str, str]:
    path = folder / "committee.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("  - id: brice-menard") + len("  - id: brice-menard\n    na")], encoding="utf-8")
    touch_later(path)
    return "committee.yaml", "Invalid YAML"


def _not_utf8(folder: Path) -> tuple[str, str]:
    path = folder / "committee.yaml"
    path.write_bytes(path.read_bytes().replace("Ménard".encode(), "Ménard".encode("latin-1")))
    touch_later(path)
    return "committee.yaml", "Not valid UTF-8"


INVALID_EDITS = {
    "yaml-syntax": _yaml_syntax_error,
    "wrong-type": _wrong_type,
    "missing-field": _missing_field,
    "unknown-field": _unknown_field,
    "bad-date": _bad_date,
    "duplicate-id": _duplicate_id,
    "broken-reference": _broken_reference,
    "file-deleted": _file_deleted,
    "half-written": _half_written,
    "not-utf8": _not_utf8,
}


@pytest.mark.parametrize("breakage", INVALID_EDITS.values(), ids=INVALID_EDITS.keys())
def test_an_invalid_edit_keeps_the_last_good_content(
    data_dir: Path,
    make_app: Callable[..., Flask],
    caplog: pytest.LogCaptureFixture,
    breakage: Callable[[Path], tuple[str, str]],
) -> None:
    app = make_app(data_dir)
    client = app.test_client()
    store = store_of(app)
    good_version = store.content.version
    good_page = client.get("/").get_data()
    backup = {path: path.read_bytes() for path in (data_dir / "icml2023").glob("*.yaml")}

    caplog.set_level(logging.INFO, logger="workshop.store")
    file_name, message = breakage(data_dir / "icml2023")
    for _ in range(4):  # however often the watcher looks, the error is logged once
        store.poll()

    # Visitors and API clients still get the last good content, with status 200.
    page = client.get("/")
    assert page.status_code == 200
    assert page.get_data() == good_page
    for resource in ("site", "topics", "dates", "committee", "posters", "call-for-abstracts"):
        response = client.get(f"/api/v1/{resource}.json")
        assert response.status_code == 200
        assert response.json["content_version"] == good_version

    status = client.get("/api/v1/status.json").json
    assert status["stale"] is True
    assert status["state"] == "stale"
    assert status["content_version"] == good_version
    assert status["stale_since"]
    reported = [f"{p['file']}:{p['line']}: {p['field']}: {p['message']}" for p in status["problems"]]
    assert any(f"icml2023/{file_name}" in line and message in line for line in reported), reported

    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1, [record.getMessage() for record in errors]
    assert f"icml2023/{file_name}" in errors[0].getMessage()
    assert message in errors[0].getMessage()

    # Fixing the file brings the site back to current.
    for path, original in backup.items():
        path.write_bytes(original)
        touch_later(path)
    settle(store)
    status = client.get("/api/v1/status.json").json
    assert status["stale"] is False
    assert status["problems"] == []
    assert status["content_version"] == good_version


def test_a_fixed_edit_serves_the_new_content(data_dir: Path, make_app: Callable[..., Flask]) -> None:
    app = make_app(data_dir)
    client = app.test_client()
    topics = data_dir / "icml2023" / "topics.yaml"
    edit_data_file(topics, "  - id: robustness", "  - idd: robustness")
    settle(store_of(app))
    assert client.get("/api/v1/status.json").json["stale"] is True
    edit_data_file(topics, "  - idd: robustness", "  - id: robustness")
    edit_data_file(topics, ROBUSTNESS, EDITED)
    settle(store_of(app))
    assert client.get("/api/v1/status.json").json["stale"] is False
    assert client.get("/api/v1/topics.json").json["data"]["items"][1]["title"] == EDITED


def test_requests_do_no_file_io_when_nothing_changed(
    data_dir: Path, make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(data_dir)
    client = app.test_client()
    urls = ["/", "/icml2023/", "/api/v1/index.json", "/api/v1/site.json", "/api/v1/editions/icml2023/dates.json"]
    first = {url: client.get(url).get_data() for url in urls}  # warm: templates compiled, documents prepared

    def no_io(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"file I/O on the request path: {args!r}")

    monkeypatch.setattr(builtins, "open", no_io)
    monkeypatch.setattr(os, "scandir", no_io)
    monkeypatch.setattr(os, "stat", no_io)
    monkeypatch.setattr(Path, "read_bytes", no_io)
    for _ in range(3):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200
            assert response.get_data() == first[url]


def test_the_watcher_thread_picks_up_an_edit_promptly(data_dir: Path, make_app: Callable[..., Flask]) -> None:
    app = make_app(data_dir, CONTENT_RELOAD=True)
    with LiveServer(app) as server:
        url = f"{server.url}/api/v1/topics.json"
        urllib.request.urlopen(url).close()  # the first request starts this process's watcher
        edit_data_file(data_dir / "icml2023" / "topics.yaml", ROBUSTNESS, EDITED)
        edited_at = time.monotonic()
        while time.monotonic() - edited_at < 10.0:  # 2 s promised; room for a busy machine
            with urllib.request.urlopen(url) as response:
                if EDITED.encode() in response.read():
                    break
            time.sleep(0.05)
        else:
            pytest.fail("the edit was not served within 10 seconds")
        store_of(app).stop_watching()


def test_an_edit_drops_the_old_versions_documents_from_the_in_process_cache(
    data_dir: Path, make_app: Callable[..., Flask]
) -> None:
    # Kept until they expired (an hour), every old version's pages and documents added up in each process.
    app = make_app(data_dir)
    client = app.test_client()
    store, cache = store_of(app), app.extensions["workshop.cache"]
    old = store.content.version
    # Both show the workshop's moment: their keys name it (workshop/documents.py, Served.timed).
    moment = store.content.editions["icml2023"].moment(clock.now()).key
    page, site = f"page/icml2023@{moment}", f"api/icml2023/site@{moment}"
    client.get("/")
    client.get("/api/v1/site.json")
    assert cache.get(document_key(app, old, page)) is not None
    assert cache.get(document_key(app, old, site)) is not None
    edit_data_file(data_dir / "icml2023" / "topics.yaml", ROBUSTNESS, EDITED)
    settle(store)
    new = store.content.version
    assert client.get("/").status_code == 200
    assert cache.get(document_key(app, new, page)) is not None
    assert cache.get(document_key(app, old, page)) is None
    assert cache.get(document_key(app, old, site)) is None


def test_a_list_that_loses_half_its_items_is_loaded_and_warned_about(
    data_dir: Path, make_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    # A file saved while still being written is valid too when it stops between two items.
    app = make_app(data_dir)
    store = store_of(app)
    committee = data_dir / "icml2023" / "committee.yaml"
    text = committee.read_text(encoding="utf-8")
    cut = [index for index in range(len(text)) if text.startswith("\n  - id:", index)][4]
    committee.write_text(text[: cut + 1], encoding="utf-8")
    touch_later(committee)

    with caplog.at_level(logging.WARNING, logger="workshop.store"):
        settle(store)

    assert len(store.content.editions["icml2023"].committee.members) == 4
    assert "icml2023/committee.yaml: members went from 8 items to 4." in caplog.text
