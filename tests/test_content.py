"""The data files' schemas and the content loader, as organizers and visitors meet them.

An organizer who breaks a data file must learn which file, which line, which
field and what is wrong, and the site must refuse to start rather than serve
half the content. Valid files give immutable content with derived values
(instants of whole-day dates, photo URLs, sanitized HTML).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import FrozenInstanceError, dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from tests.conftest import SHIPPED_DATA, build_app, edit_data_file, tiny_png
from workshop.content import ContentError, Problem, load_content
from workshop.model import Content
from workshop.schemas import SERVED_SCHEMAS
from workshop.staticfiles import version_of
from workshop.timeschemas import DateItem

UTC_MINUS_12 = dt.timedelta(hours=-12)
AOE_ZONE = dt.timezone(UTC_MINUS_12)


# --- Helpers ---------------------------------------------------------------------


def replace(old: str, new: str) -> Callable[[Path], None]:
    """The edit of ``old`` into ``new`` (see ``edit_data_file``), to apply to a file later."""
    return lambda path: edit_data_file(path, old, new)


def write(text: str) -> Callable[[Path], None]:
    return lambda path: path.write_text(text, encoding="utf-8")


def edit_yaml(change: Callable[[dict], None]) -> Callable[[Path], None]:
    """An edit made on the parsed file, written back as YAML."""

    def edit(path: Path) -> None:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")

    return edit


def delete(path: Path) -> None:
    path.unlink()


def latin1_name(path: Path) -> None:
    """What an editor saving as Latin-1 does to 'Ménard'."""
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))


def line_containing(path: Path, needle: str) -> int:
    """1-based number of the last line of the file that contains ``needle``."""
    lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    numbers = [number for number, line in enumerate(lines, start=1) if needle in line]
    assert numbers, f"{needle!r} not in {path.name}"
    return numbers[-1]


def problems_of(data_dir: Path) -> tuple[Problem, ...]:
    with pytest.raises(ContentError) as caught:
        load_content(data_dir)
    return caught.value.problems


PUBLISHED_PROGRAM = """\
status: published
timezone: Pacific/Honolulu
date: 2023-07-28
sessions:
  - id: opening
    kind: welcome
    title: Welcome
    start: 09:00
    end: 09:15
  - id: keynote-1
    kind: keynote
    title: Keynote
    start: 09:15
    end: 10:00
    speakers: [jane-doe]
"""


# --- One broken thing, one precise problem -----------------------------------------


@dataclass(frozen=True)
class BrokenFile:
    """A data file broken one way, and the one problem loading must report."""

    file: str  # relative to the data folder
    change: Callable[[Path], None]  # applied to that file
    field: str  # expected field path; "" for a problem with the whole file
    message: str  # expected in the problem's message
    line: str | int | None  # text on the expected line (the last line holding it), a line number, or no line


BREAKAGES = [
    pytest.param(
        BrokenFile(
            "icml2023/topics.yaml",
            replace("title: Anomaly and outlier detection, search", "title: Anomaly detection: search"),
            "",
            "Invalid YAML: mapping values are not allowed",
            "Anomaly detection: search",
        ),
        id="yaml-syntax-error",
    ),
    pytest.param(
        BrokenFile(
            "icml2023/topics.yaml",
            edit_yaml(lambda data: data.update(items="Inference, robustness")),
            "items",
            "Not a valid list.",
            "items:",
        ),
        id="string-where-list-expected",
    ),
    pytest.param(
        BrokenFile(
            "icml2023/committee.yaml",
            replace("    affiliation: IAC\n", ""),
            "members[1].affiliation",
            "Missing data for required field.",
            "id: marc-huertas-company",  # a missing field has no line: its parent's
        ),
        id="missing-required-field",
    ),
    pytest.param(
        BrokenFile(
            "icml2023/logistics.yaml",
            edit_yaml(lambda data: data.pop("registration")),
            "registration",
            "Missing data for required field.",
            1,  # a missing top-level field: the file's first line
        ),
        id="missing-top-level-field",
    ),
    pytest.param(
        BrokenFile(
            "icml2023/posters.yaml", replace("paper: A1", "papr: A1"), "sizes[0].papr", "Unknown field.", "papr:"
        ),
        id="unknown-field-typo",
    ),
    pytest.param(
        BrokenFile(
            "icml2023/committee.yaml",
            replace("    affiliation: IAC\n", "    affiliation: IAC\n    photo_url: /me.jpg\n"),
            "members[1].photo_url",
            "Unknown field.",
            "photo_url:",
        ),
        id="derived-field-written-in-file",
    ),
    pytest.param(
        BrokenFile(
            "icml2023/dates.yaml",
            replace("at: 2023-05-19T23:59:00-12:00", "at: 2023-05-19T23:59:00"),
            "items[0].at",
            "Missing UTC offset: write it as 2023-05-19T23:59:00-12:00 (-12:00 is AoE).",
            "at: 2023-05-19T23:59:00",
        ),
        id="datetime-without-utc-offset",
    ),
    pytest.param(
        BrokenFile(
            "icml2023/dates.yaml",
            replace("at: 2023-05-19T23:59:00-12:00", "at: 2023-05-32T23:59:00-12:00"),
            "items[0].at",
            "Not a valid date and time: write it as 2023-05-19T23:59:00-12:00.",
            "2023-05-32",
        ),
        id="invalid-datetime",
    ),
    pytest.param(
        BrokenFile(
            "icml2023/dates.yaml",
            replace("date: 2023-06-16", "date: 2023-06-31"),
            "items[1].date",
            "Not a valid date.",
            "2023-06-31",
        ),
        id="invalid-date",
    ),
    pytest.param(
        BrokenFile(
            "icml2023/topics.yaml",
            replace("id: robustness", "id: inference"),
            "items[1].id",
            "Duplicate id 'inference' (also item 0).",
            "id: inference",
        ),
        id="duplicate-id",
    ),
    pytest.param(
        BrokenFile(
            "icml2023/dates.yaml",
            replace("    title: Author Notification\n", "    title: Author Notification\n    title: Acceptance\n"),
            "",
            "Invalid YAML: duplicate key 'title'",
            "title: Acceptance",
        ),
        id="duplicate-yaml-key",
    ),
    pytest.param(
        BrokenFile(
            "icml2023/program.yaml",
            replace("note: TBD", "note: TBD\n[a, b]: c"),
            "",
            "Invalid YAML: a key must be a plain name",
            "[a, b]",
        ),
        id="list-as-key",
    ),
    pytest.param(
        BrokenFile(
            "icml2023/call-for-abstracts.yaml",
            replace("deadline: submission-deadline", "deadline: abstract-deadline"),
            "submission.deadline",
            "No date with id 'abstract-deadline' in dates.yaml",
            "deadline: abstract-deadline",
        ),
        id="deadline-names-unknown-date",
    ),
    pytest.param(
        BrokenFile("icml2023/posters.yaml", delete, "", "File is missing.", None),
        id="file-deleted",
    ),
    pytest.param(
        BrokenFile("icml2023/logistics.yaml", write(""), "", "found nothing (the file is empty)", 1),
        id="empty-file",
    ),
    pytest.param(
        BrokenFile(
            "icml2023/committee.yaml",
            write('intro: "Scientific Organizing Committee for the\nmembers:\n  - id: fran'),
            "",
            "Invalid YAML: found unexpected end of stream",
            "- id: fran",
        ),
        id="half-written-file",
    ),
    pytest.param(
        BrokenFile("icml2023/committee.yaml", latin1_name, "", "Not valid UTF-8", "name: Brice M"),
        id="not-utf8",
    ),
    pytest.param(
        BrokenFile(
            "icml2023/site.yaml",
            replace("timezone: Pacific/Honolulu", "timezone: Hawaii/Honolulu"),
            "venue.timezone",
            "Unknown time zone 'Hawaii/Honolulu'",
            "timezone:",
        ),
        id="unknown-time-zone",
    ),
    pytest.param(
        BrokenFile(
            "icml2023/logistics.yaml",
            replace("url: https://icml.cc/Register2", "url: icml.cc/Register2"),
            "registration.url",
            "Not a valid URL.",
            "icml.cc/Register2",
        ),
        id="bad-url",
    ),
    pytest.param(
        BrokenFile(
            "icml2023/site.yaml",
            replace('href: "#call-for-abstracts"', "href: javascript:alert(1)"),
            "call_to_action.href",
            "Not a valid link",
            "href:",
        ),
        id="script-link",
    ),
    pytest.param(
        BrokenFile(
            "icml2023/dates.yaml",
            replace("    date: 2023-06-16\n", "    date: 2023-06-16\n    at: 2023-06-16T12:00:00-12:00\n"),
            "items[1]",
            "Give exactly one of 'at', 'date' or 'date_options' (found at, date).",
            "id: author-notification",
        ),
        id="both-at-and-date",
    ),
    pytest.param(
        BrokenFile(
            "icml2023/posters.yaml",
            replace("orientation: landscape", "orientation: portrait"),
            "sizes[1].orientation",
            "Does not match the size: 122.0 x 90.0 cm is landscape.",
            "orientation: portrait",
        ),
        id="orientation-contradicts-size",
    ),
    pytest.param(
        BrokenFile(
            "editions.yaml",
            replace("current: icml2023", "current: icml2024"),
            "current",
            "No edition folder 'icml2024' with a site.yaml (found: icml2023).",
            "current:",
        ),
        id="current-edition-folder-missing",
    ),
    pytest.param(
        BrokenFile(
            "editions.yaml",
            replace("site_url: https://ml4astro.github.io", "site_url: https://ml4astro.github.io/?utm=1"),
            "site_url",
            "Write the address alone: no query (?...) or fragment (#...).",
            "site_url:",
        ),
        id="site-url-with-a-query",
    ),
    pytest.param(
        BrokenFile(
            "editions.yaml",
            replace("site_url: https://ml4astro.github.io", "site_url: ml4astro.github.io"),
            "site_url",
            "Not a valid URL.",
            "site_url:",
        ),
        id="site-url-without-scheme",
    ),
    pytest.param(
        BrokenFile("icml2023/partners.yaml", write("partners: []\n"), "", "Unknown data file", None),
        id="unknown-extra-file",
    ),
    pytest.param(
        BrokenFile("icml2023/posters.yml", write("intro: New sizes\n"), "", "Unknown data file", None),
        id="yml-beside-yaml",
    ),
    pytest.param(
        BrokenFile(
            "icml2023/program.yaml",
            write(PUBLISHED_PROGRAM),
            "sessions[1].speakers[0]",
            "No speaker with id 'jane-doe' in speakers.yaml (known: none).",
            "speakers: [jane-doe]",
        ),
        id="session-names-unknown-speaker",
    ),
    pytest.param(
        BrokenFile(
            "icml2023/program.yaml",
            write(PUBLISHED_PROGRAM.replace("end: 09:15", "end: 08:45", 1)),
            "sessions[0].end",
            "Must be after start.",
            "08:45",
        ),
        id="session-ends-before-start",
    ),
    pytest.param(
        BrokenFile(
            "icml2023/committee.yaml",
            replace("    affiliation: IAC\n", "    affiliation: IAC\n    photo: photos/marc.jpg\n"),
            "members[1].photo",
            "No such file: icml2023/photos/marc.jpg.",
            "photo:",
        ),
        id="photo-file-missing",
    ),
    pytest.param(
        BrokenFile(
            "icml2023/program.yaml",
            replace("sessions: []", "sessions: &loop [*loop]"),
            "sessions[0]",
            "Invalid input type.",
            "sessions:",
        ),
        id="recursive-alias",
    ),
]


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_broken_file_is_reported_precisely(data_dir: Path, breakage: BrokenFile) -> None:
    path = data_dir / breakage.file
    breakage.change(path)

    problems = problems_of(data_dir)

    shown_file = f"data/{breakage.file}"
    matching = [p for p in problems if p.field == breakage.field and breakage.message in p.message]
    assert matching, f"no problem on {breakage.field!r} saying {breakage.message!r} in:\n" + "\n".join(
        map(str, problems)
    )
    problem = matching[0]
    assert problem.file == shown_file
    if isinstance(breakage.line, str):
        assert problem.line == line_containing(path, breakage.line)
    else:
        assert problem.line == breakage.line
    # One mistake in one file is not blamed on any other file.
    assert {p.file for p in problems} == {shown_file}


def test_a_data_file_linked_from_outside_is_one_problem_and_nothing_loads(data_dir: Path, tmp_path: Path) -> None:
    # The walk refuses the link before the edition loads: its section is missing, and only that is said.
    outside = tmp_path / "outside-topics.yaml"
    topics = data_dir / "icml2023" / "topics.yaml"
    outside.write_bytes(topics.read_bytes())
    topics.unlink()
    topics.symlink_to(outside)

    (problem,) = problems_of(data_dir)

    assert problem.file == "data/icml2023/topics.yaml"
    assert problem.message.startswith("Links outside the data folder")


def test_problem_reads_as_file_line_field_message(data_dir: Path) -> None:
    dates = data_dir / "icml2023" / "dates.yaml"
    edit_data_file(dates, "at: 2023-05-19T23:59:00-12:00", "at: 2023-05-32T23:59:00-12:00")
    line = line_containing(dates, "2023-05-32")

    (problem,) = problems_of(data_dir)

    message = "Not a valid date and time: write it as 2023-05-19T23:59:00-12:00."
    assert str(problem) == f"data/icml2023/dates.yaml:{line}: items[0].at: {message}"


def test_problem_without_line_or_field_reads_as_file_and_message(data_dir: Path) -> None:
    (data_dir / "icml2023" / "posters.yaml").unlink()

    (problem,) = problems_of(data_dir)

    assert str(problem) == "data/icml2023/posters.yaml: File is missing."


def test_line_numbers_survive_windows_line_endings_and_bom(data_dir: Path) -> None:
    dates = data_dir / "icml2023" / "dates.yaml"
    edit_data_file(dates, "at: 2023-05-19T23:59:00-12:00", "at: 2023-05-19T23:59:00")
    line = line_containing(dates, "at: 2023-05-19T23:59:00")
    dates.write_bytes(b"\xef\xbb\xbf" + dates.read_bytes().replace(b"\n", b"\r\n"))

    (problem,) = problems_of(data_dir)

    assert (problem.file, problem.line, problem.field) == ("data/icml2023/dates.yaml", line, "items[0].at")


def test_every_problem_in_every_file_is_reported_at_once(data_dir: Path) -> None:
    edition = data_dir / "icml2023"
    edit_data_file(edition / "dates.yaml", "at: 2023-05-19T23:59:00-12:00", "at: 2023-05-19T23:59:00")
    edit_data_file(edition / "committee.yaml", "    affiliation: IAC\n", "")
    edit_data_file(edition / "site.yaml", "timezone: Pacific/Honolulu", "timezone: Honolulu")
    (edition / "posters.yaml").unlink()
    edit_data_file(data_dir / "editions.yaml", "current: icml2023", "current: icml2024")

    with pytest.raises(ContentError) as caught:
        load_content(data_dir)

    reported = {(p.file, p.field) for p in caught.value.problems}
    assert reported == {
        ("data/icml2023/dates.yaml", "items[0].at"),
        ("data/icml2023/committee.yaml", "members[1].affiliation"),
        ("data/icml2023/site.yaml", "venue.timezone"),
        ("data/icml2023/posters.yaml", ""),
        ("data/editions.yaml", "current"),
    }
    # The exception's text lists each problem on its own line.
    assert str(caught.value).splitlines() == [str(p) for p in caught.value.problems]


def test_app_refuses_to_start_on_a_broken_data_file(data_dir: Path) -> None:
    edit_data_file(data_dir / "icml2023" / "call-for-abstracts.yaml", "max_pages: 4", "max_pages: four")

    with pytest.raises(ContentError) as caught:
        build_app(data_dir)

    assert [(p.file, p.field, p.message) for p in caught.value.problems] == [
        ("data/icml2023/call-for-abstracts.yaml", "format.max_pages", "Not a valid integer.")
    ]


def test_missing_data_directory_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="Data directory not found"):
        load_content(tmp_path / "nowhere")


# --- Valid data ----------------------------------------------------------------------


@pytest.fixture
def content() -> Content:
    return load_content(SHIPPED_DATA)


def date_item(content: Content, item_id: str) -> DateItem:
    return next(item for item in content.current_edition.dates.items if item.id == item_id)


def test_shipped_data_loads_every_section(content: Content) -> None:
    assert content.current == "icml2023"
    edition = content.current_edition
    assert set(edition.sections) == set(SERVED_SCHEMAS)
    assert edition.title == "Machine Learning for Astrophysics (ICML 2023)"
    assert [item.id for item in edition.dates.items] == [
        "submission-deadline",
        "author-notification",
        "camera-ready-paper",
        "camera-ready-poster",
        "workshop",
    ]
    assert edition.call_for_abstracts.submission.deadline == "submission-deadline"
    assert len(edition.topics.items) == 8
    assert len(edition.committee.members) == 8


def test_app_starts_on_a_valid_copy(data_dir: Path) -> None:
    app = build_app(data_dir)

    assert app.extensions["workshop.store"].content.current == "icml2023"


def test_date_only_item_stays_a_date(content: Content) -> None:
    notification = date_item(content, "author-notification")

    assert type(notification.date) is dt.date
    assert notification.date == dt.date(2023, 6, 16)
    assert notification.at is None


def test_timed_deadline_keeps_its_utc_offset(content: Content) -> None:
    deadline = date_item(content, "submission-deadline").at

    assert isinstance(deadline, dt.datetime)
    assert deadline.utcoffset() == UTC_MINUS_12
    assert deadline == dt.datetime(2023, 5, 20, 11, 59, tzinfo=dt.UTC)


def test_whole_aoe_day_spans_its_first_to_last_second_at_utc_minus_12(content: Content) -> None:
    notification = date_item(content, "author-notification")

    assert notification.starts_at == dt.datetime(2023, 6, 16, 0, 0, 0, tzinfo=AOE_ZONE)
    assert notification.ends_at == dt.datetime(2023, 6, 16, 23, 59, 59, tzinfo=AOE_ZONE)
    assert notification.starts_at.utcoffset() == notification.ends_at.utcoffset() == UTC_MINUS_12


def test_undecided_workshop_day_spans_all_its_options(content: Content) -> None:
    workshop = date_item(content, "workshop")

    assert workshop.date_options == (dt.date(2023, 7, 28), dt.date(2023, 7, 29))
    assert workshop.starts_at == dt.datetime(2023, 7, 28, 0, 0, 0, tzinfo=AOE_ZONE)
    assert workshop.ends_at == dt.datetime(2023, 7, 29, 23, 59, 59, tzinfo=AOE_ZONE)


def test_content_is_immutable(content: Content) -> None:
    edition = content.current_edition
    dates = edition.dates

    with pytest.raises(FrozenInstanceError):
        dates.note = "Changed at runtime"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        dates.items[0].title = "Changed at runtime"  # type: ignore[misc]
    with pytest.raises(TypeError):
        dates.items[0] = dates.items[1]  # type: ignore[index]
    with pytest.raises(FrozenInstanceError):
        edition.site.venue.name = "Changed at runtime"  # type: ignore[misc]
    with pytest.raises(TypeError):
        edition.sections["dates"] = dates  # type: ignore[index]
    with pytest.raises(TypeError):
        content.editions["icml2024"] = content.current_edition  # type: ignore[index]
    assert dates.note == "Dates are still preliminary and subject to change."


def test_version_is_stable_for_the_same_data(content: Content, data_dir: Path) -> None:
    # Same data in another folder (another machine): same version.
    assert load_content(data_dir).version == content.version == load_content(SHIPPED_DATA).version
    assert len(content.version) == 16


def test_version_ignores_comments(content: Content, data_dir: Path) -> None:
    dates = data_dir / "icml2023" / "dates.yaml"
    dates.write_text("# Reviewed by the chairs.\n" + dates.read_text(encoding="utf-8"), encoding="utf-8")

    assert load_content(data_dir).version == content.version


def test_version_changes_when_a_value_changes(content: Content, data_dir: Path) -> None:
    edit_data_file(data_dir / "icml2023" / "dates.yaml", "date: 2023-06-16", "date: 2023-06-17")

    assert load_content(data_dir).version != content.version


def test_existing_photo_gets_a_url_and_others_get_initials(data_dir: Path) -> None:
    edition = data_dir / "icml2023"
    (edition / "photos").mkdir(exist_ok=True)
    (edition / "photos" / "marc.png").write_bytes(tiny_png())
    edit_data_file(
        edition / "committee.yaml", "    affiliation: IAC\n", "    affiliation: IAC\n    photo: photos/marc.png\n"
    )

    members = load_content(data_dir).current_edition.committee.members

    assert members[1].photo == "photos/marc.png"
    assert members[1].photo_url == f"/icml2023/photos/{version_of(tiny_png())}/marc.png"
    assert members[0].photo_url is None
    assert members[0].initials == "FL"


@pytest.mark.parametrize(
    "photo", ["../secret.png", "/etc/photo.png", "photos/marc.gif", "headshots/marc.png", "photos/../site.yaml"]
)
def test_photo_outside_the_photos_folder_or_not_an_image_is_refused(data_dir: Path, photo: str) -> None:
    edition = data_dir / "icml2023"
    edit_data_file(edition / "committee.yaml", "    affiliation: IAC\n", f"    affiliation: IAC\n    photo: {photo}\n")

    (problem,) = problems_of(data_dir)

    assert (problem.file, problem.field) == ("data/icml2023/committee.yaml", "members[1].photo")
    assert problem.message.startswith("Must be an image in the edition's photos/ folder")


def test_merge_key_shares_fields_between_items(data_dir: Path) -> None:
    committee = data_dir / "icml2023" / "committee.yaml"
    edit_data_file(committee, "  - id: marc-huertas-company\n", "  - &iac\n    id: marc-huertas-company\n")
    edit_data_file(
        committee,
        "  - id: brice-menard\n    name: Brice Ménard\n    affiliation: Johns Hopkins University\n",
        "  - <<: *iac\n    id: brice-menard\n    name: Brice Ménard\n",
    )

    member = load_content(data_dir).current_edition.committee.members[2]

    assert (member.id, member.name, member.affiliation) == ("brice-menard", "Brice Ménard", "IAC")


class _Markup(HTMLParser):
    """Tags and link targets of an HTML fragment."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs += [value or "" for name, value in attrs if name == "href"]


HOSTILE_MARKDOWN = (
    "Read <script>alert(1)</script> the [notes](javascript:alert(2)), "
    '<a href="javascript:alert(3)">this</a>, <javascript:alert(4)>, '
    "[that](JavaScript:alert(5)) and the [ICML site](https://icml.cc)."
)


def test_markdown_is_rendered_inert_and_source_kept(data_dir: Path) -> None:
    edition = data_dir / "icml2023"
    edit_yaml(lambda data: data.update(rationale=HOSTILE_MARKDOWN))(edition / "site.yaml")
    edit_yaml(lambda data: data["items"][3].update(details=HOSTILE_MARKDOWN))(edition / "dates.yaml")

    loaded = load_content(data_dir).current_edition
    for text in (loaded.site.rationale, loaded.dates.items[3].details):
        markup = _Markup(text.html)
        assert text.markdown == HOSTILE_MARKDOWN
        assert "script" not in markup.tags
        assert markup.hrefs == ["https://icml.cc"]  # only the safe link is a link
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text.html  # shown as text, not run


def test_shipped_markdown_renders(content: Content) -> None:
    edition = content.current_edition

    assert edition.site.goal.html.startswith("<p><strong>The goal of this ICML 2023 workshop")
    poster_details = date_item(content, "camera-ready-poster").details
    assert poster_details.markdown == "see [instructions below](#posters)"
    assert poster_details.html == 'see <a href="#posters" rel="noopener noreferrer">instructions below</a>'
