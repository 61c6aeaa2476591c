"""The workshop's phases: what the page is about at an instant, decided from the data and the clock.

A workshop goes through ``call`` (abstracts accepted, until the submission deadline),
``review`` (until authors are notified), ``program`` (until the event starts), ``live``
(during the event) and ``archive`` (after it). The boundaries come from dates.yaml and
program.yaml; site.yaml's ``phase`` fixes one for good (a postponement, say).

:func:`timeline` is computed once per edition (``Edition.phases``); :func:`moment_at`
says, for an instant, the phase, the session under way and the next one, and when any
of that changes next: the page, ``site.json`` and the prepared documents' expiry all read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from marshmallow import fields, validate

from workshop import span
from workshop.timeschemas import DateItem, Dates, Program, Session

if TYPE_CHECKING:  # workshop/schemas.py reads PHASES: the import is for the types alone
    from workshop.schemas import CallForAbstracts, Site

PHASES = ("call", "review", "program", "live", "archive")
# The date kind whose first item after the submission deadline says when authors hear back.
NOTIFICATION_KIND = "announcement"
# A whole-day date item ends at its last second (DateItemSchema.ends_at): the next phase starts a second later.
_WHOLE_DAY_END = dt.timedelta(seconds=1)


@dataclass(frozen=True)
class PhaseWindow:
    """One phase and when it holds: from ``starts_at`` (None: always before) to ``ends_at`` (None: for good)."""

    name: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    # The id of the date item (dates.yaml) whose end ends this phase, if one does: the page names it.
    ends_with: str | None = None

    def holds_at(self, instant: dt.datetime) -> bool:
        started = self.starts_at is None or self.starts_at <= instant
        return started and (self.ends_at is None or instant < self.ends_at)


@dataclass(frozen=True)
class Moment:
    """What an instant of the workshop is about, and until when it stays so."""

    phase: PhaseWindow
    # While live: the session under way (None in a gap) and the next one (None after the last).
    current_session: Session | None
    next_session: Session | None
    # The next instant at which anything above changes (None: never).
    changes_at: dt.datetime | None

    def before(self, instant: dt.datetime | None) -> bool:
        """Whether this moment's phase ends at or before ``instant`` (None: never), i.e. ``instant`` is still ahead."""
        return instant is None or (self.phase.ends_at is not None and self.phase.ends_at <= instant)

    @property
    def key(self) -> str:
        """Names this moment among an edition's moments (for the document cache)."""
        return f"{self.phase.name}-{self.changes_at.isoformat() if self.changes_at else 'final'}"


def _after(item: DateItem) -> dt.datetime:
    """The first instant after a date item."""
    return item.ends_at if item.at is not None else item.ends_at + _WHOLE_DAY_END


def timeline(site: Site, call: CallForAbstracts, program: Program, dates: Dates) -> tuple[PhaseWindow, ...]:
    """The edition's phases in order, each with its window (one phase, for good, when site.yaml fixes it)."""
    if site.phase is not None:
        return (PhaseWindow(site.phase, None, None),)
    deadline_id = call.submission.deadline
    deadline = next(item for item in dates.items if item.id == deadline_id)
    closed = _after(deadline)
    notification = next(
        (item for item in dates.items if item.kind == NOTIFICATION_KIND and item.starts_at >= closed), None
    )
    published = bool(span.published_sessions(program))
    when = span.workshop_span(program, dates)
    workshop = span.workshop_date(program, dates)
    # Candidate days say when the workshop may be, not when it is live: no live phase until one is chosen.
    confirmed = published or (workshop is not None and workshop.date_options is None)
    # Each phase's start, and the date item whose end starts it.
    boundaries: list[tuple[str, dt.datetime | None, str | None]] = [("call", None, None)]
    if notification is not None and not published:
        boundaries += [("review", closed, deadline_id), ("program", _after(notification), notification.id)]
    else:  # The program is out (or nobody is notified): no review phase to wait through.
        boundaries.append(("program", closed, deadline_id))
    if when is not None:
        start, end = when
        if not published and workshop is not None and workshop.at is None:
            end += _WHOLE_DAY_END  # a whole day (or the last candidate day) ends at its last second
        if confirmed:
            boundaries.append(("live", start, None))
        boundaries.append(("archive", end, span.WORKSHOP_DATE_ID if workshop is not None else None))
    return _windows(boundaries)


def _windows(boundaries: Sequence[tuple[str, dt.datetime | None, str | None]]) -> tuple[PhaseWindow, ...]:
    """Windows from phase starts, in order; a phase whose start data puts before an earlier one's is
    moved to it (and an empty window dropped), so phases never overlap or run backwards."""
    starts: list[tuple[str, dt.datetime | None, str | None]] = []
    for name, start, source in boundaries:
        latest = next((at for _, at, _ in reversed(starts) if at is not None), None)
        moved = start is not None and latest is not None and start < latest
        starts.append((name, latest if moved else start, source))
    windows = [
        PhaseWindow(name, start, *(starts[index + 1][1:] if index + 1 < len(starts) else (None, None)))
        for index, (name, start, _) in enumerate(starts)
    ]
    return tuple(window for window in windows if window.starts_at is None or window.starts_at != window.ends_at)


def moment_at(phases: Sequence[PhaseWindow], sessions: Sequence[Session], instant: dt.datetime) -> Moment:
    """The phase at ``instant``, with, while live, the session under way and the next one."""
    phase = next(window for window in phases if window.holds_at(instant))
    if phase.name != "live":
        return Moment(phase, None, None, phase.ends_at)
    current = next((s for s in sessions if s.starts_at <= instant < s.ends_at), None)
    upcoming = next((s for s in sessions if s.starts_at > instant), None)
    changes = [at for at in (phase.ends_at, current and current.ends_at, upcoming and upcoming.starts_at) if at]
    return Moment(phase, current, upcoming, min(changes, default=None))


def news_until(phases: Sequence[PhaseWindow], published: Sequence[dt.date]) -> dt.datetime | None:
    """Until when news takes the first screen: the end of the phase the newest item was published in
    (None: for good, or no news). Its moment has passed once the workshop has moved on."""
    if not published:
        return None
    day = dt.datetime.combine(max(published), dt.time.min, dt.UTC)
    return next((window.ends_at for window in phases if window.holds_at(day)), None)


def phase_field() -> fields.String:
    """site.yaml's ``phase``: fixes the phase for good (:func:`timeline`)."""
    return fields.String(
        load_default=None,
        validate=validate.OneOf(PHASES),
        metadata={
            "description": f"Fixes the page's phase ({', '.join(PHASES)}) instead of following the dates and the "
            "program, e.g. during a postponement. Leave it out otherwise."
        },
    )
