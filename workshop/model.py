"""The content model: every edition, validated and frozen, and what is derived from it, once.

workshop/content.py loads the data files into these; every view, document and calendar
reads them (docs/architecture.md).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from workshop import pagesections, span
from workshop.paperschemas import Paper
from workshop.peopleschemas import Committee, Speaker
from workshop.phaseactions import CallsToAction, calls_to_action
from workshop.phases import Moment, PhaseWindow, moment_at, news_until, timeline
from workshop.schemas import Announcement, CallForAbstracts, Logistics, Posters, ReviewOutcome, Site, Topics
from workshop.sectionschemas import CustomSection, Sponsor, VenueDetails
from workshop.timeschemas import DateItem, Dates, Program, Session

if TYPE_CHECKING:  # content.py loads into this model: the import is for the type alone
    from workshop.content import Problem

Span = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class PaperGroup:
    """Accepted papers listed together on the page: those a session presents, or a track's, or all."""

    title: str | None
    papers: tuple[Paper, ...]
    # The session that presents them (its id), when grouped by session.
    session_id: str | None = None
    # The group's title is the papers' track (each paper need not repeat it).
    by_track: bool = False


def paper_groups(papers: tuple[Paper, ...], sessions: tuple[Session, ...], others: str) -> tuple[PaperGroup, ...]:
    """Each paper once: under the first published session that presents it, else by track, else in one list;
    ``others`` is the heading of the papers left out of the sessions' (or the tracks') groups."""
    by_id = {paper.id: paper for paper in papers}
    placed: set[str] = set()
    groups: list[PaperGroup] = []
    for session in sessions:
        presented = tuple(by_id[paper_id] for paper_id in session.papers if paper_id not in placed)
        if presented:
            placed.update(paper.id for paper in presented)
            groups.append(PaperGroup(session.title, presented, session_id=session.id))
    rest = tuple(paper for paper in papers if paper.id not in placed)
    if groups:
        return (*groups, PaperGroup(others, rest)) if rest else tuple(groups)
    tracks = dict.fromkeys(paper.track for paper in rest if paper.track)
    if not tracks:
        return (PaperGroup(None, rest),) if rest else ()
    by_track = [
        PaperGroup(track, tuple(paper for paper in rest if paper.track == track), by_track=True) for track in tracks
    ]
    untracked = tuple(paper for paper in rest if not paper.track)
    return (*by_track, PaperGroup(others, untracked)) if untracked else tuple(by_track)


@dataclass(frozen=True)
class IdTables:
    """An edition's items by id, for the references between sections (checked at load time)."""

    dates: Mapping[str, DateItem]  # as the site shows them
    speakers: Mapping[str, Speaker]
    papers: Mapping[str, Paper]
    outcomes: Mapping[str, ReviewOutcome]
    sessions: Mapping[str, Session]  # the published ones
    custom_sections: Mapping[str, CustomSection]  # the ones the page shows


def _by_id(items: tuple[Any, ...]) -> Mapping[str, Any]:
    return MappingProxyType({item.id: item for item in items})


@dataclass(frozen=True)
class Edition:
    """One workshop edition: each data file's section, typed, and what is derived from them,
    computed once here so that every page, document and calendar uses one definition.

    ``sections`` holds each file's section by resource name (workshop/schemas.py,
    ``RESOURCE_SCHEMAS``): what the API dumps through the schema that loaded it. Code reads the
    attributes: ``edition.site.title``, ``edition.program.sessions``; a section that is one
    list is that list (``edition.speakers``, ``edition.papers``, ``edition.announcements``);
    ``edition.speaker(id)`` is one item. The edition's own sections (sections/<id>.md, the resource
    ``sections``) are ``edition.custom_sections``; the ids of the page's sections, in order,
    ``shown_sections``. When the workshop takes place is :attr:`workshop_span` (workshop/span.py
    says how the program and dates.yaml decide it).
    """

    name: str
    sections: Mapping[str, Any]
    # editions.yaml's site_url: the public address the data gives the whole site (None: not given).
    # Read through seo.site_url(edition), which lets the configuration override it.
    site_url: str | None = None
    site: Site = field(init=False, compare=False, repr=False)
    announcements: tuple[Announcement, ...] = field(init=False, compare=False, repr=False)
    topics: Topics = field(init=False, compare=False, repr=False)
    program: Program = field(init=False, compare=False, repr=False)
    speakers: tuple[Speaker, ...] = field(init=False, compare=False, repr=False)
    papers: tuple[Paper, ...] = field(init=False, compare=False, repr=False)
    call_for_abstracts: CallForAbstracts = field(init=False, compare=False, repr=False)
    venue: VenueDetails = field(init=False, compare=False, repr=False)
    logistics: Logistics = field(init=False, compare=False, repr=False)
    # dates.yaml as written; shown_dates as the site shows them (the workshop's own date takes
    # the published program's times).
    dates: Dates = field(init=False, compare=False, repr=False)
    posters: Posters = field(init=False, compare=False, repr=False)
    committee: Committee = field(init=False, compare=False, repr=False)
    sponsors: tuple[Sponsor, ...] = field(init=False, compare=False, repr=False)
    custom_sections: tuple[CustomSection, ...] = field(init=False, compare=False, repr=False)
    # The ids of the page's sections, in order, as the page, its navigation and site.json show them.
    shown_sections: tuple[str, ...] = field(init=False, compare=False, repr=False)
    title: str = field(init=False, compare=False, repr=False)
    shown_dates: tuple[DateItem, ...] = field(init=False, compare=False, repr=False)
    # The sessions visitors see: none until the program is published.
    published_sessions: tuple[Session, ...] = field(init=False, compare=False, repr=False)
    # The program's sessions by their day at the venue, in order.
    schedule: tuple[tuple[dt.date, tuple[Session, ...]], ...] = field(init=False, compare=False, repr=False)
    workshop_date: DateItem | None = field(init=False, compare=False, repr=False)
    workshop_span: Span | None = field(init=False, compare=False, repr=False)
    # The accepted papers as the page lists them (paper_groups).
    paper_groups: tuple[PaperGroup, ...] = field(init=False, compare=False, repr=False)
    # When the event is, for what needs an instant before anything says when the workshop is (the
    # page's venue zone, the frab schedule's days): the workshop's span, else the last important date's.
    event_span: Span = field(init=False, compare=False, repr=False)
    # The workshop's phases in order, each with its window (workshop/phases.py); see moment().
    phases: tuple[PhaseWindow, ...] = field(init=False, compare=False, repr=False)
    # Until when the news takes the first screen (None: for good).
    news_until: dt.datetime | None = field(init=False, compare=False, repr=False)
    # Each phase's button, by phase name (workshop/phaseactions.py): the header's and the one below the topics.
    calls_to_action: CallsToAction = field(init=False, compare=False, repr=False)
    by_id: IdTables = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        sections = self.sections
        program, dates = sections["program"], sections["dates"]
        derived: dict[str, Any] = {
            "site": sections["site"],
            "announcements": sections["announcements"].announcements,
            "topics": sections["topics"],
            "program": program,
            "speakers": sections["speakers"].speakers,
            "papers": sections["papers"].papers,
            "call_for_abstracts": sections["call-for-abstracts"],
            "venue": sections["venue"],
            "logistics": sections["logistics"],
            "dates": dates,
            "posters": sections["posters"],
            "committee": sections["committee"],
            "sponsors": sections["sponsors"].sponsors,
            "custom_sections": sections[pagesections.CUSTOM_RESOURCE].sections,
            "title": f"{sections['site'].title} ({sections['site'].venue.name})",
            "shown_dates": span.shown_dates(program, dates),
            "published_sessions": span.published_sessions(program),
            "schedule": tuple(
                (day, tuple(group))
                for day, group in itertools.groupby(program.sessions, key=lambda session: session.starts_at.date())
            ),
            "workshop_date": span.workshop_date(program, dates),
            "workshop_span": span.workshop_span(program, dates),
            "phases": timeline(sections["site"], sections["call-for-abstracts"], program, dates),
        }
        published = [item.published for item in derived["announcements"]]
        derived["news_until"] = news_until(derived["phases"], published)
        derived["calls_to_action"] = calls_to_action(
            derived["phases"], derived["site"], program, derived["papers"], derived["logistics"]
        )
        derived["shown_sections"] = pagesections.shown_sections(
            derived["site"].sections,
            [section.id for section in derived["custom_sections"]],
            # The sections left out when they have nothing to show.
            {
                "announcements": bool(derived["announcements"]),
                "venue": derived["venue"].has_details,
                "sponsors": bool(derived["sponsors"]),
            },
        )
        derived["paper_groups"] = paper_groups(
            derived["papers"], derived["published_sessions"], derived["site"].wording["other_contributions"]
        )
        last = dates.items[-1]
        derived["event_span"] = derived["workshop_span"] or (last.starts_at, last.ends_at)
        derived["by_id"] = IdTables(
            dates=_by_id(derived["shown_dates"]),
            speakers=_by_id(derived["speakers"]),
            papers=_by_id(derived["papers"]),
            outcomes=_by_id(derived["call_for_abstracts"].review.outcomes),
            sessions=_by_id(derived["published_sessions"]),
            custom_sections=_by_id(derived["custom_sections"]),
        )
        for name, value in derived.items():
            object.__setattr__(self, name, value)  # frozen: set once, here

    def speaker(self, item_id: str) -> Speaker:
        return self.by_id.speakers[item_id]

    def paper(self, item_id: str) -> Paper:
        return self.by_id.papers[item_id]

    def moment(self, instant: dt.datetime) -> Moment:
        """What ``instant`` of the workshop is about: its phase, the sessions now and next, until when."""
        return moment_at(self.phases, self.published_sessions, instant)

    def date(self, item_id: str) -> DateItem:
        """An important date as the site shows it."""
        return self.by_id.dates[item_id]


@dataclass(frozen=True)
class Content:
    """All editions, validated and frozen, with a version that names this exact content."""

    editions: Mapping[str, Edition]
    current: str
    version: str = field(default="")
    # When the data files last changed (their newest modification time): Last-Modified.
    modified_at: dt.datetime | None = field(default=None, compare=False)
    # What the data files probably got wrong but may be right (workshop.content.Problem): said, not refused.
    warnings: tuple[Problem, ...] = field(default=(), compare=False)

    @property
    def current_edition(self) -> Edition:
        return self.editions[self.current]

    def next_edition(self, edition: Edition) -> Edition | None:
        """The edition that takes place next after ``edition`` (by when each takes place), if any."""
        later = [other for other in self.editions.values() if other.event_span[0] > edition.event_span[1]]
        return min(later, key=lambda other: other.event_span[0], default=None)
