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

from workshop import span
from workshop.phases import Moment, PhaseWindow, moment_at, news_until, timeline

if TYPE_CHECKING:  # content.py loads into this model: the import is for the type alone
    from workshop.content import Problem

Item = Mapping[str, Any]
Span = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class PaperGroup:
    """Accepted papers listed together on the page: those a session presents, or a track's, or all."""

    title: str | None
    papers: tuple[Item, ...]
    # The session that presents them (its id), when grouped by session.
    session_id: str | None = None
    # The group's title is the papers' track (each paper need not repeat it).
    by_track: bool = False


def paper_groups(papers: tuple[Item, ...], sessions: tuple[Item, ...]) -> tuple[PaperGroup, ...]:
    """Each paper once: under the first published session that presents it, else by track, else in one list."""
    by_id = {paper["id"]: paper for paper in papers}
    placed: set[str] = set()
    groups: list[PaperGroup] = []
    for session in sessions:
        presented = tuple(by_id[paper_id] for paper_id in session["papers"] if paper_id not in placed)
        if presented:
            placed.update(paper["id"] for paper in presented)
            groups.append(PaperGroup(session["title"], presented, session_id=session["id"]))
    rest = tuple(paper for paper in papers if paper["id"] not in placed)
    if groups:
        return (*groups, PaperGroup("Other contributions", rest)) if rest else tuple(groups)
    tracks = dict.fromkeys(paper["track"] for paper in rest if paper["track"])
    if not tracks:
        return (PaperGroup(None, rest),) if rest else ()
    by_track = [
        PaperGroup(track, tuple(paper for paper in rest if paper["track"] == track), by_track=True) for track in tracks
    ]
    untracked = tuple(paper for paper in rest if not paper["track"])
    return (*by_track, PaperGroup("Other contributions", untracked)) if untracked else tuple(by_track)


@dataclass(frozen=True)
class Edition:
    """One workshop edition: every section's validated data, by resource name, and what is derived
    from it, computed once here so that every page, document and calendar uses one definition.

    ``edition["speakers"]`` is the section as loaded (what the API dumps); ``edition.speakers`` its
    items; ``edition.speaker(id)`` one of them. When the workshop takes place is
    :attr:`workshop_span` (workshop/span.py says how the program and dates.yaml decide it).
    """

    name: str
    sections: Mapping[str, Mapping[str, Any]]
    title: str = field(init=False, compare=False, repr=False)
    speakers: tuple[Item, ...] = field(init=False, compare=False, repr=False)
    papers: tuple[Item, ...] = field(init=False, compare=False, repr=False)
    # The important dates as dates.yaml has them, and as the site shows them (the workshop's
    # own date takes the published program's times).
    dates: tuple[Item, ...] = field(init=False, compare=False, repr=False)
    shown_dates: tuple[Item, ...] = field(init=False, compare=False, repr=False)
    # The sessions visitors see: none until the program is published.
    published_sessions: tuple[Item, ...] = field(init=False, compare=False, repr=False)
    # The program's sessions by their day at the venue, in order.
    schedule: tuple[tuple[dt.date, tuple[Item, ...]], ...] = field(init=False, compare=False, repr=False)
    workshop_date: Item | None = field(init=False, compare=False, repr=False)
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
    # Items by id, for the references between sections (checked at load time); dates as shown.
    by_id: Mapping[str, Mapping[str, Item]] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        site = self.sections["site"]
        sessions = tuple(self.sections["program"]["sessions"])
        derived = {
            "title": f"{site['title']} ({site['venue']['name']})",
            "speakers": tuple(self.sections["speakers"]["speakers"]),
            "papers": tuple(self.sections["papers"]["papers"]),
            "dates": tuple(self.sections["dates"]["items"]),
            "shown_dates": tuple(span.shown_dates(self.sections)),
            "published_sessions": tuple(span.published_sessions(self.sections)),
            "schedule": tuple(
                (day, tuple(group)) for day, group in itertools.groupby(sessions, key=lambda s: s["starts_at"].date())
            ),
            "workshop_date": span.workshop_date(self.sections),
            "workshop_span": span.workshop_span(self.sections),
            "phases": timeline(self.sections),
        }
        published = [item["published"] for item in self.sections["announcements"]["announcements"]]
        derived["news_until"] = news_until(derived["phases"], published)
        derived["paper_groups"] = paper_groups(derived["papers"], derived["published_sessions"])
        last = derived["dates"][-1]
        derived["event_span"] = derived["workshop_span"] or (last["starts_at"], last["ends_at"])
        lists = {
            "dates": derived["shown_dates"],
            "speakers": derived["speakers"],
            "papers": derived["papers"],
            "outcomes": self.sections["call-for-abstracts"]["review"]["outcomes"],
            "sessions": derived["published_sessions"],
        }
        derived["by_id"] = MappingProxyType(
            {name: MappingProxyType({item["id"]: item for item in items}) for name, items in lists.items()}
        )
        for name, value in derived.items():
            object.__setattr__(self, name, value)  # frozen: set once, here

    def __getitem__(self, resource: str) -> Mapping[str, Any]:
        return self.sections[resource]

    def moment(self, instant: dt.datetime) -> Moment:
        """What ``instant`` of the workshop is about: its phase, the sessions now and next, until when."""
        return moment_at(self.phases, self.published_sessions, instant)

    def speaker(self, item_id: str) -> Item:
        return self.by_id["speakers"][item_id]

    def paper(self, item_id: str) -> Item:
        return self.by_id["papers"][item_id]

    def date(self, item_id: str) -> Item:
        """An important date as the site shows it."""
        return self.by_id["dates"][item_id]


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
