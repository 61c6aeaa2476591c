"""Editions side by side: a new edition is a new folder, the current one is set in one place,
and past editions stay online at stable URLs, linked from each other."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import SHIPPED_SITE_URL, edit_data_file
from tests.test_reload import settle


@pytest.fixture
def two_editions(data_dir: Path) -> Path:
    """A 2024 edition made the way the README says: copy the folder, edit its site.yaml."""
    shutil.copytree(data_dir / "icml2023", data_dir / "icml2024")
    edit_data_file(data_dir / "icml2024" / "site.yaml", "  name: ICML 2023", "  name: ICML 2024")
    return data_dir


def text(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_each_edition_has_its_page_and_documents(two_editions: Path, make_app: Callable[..., Flask]) -> None:
    client = make_app(two_editions).test_client()
    assert '<p class="hero-kicker">ICML 2024 workshop' in text(client, "/icml2024/")
    assert '<p class="hero-kicker">ICML 2023 workshop' in text(client, "/icml2023/")
    # The current edition (editions.yaml) is still ICML 2023, at / and in the API.
    assert text(client, "/") == text(client, "/icml2023/")
    assert client.get("/api/v1/site.json").json["edition"] == "icml2023"
    venue = client.get("/api/v1/editions/icml2024/site.json").json["data"]["site"]["venue"]["name"]
    assert venue == "ICML 2024"
    index = client.get("/api/v1/index.json").json
    assert [edition["id"] for edition in index["editions"]] == ["icml2023", "icml2024"]
    assert [edition["current"] for edition in index["editions"]] == [True, False]


def test_editions_link_to_each_other(two_editions: Path, make_app: Callable[..., Flask]) -> None:
    client = make_app(two_editions).test_client()
    current, other = text(client, "/icml2023/"), text(client, "/icml2024/")
    assert 'href="/icml2024/"' in current
    assert 'href="/icml2023/"' in other
    # A visitor on the page of another edition is told which one is current, with a link.
    assert 'class="edition-notice"' in other
    assert "The current edition is" in other
    assert 'class="edition-notice"' not in current
    # Both pages name one canonical URL each, so search engines do not see two copies.
    # Absolute, from the site_url of editions.yaml, as search engines require.
    assert f'<link rel="canonical" href="{SHIPPED_SITE_URL}/icml2023/">' in current
    assert f'<link rel="canonical" href="{SHIPPED_SITE_URL}/icml2024/">' in other


def test_switching_the_current_edition_is_one_line_and_goes_live(
    two_editions: Path, make_app: Callable[..., Flask]
) -> None:
    app = make_app(two_editions)
    client = app.test_client()
    edit_data_file(two_editions / "editions.yaml", "current: icml2023", "current: icml2024")
    settle(app.extensions["workshop.store"])
    assert '<p class="hero-kicker">ICML 2024 workshop' in text(client, "/")
    assert client.get("/api/v1/site.json").json["edition"] == "icml2024"
    # The past edition stays online at the same URLs.
    assert '<p class="hero-kicker">ICML 2023 workshop' in text(client, "/icml2023/")
    assert client.get("/api/v1/editions/icml2023/dates.json").status_code == 200
    assert "The current edition is" in text(client, "/icml2023/")


def test_a_single_edition_shows_no_edition_links(client: FlaskClient) -> None:
    page = text(client, "/")
    assert 'aria-label="Editions"' not in page
    assert 'class="edition-notice"' not in page


def test_a_broken_new_edition_does_not_take_the_current_one_down(
    two_editions: Path, make_app: Callable[..., Flask]
) -> None:
    app = make_app(two_editions)
    client = app.test_client()
    before = text(client, "/")
    edit_data_file(two_editions / "icml2024" / "topics.yaml", "  - id: robustness", "  - id: Robustness!")
    settle(app.extensions["workshop.store"])
    assert text(client, "/") == before
    problems = client.get("/api/v1/status.json").json["problems"]
    assert [(p["file"], p["field"]) for p in problems] == [("icml2024/topics.yaml", "items[1].id")]
