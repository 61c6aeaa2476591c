"""Sections as data: site.yaml's ``sections:`` order, an edition's own Markdown sections, the venue
and the sponsors, as a visitor, an API client, the export and ``check`` see them."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from tests.conftest import EXAMPLE_DATA, EXAMPLE_EDITION, SHIPPED_DATA, build_app, edit_data_file
from tests.dom import Element, parse_html
from workshop.cli import main
from workshop.export import export_site
from workshop.staticfiles import version_of

EXAMPLE_SITE = f"{EXAMPLE_EDITION}/site.yaml"
# The page's order before sections could be listed: what an edition without a list still gets.
TODAYS_ORDER = ["rationale", "program", "call-for-abstracts", "logistics", "dates", "posters", "committee"]


@pytest.fixture
def example_dir(tmp_path: Path) -> Path:
    target = tmp_path / "example-data"
    shutil.copytree(EXAMPLE_DATA, target)
    return target


def page_of(client: FlaskClient) -> Element:
    response = client.get("/")
    assert response.status_code == 200
    return parse_html(response.get_data(as_text=True))


def shown_section_ids(page: Element) -> list[str]:
    main = next(element for element in page.iter() if element.tag == "main")
    return [section.attrs["id"] for section in main.find_all("section")]


def nav_entries(page: Element) -> list[tuple[str, str]]:
    nav = next(element for element in page.iter() if element.attrs.get("aria-label") == "Sections")
    return [(link.attrs["href"], link.text()) for link in nav.find_all("a")]


def site_data(client: FlaskClient) -> dict:
    return client.get("/api/v1/site.json").get_json()["data"]


def check(data_dir: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--data-dir", str(data_dir)])
    return result.exit_code, result.output


def list_sections(site_yaml: Path, *ids: str) -> None:
    text = site_yaml.read_text(encoding="utf-8")
    text = text[: text.index("sections:")] if "sections:" in text else text
    site_yaml.write_text(text + "sections: [" + ", ".join(ids) + "]\n", encoding="utf-8")


# --- Order and omission ----------------------------------------------------------------------------


def test_an_edition_without_a_list_keeps_todays_order(tmp_path: Path) -> None:
    client = build_app(SHIPPED_DATA).test_client()
    page = page_of(client)
    assert shown_section_ids(page) == TODAYS_ORDER
    assert [href for href, _name in nav_entries(page)] == [f"#{section}" for section in TODAYS_ORDER]
    assert site_data(client)["site"]["sections"] == TODAYS_ORDER


def test_the_listed_order_is_the_page_the_navigation_and_site_json(example_dir: Path) -> None:
    listed = ["dates", "code-of-conduct", "program", "rationale", "committee", "sponsors"]
    list_sections(example_dir / EXAMPLE_SITE, *listed)
    client = build_app(example_dir).test_client()
    page = page_of(client)

    assert shown_section_ids(page) == listed
    assert nav_entries(page) == [
        ("#dates", "Dates"),
        ("#code-of-conduct", "Code of Conduct"),
        ("#program", "Program"),
        ("#rationale", "Rationale"),
        ("#committee", "Committee"),
        ("#sponsors", "Sponsors"),
    ]
    assert site_data(client)["site"]["sections"] == listed
    # Left out: not on the page, not in the navigation, not in the order; built-in anchors unchanged.
    for left_out in ("posters", "venue", "logistics", "call-for-abstracts", "announcements"):
        assert left_out not in page.ids()
    assert {"date-submission-deadline", "person-jane-doe", "topics"} <= page.ids()
    # Its data stays in the API; the page link of a section left out points at the page itself.
    posters = client.get("/api/v1/posters.json").get_json()
    assert posters["data"]["sizes"]
    assert posters["html_url"] == f"/{EXAMPLE_EDITION}/"


def test_an_empty_list_section_is_not_shown_even_when_listed(example_dir: Path) -> None:
    (example_dir / EXAMPLE_EDITION / "sponsors.yaml").write_text("sponsors: []\n", encoding="utf-8")
    client = build_app(example_dir).test_client()
    page = page_of(client)
    assert "sponsors" not in page.ids()
    assert "#sponsors" not in [href for href, _name in nav_entries(page)]
    assert "sponsors" not in site_data(client)["site"]["sections"]


# --- An edition's own sections ---------------------------------------------------------------------


def test_an_own_section_is_a_page_block_an_api_document_and_part_of_site_json(example_client: FlaskClient) -> None:
    page = page_of(example_client)
    section = page.by_id("code-of-conduct")
    assert section.tag == "section"
    assert section.one("h2").text() == "Code of Conduct"
    assert "every report is confidential" in section.text()
    link = next(a for a in section.find_all("a") if "code of conduct" in a.text())
    assert link.attrs["href"] == "https://example.org/code-of-conduct"

    url = f"/api/v1/editions/{EXAMPLE_EDITION}/sections/code-of-conduct.json"
    document = example_client.get(url).get_json()
    assert document["url"] == url
    assert document["html_url"] == f"/{EXAMPLE_EDITION}/#code-of-conduct"
    assert document["data"]["id"] == "code-of-conduct"
    assert document["data"]["title"] == "Code of Conduct"
    assert "<strong>every report is confidential</strong>" in document["data"]["body"]["html"]
    assert document["data"]["body"]["markdown"].startswith("Everyone taking part")

    listed = example_client.get("/api/v1/sections.json").get_json()["data"]["sections"]
    assert [own["id"] for own in listed] == ["code-of-conduct"]
    assert site_data(example_client)["sections"]["sections"] == listed
    missing = example_client.get(f"/api/v1/editions/{EXAMPLE_EDITION}/sections/no-such-section.json")
    assert missing.status_code == 404
    assert "no-such-section" in missing.get_json()["detail"]

    index = example_client.get("/api/v1/index.json").get_json()
    templates = [t["name"] for edition in index["editions"] for t in edition["url_templates"]]
    assert "sections/{section_id}.json" in templates
    openapi = example_client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/editions/{edition}/sections/{section_id}.json" in openapi["paths"]


def test_an_own_section_not_listed_is_not_shown_nor_served(example_dir: Path) -> None:
    list_sections(example_dir / EXAMPLE_SITE, "rationale", "program")
    client = build_app(example_dir).test_client()
    assert "code-of-conduct" not in page_of(client).ids()
    assert client.get("/api/v1/sections.json").get_json()["data"]["sections"] == []
    assert client.get(f"/api/v1/editions/{EXAMPLE_EDITION}/sections/code-of-conduct.json").status_code == 404


def test_check_warns_about_an_own_section_the_list_leaves_out(example_dir: Path) -> None:
    list_sections(example_dir / EXAMPLE_SITE, "rationale", "program")
    exit_code, output = check(example_dir)
    assert exit_code == 0, output  # a warning, not an error: the site is served
    warnings = [line for line in output.splitlines() if line.startswith("warning: ")]
    assert warnings == [
        f"warning: example-data/{EXAMPLE_EDITION}/sections/code-of-conduct.md: Not shown: site.yaml's sections: "
        "does not list 'code-of-conduct'. Add it to the list to show it, or delete the file."
    ]
    assert "1 warning(s)" in output


def test_without_a_list_own_sections_follow_the_built_in_ones(example_dir: Path) -> None:
    site = example_dir / EXAMPLE_SITE
    site.write_text(site.read_text(encoding="utf-8").split("# The page's sections")[0], encoding="utf-8")
    (example_dir / EXAMPLE_EDITION / "sections" / "accessibility-statement.md").write_text(
        "---\ntitle: Accessibility statement\n---\nTell us what you need.\n", encoding="utf-8"
    )
    client = build_app(example_dir).test_client()
    shown = shown_section_ids(page_of(client))
    assert shown[-3:] == ["sponsors", "accessibility-statement", "code-of-conduct"]
    assert site_data(client)["site"]["sections"] == shown


def test_an_own_section_is_exported(tmp_path: Path) -> None:
    urls = export_site(build_app(EXAMPLE_DATA), tmp_path / "site")
    path = f"/api/v1/editions/{EXAMPLE_EDITION}/sections/code-of-conduct.json"
    assert path in urls
    exported = json.loads((tmp_path / "site" / path.lstrip("/")).read_text(encoding="utf-8"))
    assert exported["data"]["title"] == "Code of Conduct"
    assert (tmp_path / "site" / "api" / "v1" / "sections.json").is_file()
    assert (tmp_path / "site" / EXAMPLE_EDITION / "photos" / "example-data-lab.svg").is_file()


def test_script_in_an_own_section_is_never_markup(example_dir: Path) -> None:
    (example_dir / EXAMPLE_EDITION / "sections" / "code-of-conduct.md").write_text(
        "---\ntitle: <script>alert('title')</script>\n---\n"
        "<script>alert('body')</script>\n\n[click](javascript:alert('link')) <img src=x onerror=alert(1)>\n",
        encoding="utf-8",
    )
    client = build_app(example_dir).test_client()
    html = client.get("/").get_data(as_text=True)
    section = html[html.index('<section id="code-of-conduct"') :]
    section = section[: section.index("</section>")]
    assert "<script" not in section and "<img" not in section and 'href="javascript:' not in section
    assert "&lt;script&gt;alert('body')&lt;/script&gt;" in section  # shown as text
    body = client.get(f"/api/v1/editions/{EXAMPLE_EDITION}/sections/code-of-conduct.json").get_json()["data"]
    assert "<script" not in body["body"]["html"] and 'href="javascript:' not in body["body"]["html"]
    nav = html[html.index('aria-label="Sections"') :]
    assert "<script>alert" not in nav[: nav.index("</nav>")]


def test_headings_in_an_own_section_nest_under_its_title(example_dir: Path) -> None:
    (example_dir / EXAMPLE_EDITION / "sections" / "code-of-conduct.md").write_text(
        "---\ntitle: Code of Conduct\n---\n# Reporting\n\nWrite to us.\n\n## Travel\n\nBy bus.\n\n"
        "#### Late buses\n\nRare.\n\n###### Night buses\n\nNone.\n",
        encoding="utf-8",
    )
    client = build_app(example_dir).test_client()
    section = next(
        element for element in page_of(client).find_all("section") if element.attrs["id"] == "code-of-conduct"
    )
    headings = [(heading.tag, heading.text()) for heading in section.find_all("h1", "h2", "h3", "h4", "h5", "h6")]
    # Under the section's h2: # and ## are h3, deeper ones follow without skipping a level.
    assert headings == [
        ("h2", "Code of Conduct"),
        ("h3", "Reporting"),
        ("h3", "Travel"),
        ("h4", "Late buses"),
        ("h5", "Night buses"),
    ]
    body = client.get(f"/api/v1/editions/{EXAMPLE_EDITION}/sections/code-of-conduct.json").get_json()["data"]["body"]
    assert "<h3>Travel</h3>" in body["html"] and "## Travel" in body["markdown"]


def test_headings_elsewhere_stay_text(example_dir: Path) -> None:
    # Only an own section has a title for its headings to sit under: elsewhere a heading is not one.
    edit_data_file(
        example_dir / EXAMPLE_EDITION / "posters.yaml", "notes: Please", "notes: |\n  ## Printing\n\n  Please"
    )
    client = build_app(example_dir).test_client()
    posters = next(element for element in page_of(client).find_all("section") if element.attrs["id"] == "posters")
    assert [heading.tag for heading in posters.find_all("h3", "h4", "h5", "h6")] == []
    assert "Printing" in posters.text()


# --- Venue and sponsors ----------------------------------------------------------------------------


def test_the_venue_in_the_api_and_on_the_page(example_client: FlaskClient) -> None:
    venue = example_client.get("/api/v1/venue.json").get_json()
    assert venue["html_url"] == f"/{EXAMPLE_EDITION}/#venue"
    data = venue["data"]
    assert (data["name"], data["room"]) == ("Example Convention Center", "Room 316 AB")
    assert data["map_url"].startswith("https://www.openstreetmap.org/")
    assert "<strong>Kalakaua Avenue</strong>" in data["accessibility"]["step_free_access"]["html"]
    assert set(data["accessibility"]) == {"step_free_access", "quiet_room", "transit", "parking", "food"}

    section = page_of(example_client).by_id("venue")
    text = section.text()
    for shown in ("Example Convention Center", "Room 316 AB", "1801 Kalakaua Avenue", "Room 318", "Buses 8"):
        assert shown in text
    assert section.one("a", cls="venue-map").attrs["href"] == data["map_url"]
    labels = [dt.text() for dt in section.find_all("dt")]
    assert labels == ["Step-free access", "Quiet room", "Public transport", "Parking", "Food and drink"]


def test_a_venue_with_some_details_shows_only_those(example_dir: Path) -> None:
    (example_dir / EXAMPLE_EDITION / "venue.yaml").write_text(
        "room: Hall B\naccessibility:\n  quiet_room: Room 2\n", encoding="utf-8"
    )
    client = build_app(example_dir).test_client()
    section = page_of(client).by_id("venue")
    assert [dt.text() for dt in section.find_all("dt")] == ["Quiet room"]
    assert "Hall B" in section.text()
    assert not section.find_all("a")
    assert client.get("/api/v1/venue.json").get_json()["data"]["name"] is None


def test_an_edition_without_venue_or_sponsors_files_has_neither_section() -> None:
    client = build_app(SHIPPED_DATA).test_client()
    assert {"venue", "sponsors"}.isdisjoint(page_of(client).ids())
    assert client.get("/api/v1/sponsors.json").get_json()["data"] == {"sponsors": []}
    assert set(client.get("/api/v1/venue.json").get_json()["data"].values()) == {None}


def test_the_sponsors_in_the_api_and_on_the_page(example_client: FlaskClient) -> None:
    sponsors = example_client.get("/api/v1/sponsors.json").get_json()["data"]["sponsors"]
    assert [(s["id"], s["tier"]) for s in sponsors] == [("example-data-lab", "Gold"), ("example-foundation", "Silver")]
    logo = EXAMPLE_DATA / EXAMPLE_EDITION / "photos" / "example-data-lab.svg"
    assert sponsors[0]["logo_url"] == f"/{EXAMPLE_EDITION}/photos/{version_of(logo.read_bytes())}/example-data-lab.svg"
    assert sponsors[1]["logo_url"] is None
    assert example_client.get(sponsors[0]["logo_url"]).status_code == 200

    section = page_of(example_client).by_id("sponsors")
    assert [h3.text() for h3 in section.find_all("h3")] == ["Gold", "Silver"]
    logo_link = section.by_id("sponsor-example-data-lab").one("a")
    assert logo_link.attrs["href"] == "https://example.org/data-lab"
    assert logo_link.one("img").attrs["alt"] == "Example Data Lab"  # the logo's text alternative
    assert section.by_id("sponsor-example-foundation").text() == "Example Foundation"


def test_the_program_lists_invited_speakers_and_panelists_apart(example_client: FlaskClient) -> None:
    program = page_of(example_client).by_id("program")
    headings = [h3.attrs.get("id") for h3 in program.find_all("h3")]
    assert headings[:2] == ["speakers", "panelists"]
    speakers = example_client.get("/api/v1/speakers.json").get_json()["data"]["speakers"]
    lists = [ul for ul in program.find_all("ul") if "people" in ul.classes]
    for ul, role in zip(lists, ("invited-speaker", "panelist"), strict=True):
        cards = [li.attrs["id"] for li in ul.find_all("li")]
        assert cards == [f"person-{s['id']}" for s in speakers if s["role"] == role]


# --- check: each mistake named with its file ------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            lambda root: list_sections(root / EXAMPLE_SITE, "rationale", "programme"),
            rf"example-data/{EXAMPLE_SITE}:\d+: sections\[1\]: No section 'programme': the built-in sections are "
            rf".*; {EXAMPLE_EDITION}/sections/programme\.md does not exist\.",
            id="unknown-section-id",
        ),
        pytest.param(
            lambda root: (root / EXAMPLE_EDITION / "sections" / "code-of-conduct.md").unlink(),
            rf"example-data/{EXAMPLE_SITE}:\d+: sections\[6\]: No section 'code-of-conduct'.*"
            rf"{EXAMPLE_EDITION}/sections/code-of-conduct\.md does not exist",
            id="listed-own-section-file-missing",
        ),
        pytest.param(
            lambda root: list_sections(root / EXAMPLE_SITE, "dates", "program", "dates"),
            rf"example-data/{EXAMPLE_SITE}:\d+: sections\[2\]: Listed twice \(also item 0\)",
            id="listed-twice",
        ),
        pytest.param(
            lambda root: (root / EXAMPLE_EDITION / "sections" / "code-of-conduct.md").write_text(
                "Be kind.\n", encoding="utf-8"
            ),
            rf"example-data/{EXAMPLE_EDITION}/sections/code-of-conduct\.md:1: No front matter",
            id="no-front-matter",
        ),
        pytest.param(
            lambda root: (root / EXAMPLE_EDITION / "sections" / "code-of-conduct.md").write_text(
                "---\nheading: Code of Conduct\n---\nBe kind.\n", encoding="utf-8"
            ),
            rf"example-data/{EXAMPLE_EDITION}/sections/code-of-conduct\.md:1: title: Missing data for required field\.",
            id="front-matter-without-title",
        ),
        pytest.param(
            lambda root: (root / EXAMPLE_EDITION / "sections" / "posters.md").write_text(
                "---\ntitle: Posters\n---\nMore.\n", encoding="utf-8"
            ),
            rf"example-data/{EXAMPLE_EDITION}/sections/posters\.md: 'posters' is a built-in section",
            id="own-section-named-like-a-built-in-one",
        ),
        pytest.param(
            lambda root: (root / EXAMPLE_EDITION / "photos" / "example-data-lab.svg").unlink(),
            rf"example-data/{EXAMPLE_EDITION}/sponsors\.yaml:\d+: sponsors\[0\]\.logo: No such file: "
            rf"{EXAMPLE_EDITION}/photos/example-data-lab\.svg\.",
            id="logo-missing-from-photos",
        ),
        pytest.param(
            lambda root: edit_data_file(root / EXAMPLE_EDITION / "venue.yaml", "room: Room 316", "rooms: Room 316"),
            rf"example-data/{EXAMPLE_EDITION}/venue\.yaml:\d+: rooms: Unknown field\.",
            id="venue-unknown-field",
        ),
    ],
)
def test_check_names_the_file_and_field_of_each_mistake(example_dir: Path, change: object, expected: str) -> None:
    change(example_dir)  # type: ignore[operator]
    exit_code, output = check(example_dir)
    assert exit_code == 1, output
    assert re.search(expected, output), output


def test_check_passes_on_the_example_with_every_new_section(example_dir: Path) -> None:
    exit_code, output = check(example_dir)
    assert exit_code == 0, output
