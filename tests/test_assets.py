"""The page names every script module it will load, so a phone fetches them all at once
instead of one import level per round trip."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import Browser

from tests.conftest import LiveServer
from tests.dom import parse_html


def preloaded(client: FlaskClient) -> list[str]:
    head = parse_html(client.get("/").get_data(as_text=True)).one("head")
    return [link.attrs["href"] or "" for link in head.find_all("link", rel="modulepreload")]


def test_every_preloaded_module_exists(client: FlaskClient) -> None:
    modules = preloaded(client)
    assert modules, "no module is preloaded"
    assert len(set(modules)) == len(modules)
    for href in modules:
        response = client.get(href)
        assert response.status_code == 200, href
        assert response.mimetype == "text/javascript", href


@pytest.mark.browser
def test_every_module_the_page_loads_is_preloaded(
    browser: Browser, live_server: LiveServer, client: FlaskClient
) -> None:
    page = browser.new_page()
    scripts: list[str] = []
    page.on("request", lambda request: request.resource_type == "script" and scripts.append(request.url))
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")
    loaded = {urlsplit(url).path for url in scripts}
    entry = {
        script.attrs["src"]
        for script in parse_html(client.get("/").get_data(as_text=True)).find_all("script", type="module")
    }
    assert loaded - entry == set(preloaded(client))
    page.close()
