"""What search engines and link previews read: the Event in JSON-LD, OpenGraph and
Twitter cards with absolute URLs from the site_url of editions.yaml, and robots.txt."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from playwright.sync_api import Browser

from tests.conftest import EXAMPLE_DATA, EXAMPLE_SITE_URL, SHIPPED_SITE_URL, LiveServer, build_app
from tests.dom import Element, parse_html

SCHEMA = "https://schema.org/"
DEFAULT_SITE_URL = SHIPPED_SITE_URL


def head_of(client: FlaskClient, path: str = "/") -> Element:
    response = client.get(path)
    assert response.status_code == 200
    return parse_html(response.get_data(as_text=True)).one("head")


def meta(head: Element, key: str) -> str:
    """The content of <meta property=key> (OpenGraph) or <meta name=key>."""
    found = head.find_all("meta", property=key) or head.find_all("meta", name=key)
    assert len(found) == 1, f"{len(found)} <meta> for {key}"
    return found[0].attrs["content"] or ""


def json_ld(head: Element) -> dict[str, Any]:
    scripts = head.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads("".join(map(str, scripts[0].children)))


def locations(event: dict[str, Any]) -> list[dict[str, Any]]:
    location = event["location"]
    return location if isinstance(location, list) else [location]


def test_the_page_describes_the_workshop_as_a_hybrid_event(client: FlaskClient) -> None:
    event = json_ld(head_of(client))
    assert event["@context"] == "https://schema.org"
    assert event["@type"] == "EducationEvent"
    assert event["name"] == "Machine Learning for Astrophysics"
    assert event["description"].startswith("The goal of this ICML 2023 workshop is to bring together")
    assert event["url"] == f"{DEFAULT_SITE_URL}/icml2023/"
    assert event["eventAttendanceMode"] == f"{SCHEMA}MixedEventAttendanceMode"
    assert event["eventStatus"] == f"{SCHEMA}EventScheduled"
    # The day is not fixed yet (July 28 or 29): the span of the options, as dates.
    assert (event["startDate"], event["endDate"]) == ("2023-07-28", "2023-07-29")
    place, virtual = locations(event)
    assert place["@type"] == "Place"
    assert place["address"]["addressLocality"] == "Honolulu"
    assert place["address"]["addressRegion"] == "Hawaii"
    assert virtual == {"@type": "VirtualLocation", "url": f"{DEFAULT_SITE_URL}/icml2023/"}
    assert event["organizer"] == [
        {"@type": "Person", "name": "Francois Lanusse", "affiliation": {"@type": "Organization", "name": "CNRS"}},
        {"@type": "Person", "name": "Marc Huertas-Company", "affiliation": {"@type": "Organization", "name": "IAC"}},
    ]


def test_a_confirmed_day_gives_its_start_and_end_times() -> None:
    client = build_app(EXAMPLE_DATA).test_client()
    event = json_ld(head_of(client))
    # The published program's first start and last end (its second day).
    assert event["startDate"] == "2030-07-28T08:50:00-10:00"
    assert event["endDate"] == "2030-07-29T09:15:00-10:00"
    assert event["organizer"][0]["url"] == "https://example.org/~doe"


@pytest.mark.parametrize(
    ("attendance", "mode", "types"),
    [
        ("in-person", "OfflineEventAttendanceMode", ["Place"]),
        ("online", "OnlineEventAttendanceMode", ["VirtualLocation"]),
        ("hybrid", "MixedEventAttendanceMode", ["Place", "VirtualLocation"]),
    ],
)
def test_attendance_sets_the_mode_and_the_locations(
    data_dir: Path, make_app: Callable[..., Flask], attendance: str, mode: str, types: list[str]
) -> None:
    logistics = data_dir / "icml2023" / "logistics.yaml"
    data = yaml.safe_load(logistics.read_text("utf-8"))
    data["attendance"] = attendance
    logistics.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    event = json_ld(head_of(make_app(data_dir).test_client()))
    assert event["eventAttendanceMode"] == f"{SCHEMA}{mode}"
    assert [location["@type"] for location in locations(event)] == types


def test_markup_in_the_data_cannot_leave_the_json_ld(data_dir: Path, make_app: Callable[..., Flask]) -> None:
    hostile = "ML </script><script>alert(1)</script> & <!-- Astro"
    site = data_dir / "icml2023" / "site.yaml"
    data = yaml.safe_load(site.read_text("utf-8"))
    data["title"] = hostile
    site.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    html = make_app(data_dir).test_client().get("/").get_data(as_text=True)
    start = html.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    text = html[start : html.index("</script>", start)]
    assert not set("<>&") & set(text)
    assert "\\u003c/script\\u003e" in text
    assert json.loads(text)["name"] == hostile


def test_link_previews_and_canonical_url_are_absolute(client: FlaskClient) -> None:
    head = head_of(client)
    page_url = f"{DEFAULT_SITE_URL}/icml2023/"
    description = meta(head, "description")
    assert "Machine Learning for Astrophysics, a workshop at ICML 2023 in Honolulu, Hawaii" in description
    assert [link.attrs["href"] for link in head.find_all("link", rel="canonical")] == [page_url]
    assert meta(head, "og:type") == "website"
    assert meta(head, "og:url") == page_url
    assert meta(head, "og:site_name") == "Machine Learning for Astrophysics"
    assert (
        meta(head, "og:title")
        == meta(head, "twitter:title")
        == "Machine Learning for Astrophysics · ICML 2023 workshop"
    )
    assert meta(head, "og:description") == meta(head, "twitter:description") == description
    assert meta(head, "twitter:card") == "summary_large_image"
    # The current edition's page at / names the edition's own URL.
    assert meta(head_of(client, "/icml2023/"), "og:url") == page_url
    # The favicon stays: the theme's (site.yaml).
    (icon,) = head.find_all("link", rel="icon")
    assert re.fullmatch(r"/icml2023/photos/[0-9a-f]{12}/favicon\.svg", icon.attrs["href"]), icon.attrs


def test_link_previews_show_the_editions_social_card(client: FlaskClient) -> None:
    head = head_of(client)
    card_url = f"{DEFAULT_SITE_URL}/icml2023/social-card.png"
    assert meta(head, "og:image") == meta(head, "twitter:image") == card_url
    assert meta(head, "og:image:type") == "image/png"
    assert (meta(head, "og:image:width"), meta(head, "og:image:height")) == ("1200", "630")
    alt = meta(head, "og:image:alt")
    assert meta(head, "twitter:image:alt") == alt
    assert alt.startswith("Machine Learning for Astrophysics. ICML 2023 workshop · Honolulu, Hawaii.")
    assert "Friday, July 28 or Saturday, July 29, 2023 (to be confirmed)" in alt
    # The image the tags name is the one the site serves, at that size.
    card = client.get(card_url.removeprefix(DEFAULT_SITE_URL))
    assert (card.status_code, card.mimetype) == (200, "image/png")
    assert Image.open(io.BytesIO(card.data)).size == (1200, 630)


def test_a_confirmed_day_is_on_the_card() -> None:
    client = build_app(EXAMPLE_DATA).test_client()
    head = head_of(client)
    assert meta(head, "og:image") == f"{EXAMPLE_SITE_URL}/example/social-card.png"
    # In the page's language: the example's en-GB.
    assert "Sunday, 28 July 2030, 08:50 HST \u2013 Monday, 29 July 2030, 09:15 HST" in meta(head, "og:image:alt")


def test_site_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKSHOP_SITE_URL", "https://ml4astro.example.org/")
    head = head_of(build_app().test_client())
    assert meta(head, "og:url") == "https://ml4astro.example.org/icml2023/"
    assert meta(head, "og:image") == "https://ml4astro.example.org/icml2023/social-card.png"
    assert json_ld(head)["url"] == "https://ml4astro.example.org/icml2023/"
    assert [link.attrs["href"] for link in head.find_all("link", rel="canonical")] == [
        "https://ml4astro.example.org/icml2023/"
    ]


def test_robots_txt_allows_everything_and_points_nowhere_else(client: FlaskClient) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines == ["User-agent: *", "Allow: /"]


@pytest.mark.browser
def test_chromium_reads_the_json_ld_without_a_csp_violation(browser: Browser, live_server: LiveServer) -> None:
    page = browser.new_page()
    # Added by the browser driver, so the page's CSP does not apply to this listener.
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    console_errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("load")
    assert page.evaluate("window.__violations") == []
    assert console_errors == []
    event = page.evaluate("JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)")
    assert event["name"] == "Machine Learning for Astrophysics"
    page.close()
