"""Real organizer changes, each made by editing one data file of a running site.

Every test starts the app once over a private copy of the shipped data, checks
what visitors see before the change, edits one YAML file (as an organizer
would, in place), lets the store settle, and checks the page and the JSON API
again, without a restart. Broken versions of the same changes must never reach
visitors: the site keeps the last good content and status.json says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask

from tests.conftest import edit_data_file, tiny_png
from tests.dom import Element, parse_html
from tests.test_reload import settle, store_of

EDITION = "icml2023"

OLD_DEADLINE = "2023-05-19T23:59:00-12:00"
NEW_DEADLINE = "2023-05-26T23:59:00-12:00"
OLD_DEADLINE_TEXT = "Friday, May 19, 2023, 23:59 AoE"
NEW_DEADLINE_TEXT = "Friday, May 26, 2023, 23:59 AoE"
WORKSHOP_DAY_TEXT = "Friday, July 28, 2023, 08:00 \u2013 17:00 HST"


# --- Organizer edits and the running site ----------------------------------------------


@dataclass(frozen=True)
class Change:
    """What an organizer does: text replacements in one data file, plus any photos it needs."""

    file: str  # in the edition folder, e.g. "dates.yaml"
    edits: tuple[tuple[str, str], ...]
    photos: tuple[str, ...] = ()  # image files added to the edition's photos/ folder

    @property
    def resource(self) -> str:
        return self.file.removesuffix(".yaml")

    def apply(self, edition: Path) -> None:
        for name in self.photos:
            (edition / "photos").mkdir(exist_ok=True)
            (edition / "photos" / name).write_bytes(tiny_png())
        for old, new in self.edits:
            edit_data_file(edition / self.file, old, new)

    def broken(self, old: str, new: str) -> Change:
        """The same change with one mistake in it."""
        return replace(self, edits=(*self.edits, (old, new)))


class LiveSite:
    """One app over a private data copy, never restarted, seen as visitors and API clients see it."""

    def __init__(self, app: Flask, data_dir: Path) -> None:
        self.client = app.test_client()
        self.store = store_of(app)
        self.data_dir = data_dir
        self.edition = data_dir / EDITION

    def html(self, path: str = "/") -> bytes:
        response = self.client.get(path)
        assert response.status_code == 200
        assert response.mimetype == "text/html"
        return response.get_data()

    def page(self, path: str = "/") -> Element:
        return parse_html(self.html(path).decode("utf-8"))

    def api(self, resource: str) -> dict[str, Any]:
        response = self.client.get(f"/api/v1/{resource}.json")
        assert response.status_code == 200
        assert response.mimetype == "application/json"
        return response.json

    def status(self) -> dict[str, Any]:
        return self.api("status")

    def data_files(self) -> dict[str, bytes]:
        return {path.relative_to(self.data_dir).as_posix(): path.read_bytes() for path in self.data_dir.rglob("*.yaml")}

    def go_live(self, change: Change) -> None:
        """Make the change, let the store settle, and check a new version is served from that one file."""
        before = self.status()
        assert before["stale"] is False, before["problems"]
        files_before = self.data_files()
        change.apply(self.edition)
        settle(self.store)
        after = self.status()
        assert after["stale"] is False, after["problems"]
        assert after["content_version"] != before["content_version"]
        changed = {name for name, body in self.data_files().items() if files_before.get(name) != body}
        assert changed == {f"{EDITION}/{change.file}"}
        assert self.api(change.resource)["content_version"] == after["content_version"]

    def assert_html_url_leads_to_its_section(self, resource: str) -> Element:
        """The API document's html_url names an anchor that exists on that page; returns the element."""
        url = urlsplit(self.api(resource)["html_url"])
        assert url.fragment, f"{resource}.json html_url has no anchor"
        return self.page(url.path).by_id(url.fragment)


@pytest.fixture
def site(data_dir: Path, make_app: Callable[..., Flask]) -> LiveSite:
    return LiveSite(make_app(data_dir), data_dir)


def item_by_id(items: list[dict[str, Any]], item_id: str) -> dict[str, Any]:
    (found,) = [item for item in items if item["id"] == item_id]
    return found


def assert_extended(element: Element) -> None:
    """The old deadline struck through, then "extended to" the new one, outside the <del>."""
    (struck,) = element.find_all("del")
    assert OLD_DEADLINE_TEXT in struck.text()
    assert struck.datetimes() == [OLD_DEADLINE]
    assert element.datetimes(skip={"del"}) == [NEW_DEADLINE]
    current = element.text(skip={"del"})
    assert current.endswith(f"extended to {NEW_DEADLINE_TEXT}"), current
    assert "May 19" not in current


# --- The changes -------------------------------------------------------------------------

DEADLINE_EXTENDED = Change(
    "dates.yaml",
    ((f"    at: {OLD_DEADLINE}\n", f"    at: {NEW_DEADLINE}\n    previously:\n      - at: {OLD_DEADLINE}\n"),),
)

WORKSHOP_DAY_CONFIRMED = Change(
    "dates.yaml",
    (
        (
            "    date_options: [2023-07-28, 2023-07-29]\n",
            "    at: 2023-07-28T08:00:00-10:00\n    end: 2023-07-28T17:00:00-10:00\n",
        ),
    ),
)

SPEAKERS_ANNOUNCED = Change(
    "speakers.yaml",
    (
        (
            "speakers: []\n",
            """\
speakers:
  - id: cecilia-nova
    name: Cecilia Nova
    affiliation: Example Observatory
    url: https://example.org/~nova
    photo: photos/cecilia-nova.png
  - id: edwin-halo
    name: Edwin Halo
    affiliation: Example University
  - id: jocelyn-pulsar
    name: Jocelyn Pulsar
    affiliation: Example Institute
    role: panelist
  - id: vera-quasar
    name: Vera Quasar
    affiliation: Example Laboratory
    role: panelist
""",
        ),
    ),
    photos=("cecilia-nova.png",),
)

SESSIONS = """\
date: 2023-07-28
sessions:
  - id: welcome
    kind: welcome
    title: Welcome and introduction
    start: 08:50
    end: 09:00
  - id: keynote-nova
    kind: keynote
    title: "Keynote: learning from simulations"
    start: 09:00
    end: 09:45
  - id: spotlights
    kind: spotlight
    title: Spotlight talks
    start: 09:45
    end: 10:15
  - id: coffee
    kind: break
    title: Coffee break
    start: 10:15
    end: 10:45
  - id: posters
    kind: poster-session
    title: Poster session
    start: 10:45
    end: 12:00
  - id: panel
    kind: panel
    title: "Panel: what would make ML trustworthy for discovery?"
    start: "16:00"
    end: "17:00"
"""
# (id, kind, title, start, end) as the page and the API must show them.
SCHEDULE = [
    ("welcome", "welcome", "Welcome and introduction", "08:50", "09:00"),
    ("keynote-nova", "keynote", "Keynote: learning from simulations", "09:00", "09:45"),
    ("spotlights", "spotlight", "Spotlight talks", "09:45", "10:15"),
    ("coffee", "break", "Coffee break", "10:15", "10:45"),
    ("posters", "poster-session", "Poster session", "10:45", "12:00"),
    ("panel", "panel", "Panel: what would make ML trustworthy for discovery?", "16:00", "17:00"),
]

PROGRAM_PUBLISHED = Change(
    "program.yaml",
    (("status: to-be-announced\n", "status: published\n"), ("sessions: []\n", SESSIONS)),
)

PROGRAM_WITH_PEOPLE_AND_PAPERS = Change(
    "program.yaml",
    (
        *PROGRAM_PUBLISHED.edits,
        ("    end: 09:45\n", "    end: 09:45\n    speakers: [cecilia-nova]\n"),
        ("    end: 10:15\n", "    end: 10:15\n    papers: [fast-emulators]\n"),
        ("    end: 12:00\n", "    end: 12:00\n    papers: [fast-emulators, rare-signals]\n"),
        ('    end: "17:00"\n', '    end: "17:00"\n    speakers: [jocelyn-pulsar, vera-quasar]\n'),
    ),
)

PAPERS_ACCEPTED = Change(
    "papers.yaml",
    (
        (
            "papers: []\n",
            """\
papers:
  - id: fast-emulators
    title: Fast emulators for cosmological simulations
    authors:
      - name: Grace Example
        affiliation: Example University
      - name: Alan Example
        presenter: true
      - name: Emmy Example
    pdf: https://example.org/papers/fast-emulators.pdf
    presentation: contributed-talk
  - id: rare-signals
    title: Searching for rare signals with normalizing flows
    authors:
      - name: Henrietta Example
        presenter: true
      - name: Annie Example
    presentation: poster
""",
        ),
    ),
)

ANNOUNCEMENT_ADDED = Change(
    "announcements.yaml",
    (
        (
            "announcements: []\n",
            """\
announcements:
  - id: deadline-extended
    published: 2023-05-12
    title: Submission deadline extended by one week
    body: The submission deadline is now **May 26**. See the [important dates](#dates).
""",
        ),
    ),
)

FAQ_ADDED = Change(
    "logistics.yaml",
    (
        (
            "faqs: []\n",
            """\
faqs:
  - id: poster-printing
    question: Do I need to bring a printed poster?
    answer: Yes, please **print it yourself**; see the [poster instructions](#posters).
""",
        ),
    ),
)


# --- 1. Extend a deadline, keeping its history ---------------------------------------------


def test_extending_the_submission_deadline_keeps_the_old_one_struck_through(site: LiveSite) -> None:
    before = site.page().by_id("date-submission-deadline")
    assert before.find_all("del") == []
    assert before.datetimes() == [OLD_DEADLINE]

    site.go_live(DEADLINE_EXTENDED)

    page = site.page()
    item = page.by_id("date-submission-deadline")
    assert item.one(cls="date-title").text() == "Submission deadline"
    value = item.one(cls="date-value")
    assert_extended(value)
    assert value.text(skip={"del"}) == f"extended to {NEW_DEADLINE_TEXT}"
    # The call for abstracts names the same deadline: its sentence and its fact follow.
    cfa = page.by_id("call-for-abstracts")
    submit = cfa.one("p", cls="submit").one("strong")
    assert submit.text(skip={"del"}) == f"before extended to {NEW_DEADLINE_TEXT}"
    assert_extended(submit)
    (deadline_fact,) = [div for div in cfa.one("dl", cls="facts").find_all("div") if div.one("dt").text() == "Deadline"]
    assert_extended(deadline_fact.one("dd"))

    dates = site.api("dates")
    deadline = item_by_id(dates["data"]["items"], "submission-deadline")
    assert deadline["at"] == NEW_DEADLINE
    assert deadline["previously"] == [{"at": OLD_DEADLINE, "date": None}]
    assert deadline["starts_at"] == deadline["ends_at"] == NEW_DEADLINE
    assert site.api("call-for-abstracts")["data"]["submission"]["deadline"] == "submission-deadline"
    assert site.assert_html_url_leads_to_its_section("dates").tag == "section"


# --- 2. Confirm the workshop day ---------------------------------------------------------------


def test_confirming_the_workshop_day_shows_the_day_and_hours_at_the_venue(site: LiveSite) -> None:
    before = site.page()
    assert "(to be confirmed)" in before.one(cls="hero-when").text()
    assert "(to be confirmed)" in before.by_id("date-workshop").text()

    site.go_live(WORKSHOP_DAY_CONFIRMED)

    page = site.page()
    for when in (page.one(cls="hero-when"), page.by_id("date-workshop").one(cls="date-value")):
        assert when.text() == WORKSHOP_DAY_TEXT
        assert "to be confirmed" not in when.text()
        assert when.one("time").attrs["datetime"] == "2023-07-28T08:00:00-10:00"
        assert when.find_all(cls="tentative") == []

    workshop = item_by_id(site.api("dates")["data"]["items"], "workshop")
    assert workshop["at"] == workshop["starts_at"] == "2023-07-28T08:00:00-10:00"
    assert workshop["end"] == workshop["ends_at"] == "2023-07-28T17:00:00-10:00"
    assert workshop["date_options"] is None
    assert workshop["date"] is None
    site.assert_html_url_leads_to_its_section("dates")


# --- 3. Invited speakers with photos, and panelists ---------------------------------------------


def people_under(page: Element, heading_id: str) -> Element:
    heading = page.by_id(heading_id)
    people = page.by_id("program").element_after(heading)
    assert people.tag == "ul"
    assert "people" in people.classes
    return people


def test_announcing_invited_speakers_and_panelists_shows_their_cards(site: LiveSite) -> None:
    before = site.page()
    assert {"speakers", "panelists"}.isdisjoint(before.ids())
    assert before.by_id("program").find_all(cls="person") == []

    site.go_live(SPEAKERS_ANNOUNCED)

    page = site.page()
    assert page.by_id("speakers").text() == "Invited Speakers"
    assert page.by_id("panelists").text() == "Panelists"
    invited = people_under(page, "speakers")
    panelists = people_under(page, "panelists")
    assert [card.attrs["id"] for card in invited.find_all("li")] == ["person-cecilia-nova", "person-edwin-halo"]
    assert [card.attrs["id"] for card in panelists.find_all("li")] == ["person-jocelyn-pulsar", "person-vera-quasar"]

    speakers = {person["id"]: person for person in site.api("speakers")["data"]["speakers"]}
    nova = page.by_id("person-cecilia-nova")
    photo = nova.one("img")
    assert photo.attrs["alt"] == "Photo of Cecilia Nova"
    assert photo.attrs["src"] == speakers["cecilia-nova"]["photo_url"]
    served = site.client.get(photo.attrs["src"] or "")
    assert served.status_code == 200
    assert served.mimetype.startswith("image/")
    assert served.get_data() == tiny_png()
    assert nova.one(cls="person-name").one("a").attrs["href"] == "https://example.org/~nova"
    assert nova.find_all(cls="avatar-initials") == []

    for person_id, initials in [("edwin-halo", "EH"), ("jocelyn-pulsar", "JP"), ("vera-quasar", "VQ")]:
        card = page.by_id(f"person-{person_id}")
        assert card.find_all("img") == []
        assert card.one(cls="avatar-initials").text() == initials
        assert speakers[person_id]["initials"] == initials
        assert speakers[person_id]["photo_url"] is None
    assert page.by_id("person-vera-quasar").one(cls="person-affiliation").text() == "Example Laboratory"

    assert speakers["cecilia-nova"]["initials"] == "CN"
    assert speakers["cecilia-nova"]["photo"] == "photos/cecilia-nova.png"
    assert [person["role"] for person in speakers.values()] == ["invited-speaker"] * 2 + ["panelist"] * 2
    assert site.assert_html_url_leads_to_its_section("speakers").text() == "Invited Speakers"


PANEL_ONLY = Change(
    "speakers.yaml",
    (
        (
            "speakers: []\n",
            "speakers:\n  - id: jocelyn-pulsar\n    name: Jocelyn Pulsar\n    affiliation: Example Institute\n"
            "    role: panelist\n",
        ),
    ),
)


def test_panelists_announced_before_any_invited_speaker_are_where_the_api_says(site: LiveSite) -> None:
    assert site.api("speakers")["html_url"] == f"/{EDITION}/#program"

    site.go_live(PANEL_ONLY)

    page = site.page()
    assert "speakers" not in page.ids()  # no "Invited Speakers" heading without invited speakers
    assert [card.attrs["id"] for card in people_under(page, "panelists").find_all("li")] == ["person-jocelyn-pulsar"]
    assert site.assert_html_url_leads_to_its_section("speakers").text() == "Panelists"


# --- 4. Publish the program ------------------------------------------------------------------------


def test_publishing_the_program_replaces_tbd_with_the_schedule_in_venue_time(site: LiveSite) -> None:
    before = site.page().by_id("program")
    assert before.one(cls="status-note").text() == "TBD"
    assert before.find_all(cls="session") == []

    site.go_live(PROGRAM_PUBLISHED)

    program = site.page().by_id("program")
    assert "TBD" not in program.text()
    assert program.find_all(cls="status-note") == []
    assert program.by_id("schedule").text() == "Schedule"
    note = program.one(cls="zone-note")
    assert note.text() == "Friday, July 28, 2023. Times are in the venue's time zone, Pacific/Honolulu (HST)."
    sessions = program.one("ol", cls="schedule").find_all("li", cls="session")
    assert [session.attrs["id"] for session in sessions] == [f"session-{row[0]}" for row in SCHEDULE]
    for session, (_, kind, title, start, end) in zip(sessions, SCHEDULE, strict=True):
        assert f"session-{kind}" in session.classes
        assert session.one(cls="session-title").text() == title
        times = session.one(cls="session-time")
        assert times.datetimes() == [f"2023-07-28T{start}:00-10:00", f"2023-07-28T{end}:00-10:00"]
        assert times.text() == f"{start}\u2013{end}"

    data = site.api("program")["data"]
    assert data["status"] == "published"
    assert data["date"] == "2023-07-28"
    assert [
        (session["id"], session["kind"], session["title"], session["starts_at"], session["ends_at"])
        for session in data["sessions"]
    ] == [
        (session_id, kind, title, f"2023-07-28T{start}:00-10:00", f"2023-07-28T{end}:00-10:00")
        for session_id, kind, title, start, end in SCHEDULE
    ]
    site.assert_html_url_leads_to_its_section("program")


def test_a_program_links_its_speakers_and_papers_once_those_are_published(site: LiveSite) -> None:
    # A separate scenario over several files: people and papers first, each live on its own, then the program.
    site.go_live(SPEAKERS_ANNOUNCED)
    site.go_live(PAPERS_ACCEPTED)
    assert site.page().by_id("program").find_all(cls="session") == []

    site.go_live(PROGRAM_WITH_PEOPLE_AND_PAPERS)

    page = site.page()
    links = {
        "welcome": [],
        "keynote-nova": [("#person-cecilia-nova", "Cecilia Nova")],
        "spotlights": [("#paper-fast-emulators", "Fast emulators for cosmological simulations")],
        "coffee": [],
        "posters": [
            ("#paper-fast-emulators", "Fast emulators for cosmological simulations"),
            ("#paper-rare-signals", "Searching for rare signals with normalizing flows"),
        ],
        "panel": [("#person-jocelyn-pulsar", "Jocelyn Pulsar"), ("#person-vera-quasar", "Vera Quasar")],
    }
    for session_id, expected in links.items():
        session = page.by_id(f"session-{session_id}")
        # Besides its "add to calendar" links (tests/test_calendar.py).
        calendar_links = {id(link) for link in session.one(cls="calendar-links").find_all("a")}
        people_and_papers = [link for link in session.find_all("a") if id(link) not in calendar_links]
        assert [(link.attrs["href"] or "", link.text()) for link in people_and_papers] == expected
        for href, text in expected:
            # Each link leads to the person's card or the paper's entry on the same page.
            target = page.by_id(href.removeprefix("#"))
            name = target.one(cls="person-name") if href.startswith("#person-") else target.one("a")
            assert name.text().startswith(text)

    sessions = {session["id"]: session for session in site.api("program")["data"]["sessions"]}
    assert sessions["keynote-nova"]["speakers"] == ["cecilia-nova"]
    assert sessions["panel"]["speakers"] == ["jocelyn-pulsar", "vera-quasar"]
    assert sessions["posters"]["papers"] == ["fast-emulators", "rare-signals"]
    assert sessions["coffee"]["speakers"] == sessions["coffee"]["papers"] == []
    site.assert_html_url_leads_to_its_section("program")


# --- 5. Accepted contributions ------------------------------------------------------------------------


def test_publishing_accepted_contributions_lists_them_with_presenters(site: LiveSite) -> None:
    assert "papers" not in site.page().ids()
    assert site.api("papers")["html_url"] == f"/{EDITION}/#program"

    site.go_live(PAPERS_ACCEPTED)

    page = site.page()
    heading = page.by_id("papers")
    assert heading.text() == "Accepted Contributions"
    papers = next(element for element in page.iter() if "accepted-papers" in element.classes)
    assert heading in papers.children
    assert [paper.attrs["id"] for paper in papers.find_all("li")] == ["paper-fast-emulators", "paper-rare-signals"]

    # No session presents them yet: each says its presenter and how it is presented; the PDF is on its page.
    talk = page.by_id("paper-fast-emulators")
    (title,) = talk.find_all("a")
    assert title.attrs["href"] == f"/{EDITION}/papers/fast-emulators/"
    assert title.text() == "Fast emulators for cosmological simulations"
    authors = talk.find_all("span")[0]
    assert authors.text() == "Grace Example, Alan Example (presenting), Emmy Example"
    assert [presenter.text() for presenter in authors.find_all(cls="presenter")] == ["Alan Example (presenting)"]
    assert talk.one(cls="paper-presentation").text() == "Contributed talks"
    assert "https://example.org/papers/fast-emulators.pdf" in {
        link.attrs["href"] for link in site.page(title.attrs["href"] or "").find_all("a")
    }

    poster = page.by_id("paper-rare-signals")
    assert poster.one("a").text() == "Searching for rare signals with normalizing flows"
    assert poster.find_all("span")[0].text() == "Henrietta Example (presenting), Annie Example"
    assert poster.one(cls="paper-presentation").text() == "Poster presentations"

    data = site.api("papers")["data"]["papers"]
    assert [paper["id"] for paper in data] == ["fast-emulators", "rare-signals"]
    assert [(author["name"], author["presenter"]) for author in data[0]["authors"]] == [
        ("Grace Example", False),
        ("Alan Example", True),
        ("Emmy Example", False),
    ]
    assert data[0]["authors"][0]["affiliation"] == "Example University"
    assert data[0]["pdf"] == "https://example.org/papers/fast-emulators.pdf"
    assert data[1]["pdf"] is None
    assert [paper["presentation"] for paper in data] == ["contributed-talk", "poster"]
    assert site.assert_html_url_leads_to_its_section("papers") == heading


# --- 6. News and FAQs ------------------------------------------------------------------------------------


def nav_links(page: Element) -> list[tuple[str | None, str]]:
    nav = page.one("nav", cls="site-nav")
    return [(link.attrs["href"], link.text()) for link in nav.find_all("a")]


def test_an_announcement_appears_as_news_with_its_date(site: LiveSite) -> None:
    before = site.page()
    assert "announcements" not in before.ids()
    assert ("#announcements", "News") not in nav_links(before)

    site.go_live(ANNOUNCEMENT_ADDED)

    page = site.page()
    assert nav_links(page)[0] == ("#announcements", "News")
    news = page.by_id("announcements")
    assert news.tag == "section"
    assert news.one("h2").text() == "News"
    item = news.by_id("announcement-deadline-extended")
    assert item.one("h3").text() == "Submission deadline extended by one week"
    published = item.one(cls="announcement-date").one("time")
    assert (published.attrs["datetime"], published.text()) == ("2023-05-12", "Friday, May 12, 2023")
    body = item.find_all("p")[-1]
    assert body.text() == "The submission deadline is now May 26. See the important dates."
    assert body.one("strong").text() == "May 26"
    assert body.one("a").attrs["href"] == "#dates"

    (announcement,) = site.api("announcements")["data"]["announcements"]
    assert announcement["id"] == "deadline-extended"
    assert announcement["published"] == "2023-05-12"
    assert announcement["title"] == "Submission deadline extended by one week"
    assert "<strong>May 26</strong>" in announcement["body"]["html"]
    assert announcement["body"]["markdown"].startswith("The submission deadline is now **May 26**.")
    assert site.assert_html_url_leads_to_its_section("announcements") == news


def test_an_faq_entry_appears_in_logistics_with_its_markdown_rendered(site: LiveSite) -> None:
    before = site.page().by_id("logistics")
    assert before.find_all("dl", cls="faqs") == []
    assert "Do I need to bring a printed poster?" not in before.text()

    site.go_live(FAQ_ADDED)

    logistics = site.page().by_id("logistics")
    assert logistics.by_id("faqs").text() == "Frequently asked questions"
    faq = logistics.one("dl", cls="faqs").by_id("faq-poster-printing")
    assert faq.one("dt").text() == "Do I need to bring a printed poster?"
    answer = faq.one("dd")
    assert answer.text() == "Yes, please print it yourself; see the poster instructions."
    assert answer.one("strong").text() == "print it yourself"
    assert answer.one("a").attrs["href"] == "#posters"

    (entry,) = site.api("logistics")["data"]["faqs"]
    assert entry["id"] == "poster-printing"
    assert entry["question"] == "Do I need to bring a printed poster?"
    assert "<strong>print it yourself</strong>" in entry["answer"]["html"]
    assert '<a href="#posters"' in entry["answer"]["html"]
    assert site.assert_html_url_leads_to_its_section("logistics").tag == "section"


# --- 7. Broken versions of each change never reach visitors -------------------------------------------


@dataclass(frozen=True)
class BrokenChange:
    """An organizer's change with one mistake in it, and what status.json must say of it."""

    change: Change
    field: str  # the field status.json names
    message: str  # part of its message
    line_text: str  # text on the line it names


BREAKAGES = {
    "previously-with-both-at-and-date": BrokenChange(
        DEADLINE_EXTENDED.broken(
            f"      - at: {OLD_DEADLINE}\n", f"      - at: {OLD_DEADLINE}\n        date: 2023-05-19\n"
        ),
        "items[0].previously[0]",
        "Give exactly one of 'at' or 'date'.",
        f"- at: {OLD_DEADLINE}",
    ),
    "workshop-ending-before-it-starts": BrokenChange(
        WORKSHOP_DAY_CONFIRMED.broken("end: 2023-07-28T17:00", "end: 2023-07-28T07:00"),
        "items[4].end",
        "Must be after 'at'.",
        "end: 2023-07-28T07:00:00-10:00",
    ),
    "speaker-photo-with-the-wrong-name": BrokenChange(
        SPEAKERS_ANNOUNCED.broken("photo: photos/cecilia-nova.png", "photo: photos/cecilia-nova.jpg"),
        "speakers[0].photo",
        "No such file: icml2023/photos/cecilia-nova.jpg.",
        "photo: photos/cecilia-nova.jpg",
    ),
    "program-naming-an-unknown-panelist": BrokenChange(
        PROGRAM_PUBLISHED.broken('    end: "17:00"\n', '    end: "17:00"\n    speakers: [jocelyn-pulsar]\n'),
        "sessions[5].speakers[0]",
        "No speaker with id 'jocelyn-pulsar' in speakers.yaml",
        "speakers: [jocelyn-pulsar]",
    ),
    "paper-without-a-presenter": BrokenChange(
        PAPERS_ACCEPTED.broken(
            "      - name: Henrietta Example\n        presenter: true\n", "      - name: Henrietta Example\n"
        ),
        "papers[1].authors",
        "Mark who presents",
        "authors:",
    ),
    "announcement-on-an-impossible-day": BrokenChange(
        ANNOUNCEMENT_ADDED.broken("published: 2023-05-12", "published: 2023-05-32"),
        "announcements[0].published",
        "Not a valid date.",
        "published: 2023-05-32",
    ),
    "faq-without-an-answer": BrokenChange(
        FAQ_ADDED.broken(
            "    answer: Yes, please **print it yourself**; see the [poster instructions](#posters).\n", ""
        ),
        "faqs[0].answer",
        "Missing data for required field.",
        "- id: poster-printing",
    ),
}


@pytest.mark.parametrize("breakage", BREAKAGES.values(), ids=BREAKAGES.keys())
def test_a_broken_change_is_rejected_and_reported_with_file_and_field(site: LiveSite, breakage: BrokenChange) -> None:
    resource = breakage.change.resource
    good_page = site.html()
    good_document = site.api(resource)
    good_version = site.status()["content_version"]

    breakage.change.apply(site.edition)
    settle(site.store)

    assert site.html() == good_page
    assert site.api(resource) == good_document
    status = site.status()
    assert status["stale"] is True
    assert status["state"] == "stale"
    assert status["content_version"] == good_version
    (problem,) = status["problems"]
    data_file = f"{EDITION}/{breakage.change.file}"  # relative to the data folder
    assert (problem["file"], problem["field"]) == (data_file, breakage.field)
    assert breakage.message in problem["message"]
    lines = (site.edition / breakage.change.file).read_text(encoding="utf-8").splitlines()
    assert breakage.line_text in lines[problem["line"] - 1]
