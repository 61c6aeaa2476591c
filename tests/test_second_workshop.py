"""Nothing of the shipped workshop is left in the code: a second, unrelated workshop (French text,
another time zone, its own order of sections with one of its own, and its own theme) shows no
ML4Astro, ICML or Honolulu anywhere in its pages, API documents, static files or export."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from tests.conftest import LiveServer, build_app, tiny_png
from tests.dom import Element, parse_html
from tests.test_seo import head_of, json_ld
from workshop import clock
from workshop.cli import main
from workshop.export import site_urls
from workshop.store import get_content

# What belongs to the shipped workshop only, in any case.
SHIPPED_WORDS = re.compile(r"ml4astro|icml|honolulu|hawaii|machine learning for astrophysics|astrophysi", re.IGNORECASE)
EDITION = "oceans-2026"
SITE = """\
title: Apprentissage profond pour l'océanographie
venue:
  name: Journées Mer et Données 2026
  city: Brest, France
  timezone: Europe/Paris
rationale: |
  Les campagnes en mer produisent des volumes de données sans précédent : courants, salinité, plancton.
goal: |
  **Réunir chercheurs en apprentissage automatique et océanographes autour de problèmes ouverts.**
approach: |
  Des exposés invités, des affiches et une table ronde, _en français et en anglais_.
call_to_action:
  label: Voir l'appel à résumés
  href: "#call-for-abstracts"
theme:
  accent: "#006b3c"
  header:
    background: "#0d3b4f"
    text: "#ffffff"
    image: photos/vagues.png
    overlay: "#0d3b4fcc"
  logo: photos/logo.png
  favicon: photos/icone.png
language: fr
headings:
  announcements: Actualités
  rationale: Pourquoi cet atelier
  program: Programme
  call-for-abstracts: Appel à résumés
  venue: Lieu
  accessibility: Accès et accessibilité
  logistics: Informations pratiques
  dates: Dates importantes
  posters: Affiches
  committee: Comité d'organisation
  sponsors: Partenaires
  speakers: Orateurs invités
  panelists: Table ronde
  schedule: Horaires
  papers: Contributions acceptées
  faqs: Questions fréquentes
menu:
  rationale: L'atelier
  logistics: Infos pratiques
  dates: Dates
  committee: Comité
# Another order, the posters left out, a section of its own (sections/charte.md).
sections:
  - rationale
  - program
  - venue
  - charte
  - call-for-abstracts
  - announcements
  - dates
  - logistics
  - committee
  - sponsors
"""
FRENCH_MENU = [
    "L'atelier",
    "Programme",
    "Lieu",
    "Charte de bonne conduite",
    "Appel à résumés",
    "Actualités",
    "Dates",
    "Infos pratiques",
    "Comité",
    "Partenaires",
]
FRENCH_SECTION_HEADINGS = [
    "Pourquoi cet atelier",
    "Programme",
    "Lieu",
    "Charte de bonne conduite",
    "Appel à résumés",
    "Actualités",
    "Dates importantes",
    "Informations pratiques",
    "Comité d'organisation",
    "Partenaires",
]
OWN_SECTION = """\
---
title: Charte de bonne conduite
---
Chaque participant, sur place ou en ligne, s'engage à respecter la charte du colloque.

## Signaler un problème

Écrivez aux organisateurs à tout moment : **chaque signalement reste confidentiel**.
"""
VENUE = """\
name: Le Quartz, centre de congrès
room: Salle Méridienne
address: 60 rue du Château, 29200 Brest
accessibility:
  step_free_access: Entrée de plain-pied côté rue du Château ; ascenseur vers chaque étage.
  transit: Tramway A, arrêt Liberté.
"""
SPONSORS = """\
sponsors:
  - id: institut-de-la-mer
    name: Institut de la mer
    url: https://example.org/institut-de-la-mer
    logo: photos/logo.png
    tier: Partenaire principal
  - id: region
    name: Région Bretagne
    tier: Soutien
"""
ANNOUNCEMENTS = """\
announcements:
  - id: ouverture
    published: 2026-02-02
    title: L'appel à résumés est ouvert
    body: Soumettez vos résumés avant le 17 avril.
"""

# A published program and two papers, one presented in a session: the program's and the papers' words show.
PROGRAM = """\
status: published
note: Bientôt
timezone: Europe/Paris
date: 2026-06-12
sessions:
  - id: ouverture
    kind: welcome
    title: Ouverture
    start: "09:00"
    end: "09:15"
  - id: courants
    kind: spotlight
    title: Courants et apprentissage
    start: "09:15"
    end: "10:00"
    papers: [courants]
"""
PAPERS = """\
papers:
  - id: courants
    title: Prédire les courants côtiers
    authors:
      - name: Anne Exemple
        presenter: true
    abstract: Un réseau de neurones prédit les courants.
    pdf: https://example.org/courants.pdf
  - id: plancton
    title: Compter le plancton
    authors:
      - name: Paul Exemple
        presenter: true
"""
# Every text the software writes, in French (site.yaml's wording).
FRENCH_WORDING = (Path(__file__).parent / "fixtures" / "wording-fr.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def oceans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder made by new-site, then written as its organizers would, in French."""
    folder = tmp_path_factory.mktemp("oceans") / "site"
    options = ["--title", "Océans 2026", "--venue-city", "Brest, France", "--timezone", "Europe/Paris"]
    result = CliRunner().invoke(main, ["new-site", str(folder), *options, "--date", "2026-06-12", "--edition", EDITION])
    assert result.exit_code == 0, result.output
    edition = folder / EDITION
    (edition / "photos").mkdir(exist_ok=True)
    for name in ("vagues.png", "logo.png", "icone.png"):
        (edition / "photos" / name).write_bytes(tiny_png())
    (edition / "site.yaml").write_text(SITE + FRENCH_WORDING, encoding="utf-8")
    (edition / "program.yaml").write_text(PROGRAM, encoding="utf-8")
    (edition / "papers.yaml").write_text(PAPERS, encoding="utf-8")
    (edition / "announcements.yaml").write_text(ANNOUNCEMENTS, encoding="utf-8")
    (edition / "venue.yaml").write_text(VENUE, encoding="utf-8")
    (edition / "sponsors.yaml").write_text(SPONSORS, encoding="utf-8")
    (edition / "sections").mkdir()
    (edition / "sections" / "charte.md").write_text(OWN_SECTION, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--data-dir", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def shipped_words_in(text: str) -> list[str]:
    return sorted({match.group(0) for match in SHIPPED_WORDS.finditer(text)})


@pytest.fixture(scope="module")
def oceans_app(oceans: Path) -> Flask:
    # The default settings, as someone who runs the site without configuring it gets them.
    return build_app(oceans)


def test_every_page_and_document_is_free_of_the_shipped_workshop(oceans_app: Flask) -> None:
    client = oceans_app.test_client()
    with oceans_app.app_context():
        content = get_content()
    urls = [*site_urls(oceans_app, content), "/api/v1/status.json", "/nowhere/", "/api/v1/nothing.json"]
    found = {}
    for url in urls:
        response = client.get(url)
        if response.mimetype.startswith("image/") and not response.mimetype.endswith("svg+xml"):
            continue
        words = shipped_words_in(response.get_data(as_text=True))
        if words:
            found[url] = words
    assert len(urls) > 40
    assert found == {}


def test_the_static_export_is_free_of_the_shipped_workshop(oceans: Path, tmp_path: Path) -> None:
    destination = tmp_path / "export"
    result = CliRunner().invoke(main, ["export", "--data-dir", str(oceans), "--destination", str(destination)])
    assert result.exit_code == 0, result.output
    found = {}
    files = [path for path in destination.rglob("*") if path.is_file() and path.suffix != ".png"]
    for path in files:
        words = shipped_words_in(path.read_text(encoding="utf-8"))
        if words:
            found[str(path.relative_to(destination))] = words
    # The stylesheets, scripts, pages, API and calendars were all searched.
    assert {path.suffix for path in files} >= {".html", ".json", ".ics", ".xml", ".css", ".js", ".svg"}
    assert found == {}


def test_the_second_workshop_has_its_own_look_and_time_zone(oceans_app: Flask) -> None:
    client = oceans_app.test_client()
    page = client.get("/").get_data(as_text=True)
    assert "Apprentissage profond pour l&#39;océanographie" in page and "Europe/Paris" in page
    assert re.search(rf'<img class="hero-logo" src="/{EDITION}/photos/[0-9a-f]{{12}}/logo.png" alt="">', page)
    (stylesheet,) = re.findall(r'<link rel="stylesheet" href="([^"]+)">', page)
    css = client.get(stylesheet).get_data(as_text=True)
    assert "--accent:#006b3c;" in css and "--header-bg:#0d3b4f;" in css


def test_the_second_workshop_is_in_french_with_french_headings(oceans_app: Flask) -> None:
    client = oceans_app.test_client()
    page = parse_html(client.get("/").get_data(as_text=True))
    assert page.one("html").attrs["lang"] == "fr"
    menu = page.one("nav", cls="site-nav")
    assert [link.text() for link in menu.find_all("a")] == FRENCH_MENU
    main_part = page.one("main")
    assert [heading.text() for heading in main_part.find_all("h2")] == FRENCH_SECTION_HEADINGS
    assert "Accès et accessibilité" in [heading.text() for heading in main_part.find_all("h3")]
    assert "Signaler un problème" in [heading.text() for heading in main_part.find_all("h3")]
    # The section left out of sections: is not shown, in French or in English.
    assert "posters" not in page.ids() and "Affiches" not in page.text()
    # What other programs read declares the language too.
    assert json_ld(head_of(client))["inLanguage"] == "fr"
    assert client.get("/api/v1/feed.json").json["language"] == "fr"
    schedule = client.get("/api/v1/schedule.json").json["schedule"]["conference"]
    events = [event for day in schedule["days"] for room in day["rooms"].values() for event in room]
    assert all(event["language"] == "fr" for event in events)


@pytest.mark.parametrize("tag", ["french", "fr_FR", "xx", "en--US"])
def test_check_refuses_a_language_that_is_no_bcp_47_tag(oceans: Path, tmp_path: Path, tag: str) -> None:
    folder = tmp_path / "site"
    shutil.copytree(oceans, folder)
    site = folder / EDITION / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("language: fr", f"language: {tag}"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--data-dir", str(folder)])
    assert result.exit_code != 0
    assert f"{EDITION}/site.yaml:" in result.output
    assert f"language: {tag!r} is not a BCP 47 language tag" in result.output


@pytest.mark.parametrize(
    ("key", "wrong"),
    [("headings", "charte: Notre charte"), ("menu", "call_for_abstracts: Appel"), ("menu", "speakers: Orateurs")],
)
def test_check_refuses_a_heading_or_label_of_no_built_in_section(
    oceans: Path, tmp_path: Path, key: str, wrong: str
) -> None:
    # An own section's title is its front matter's; the menu lists sections, not the headings inside them.
    folder = tmp_path / "site"
    shutil.copytree(oceans, folder)
    site = folder / EDITION / "site.yaml"
    text = site.read_text(encoding="utf-8").replace(f"{key}:\n", f"{key}:\n  {wrong}\n", 1)
    site.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--data-dir", str(folder)])
    assert result.exit_code != 0
    assert f"{EDITION}/site.yaml:" in result.output
    assert f"{key}.{wrong.partition(':')[0]}: Unknown field" in result.output


# Words the software writes in English (the French site's pages have none of them), and the English
# month and weekday names (its dates are written in French).
ENGLISH_UI = re.compile(
    r"Add to calendar|Show times in|\bNow\b|\bNext\b|took place|[Yy]our time|papers? shown|venue time|Passed"
    r"|Subscribe to all dates|Map of the venue|Step-free access|Public transport|presented by|Other contributions"
    r"|Skip to content|Watch the|\bAbstract\b|\bCite\b|Previous paper|Next paper|Not Found|\bworkshop\b"
    r"|Filter by|Times are in|All dates are in|\bday\b|\bdays\b|\bhours?\b|\bleft\b"
    r"|January|February|March|April|\bMay\b|June|July|August|September|October|November|December"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
)
# Attributes whose text is read out or shown (a <meta>'s content: what link previews show).
READ_ATTRIBUTES = ("aria-label", "alt", "title", "content")
FRENCH_PAGES = ["/", f"/{EDITION}/", f"/{EDITION}/papers/courants/", f"/{EDITION}/papers/plancton/"]
FRENCH_ERROR_PAGES = ["/nowhere/", f"/{EDITION}/nothing/", f"/{EDITION}/papers/nothing/"]


def read_text(page: Element) -> str:
    """What a visitor may read or hear of a page, hidden parts too (scripts show them): its text and read
    attributes; not its data (scripts, the citation <meta> tags for indexers, out of this table's scope)."""
    parts: list[str] = []
    for element in page.iter():
        if element.tag == "meta" and (element.attrs.get("name") or "").startswith("citation_"):
            continue
        if element.tag not in ("script", "style"):
            parts += [child for child in element.children if isinstance(child, str)]
        parts += [element.attrs.get(name) or "" for name in READ_ATTRIBUTES]
    return " ".join(parts)


def english_words_in(text: str) -> list[str]:
    return sorted({match.group(0) for match in ENGLISH_UI.finditer(text)})


def test_the_french_pages_have_no_english_word_of_the_software(oceans_app: Flask) -> None:
    client = oceans_app.test_client()
    found = {}
    for url in FRENCH_PAGES + FRENCH_ERROR_PAGES:
        response = client.get(url)
        assert response.status_code == (200 if url in FRENCH_PAGES else 404), url
        words = english_words_in(read_text(parse_html(response.get_data(as_text=True))))
        if words:
            found[url] = words
    assert found == {}


def test_the_french_pages_write_french_words_and_dates(oceans_app: Flask) -> None:
    client = oceans_app.test_client()
    page = parse_html(client.get(f"/{EDITION}/").get_data(as_text=True))
    text = page.text()
    assert "vendredi 12 juin 2026" in text and "Ajouter à l'agenda" in text
    assert "présenté par Anne Exemple" in text and "Autres contributions" in text
    assert page.one("legend").text() == "Afficher les heures"
    assert "Page introuvable" in client.get(f"/{EDITION}/nothing/").get_data(as_text=True)
    paper = parse_html(client.get(f"/{EDITION}/papers/courants/").get_data(as_text=True))
    assert [heading.text() for heading in paper.find_all("h2")] == ["Résumé", "Liens", "Citer"]


@pytest.fixture
def oceans_server(
    oceans: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[LiveServer]:
    """The French site served, its clock at the test's instant (request.param)."""
    instant = dt.datetime.fromisoformat(request.param)
    monkeypatch.setattr(clock, "now", lambda: instant)
    with LiveServer(build_app(oceans)) as server:
        yield server


def shown_words(page: Page) -> str:
    """What the page reads, once its scripts ran: its text (no script) and its read attributes."""
    return page.evaluate(
        """(names) => {
            const parts = [document.title];
            for (const element of document.querySelectorAll("body *:not(script)")) {
                for (const node of element.childNodes) {
                    if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent);
                }
                for (const name of names) parts.push(element.getAttribute(name) ?? "");
            }
            return parts.join(" ");
        }""",
        list(READ_ATTRIBUTES),
    )


@pytest.mark.browser
@pytest.mark.parametrize(
    ("oceans_server", "expected"),
    [
        # Abstracts welcome: the countdown.
        ("2026-03-01T08:00:00+00:00", ["Encore 47 jours", "Vos heures sont données pour Asia/Tokyo."]),
        # During the spotlight session: the live banner, now and next marks.
        (
            "2026-06-12T07:20:00+00:00",
            ["En cours : Courants et apprentissage", "heure du lieu ; 16:15\u201317:00 chez vous"],
        ),
    ],
    indirect=["oceans_server"],
)
def test_with_javascript_the_french_pages_stay_french(
    browser: Browser, oceans_server: LiveServer, expected: list[str]
) -> None:
    now = clock.now().isoformat()
    context = browser.new_context(locale="en-US", timezone_id="Asia/Tokyo")
    page = context.new_page()
    page.clock.install(time=now)
    page.goto(f"{oceans_server.url}/")
    expect(page.locator("#dates")).to_have_attribute("data-enhanced", "true")
    page.locator("input[name=time-mode][value=local]").check()
    page.locator("#paper-filter-input").fill("plancton")
    expect(page.locator(".paper-filter-count")).to_have_text("1 sur 2 articles affichés.")
    body = " ".join((page.locator("body").text_content() or "").split())
    for sentence in [*expected, "Chez vous : "]:
        assert sentence in body
    assert english_words_in(shown_words(page)) == []
    paper = context.new_page()
    paper.clock.install(time=now)
    paper.goto(f"{oceans_server.url}/{EDITION}/papers/courants/")
    expect(paper.locator(".visitor-time")).to_contain_text("Chez vous : ven. 12 juin 2026")
    assert english_words_in(shown_words(paper)) == []


@pytest.mark.parametrize(
    ("wording", "message"),
    [
        ("add_to_cal: Ajouter", "wording.add_to_cal: Unknown field"),
        ('presented_by: "présenté par"', "wording.presented_by: keep {names}: the page fills it in."),
        ('presented_by: "présenté par {noms}"', "wording.presented_by: keep {names}: the page fills it in. {noms}"),
        ('presented_by: "présenté par {names"', "wording.presented_by: a lone { or }"),
    ],
)
def test_check_refuses_an_unknown_wording_or_a_lost_placeholder(
    oceans: Path, tmp_path: Path, wording: str, message: str
) -> None:
    folder = tmp_path / "site"
    shutil.copytree(oceans, folder)
    site = folder / EDITION / "site.yaml"
    text = site.read_text(encoding="utf-8").replace("\nwording:\n", f"\nwording:\n  {wording}\n", 1)
    # The same id twice in YAML: the one written last is kept, so the French file's is dropped here.
    text = text.replace('  presented_by: "présenté par {names}"\n', "")
    site.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--data-dir", str(folder)])
    assert result.exit_code != 0
    assert f"{EDITION}/site.yaml:" in result.output
    assert message in result.output
