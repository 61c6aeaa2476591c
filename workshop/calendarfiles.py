"""Calendars for visitors: the important dates and the program as iCalendar (RFC 5545) events.

One event per important date and, once the program is published, one per
session. They are served as a feed per edition (``dates.ics``), as one file per
item, and as Google Calendar links on the page; all three are built from the
same :class:`CalendarEvent`, so they always agree.

What calendar clients rely on, and how it is kept:

- **UID** is the edition and the item's id (``icml2023-date-submission-deadline@<domain>``,
  ``icml2023-session-panel@<domain>``), with the domain from the
  ``CALENDAR_UID_DOMAIN`` setting. Ids never change once published, so a
  subscribed calendar updates an event when organizers move its date instead of
  adding a second one; the domain is a setting of its own, not the site's
  address, so that moving the site does not duplicate every event either.
- **SEQUENCE** counts the earlier values of a date (the length of ``previously``):
  each time organizers move a date and record where it was, it goes up.
- **DTSTAMP** is derived from the content, never from the clock or the time the
  files were loaded: it is the latest instant the edition's events cover (in
  UTC). The bytes, and so the ETag, are the same in every worker, after a
  restart and in the static export; the stamp moves forward when a deadline is
  extended, as the sequence does.
- **Zones.** A whole day (``date``) is an all-day event (``VALUE=DATE``, the end
  being the next day), as calendars show a day. A day not fixed yet
  (``date_options``) spans the candidate days, ``STATUS:TENTATIVE``, "to be
  confirmed" in its summary. Sessions are in the program's IANA zone
  (``Pacific/Honolulu``) with a ``VTIMEZONE``; so is a precise date whose offset
  is the venue's at that moment (the workshop day, written with ``-10:00``).
  Every other precise time, AoE deadlines first, is written in UTC: see
  :func:`_calendar_time`.
- **A moment** (a deadline) has DTSTART alone, no DTEND nor DURATION: RFC 5545
  (3.6.1) says such an event with a DATE-TIME start ends at that same instant,
  and calendar applications show it as a point in time. DTEND equal to DTSTART
  would break the rule that DTEND is later than DTSTART (3.8.2.2).
- **The workshop** takes the published program's times (workshop/span.py).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urljoin
from zoneinfo import ZoneInfo

import nh3
from flask import Flask, current_app, url_for
from icalendar import Calendar, Event, Timezone, vDuration
from werkzeug.exceptions import NotFound

from workshop import seo
from workshop.datafields import AOE_NAME, timezone_named
from workshop.documents import Served
from workshop.filters import instant_range, long_date, long_instant, weekday_and_day
from workshop.model import Content, Edition
from workshop.richtext import RichText
from workshop.schemas import Venue
from workshop.timeschemas import DateItem, PreviousDate, Session

MIMETYPE = "text/calendar"
# The product that writes the calendars (RFC 5545 3.7.3): this software, whatever the workshop.
PRODID = "-//Workshop site//Calendars//EN"
# How often a subscribed calendar should look for changes (a hint; clients choose).
REFRESH_INTERVAL = dt.timedelta(hours=6)
GOOGLE_CALENDAR_URL = "https://calendar.google.com/calendar/render"
ONE_DAY = dt.timedelta(days=1)
# Papers a session's Google Calendar link names; the rest are counted, and the calendar files name all.
PAPERS_IN_A_LINK = 3


@dataclass(frozen=True)
class CalendarEvent:
    """One event, as the feed, the per-item file and the Google Calendar link show it."""

    uid: str
    summary: str
    # A date for an all-day event (then ``end`` is the day after the last one), else an aware datetime.
    start: dt.date | dt.datetime
    # None for a moment (a deadline): the event ends when it starts.
    end: dt.date | dt.datetime | None
    description: str
    url: str  # the item on the page, absolute
    ics_url: str  # this event's own .ics, site-relative
    location: str | None = None
    # What the Google Calendar link carries, when shorter than ``description`` (the link is a URL,
    # written into the page for every session): empty for the same.
    link_description: str = ""
    tentative: bool = False
    busy: bool = True
    sequence: int = 0

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, dt.datetime)

    @property
    def google_url(self) -> str:
        """A Google Calendar link that opens this event, ready to save."""
        if self.all_day:
            dates = f"{self.start:%Y%m%d}/{self.end:%Y%m%d}"
        else:
            # Google needs an end: a moment ends when it starts.
            moments = (self.start, self.end or self.start)
            dates = "/".join(f"{moment.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}" for moment in moments)
        parameters = {
            "action": "TEMPLATE",
            "text": self.summary,
            "dates": dates,
            "details": self.link_description or self.description,
        }
        if self.location:
            parameters["location"] = self.location
        if isinstance(self.start, dt.datetime) and isinstance(self.start.tzinfo, ZoneInfo):
            parameters["ctz"] = self.start.tzinfo.key  # shown in the venue's zone, like the page
        return f"{GOOGLE_CALENDAR_URL}?{urlencode(parameters, safe='/', quote_via=quote)}"


# --- From the content to events ------------------------------------------------------


def _calendar_time(moment: dt.datetime, venue_timezone: str) -> dt.datetime:
    """A precise time as the calendar file writes it: in an IANA zone when there is one, else in UTC.

    AoE (UTC-12) has no IANA name that calendar applications show well (``Etc/GMT+12``
    is missing from several), and a VTIMEZONE named "AoE" would be a zone that only
    this file defines: AoE times are written in UTC, which every client reads and
    shows in its reader's own zone (a deadline is the same moment everywhere).
    """
    if isinstance(moment.tzinfo, ZoneInfo):
        return moment
    venue = timezone_named(venue_timezone)
    if isinstance(venue, ZoneInfo) and moment.astimezone(venue).utcoffset() == moment.utcoffset():
        return moment.astimezone(venue)
    return moment.astimezone(dt.UTC)


# A link in sanitized HTML (richtext.py writes href first, double-quoted).
_LINK = re.compile(r'<a href="([^"]*)"[^>]*>(.*?)</a>', re.DOTALL)


def _plain_text(text: RichText | None, base_url: str) -> str:
    """Markdown as plain text for a calendar's description: a link becomes "text (absolute URL)"."""
    if text is None:
        return ""
    linked = _LINK.sub(lambda link: f"{link[2]} ({urljoin(base_url, html.unescape(link[1]))})", text.html)
    return html.unescape(nh3.clean(linked, tags=set()))


def _zone_text(timezone: str) -> str:
    return "AoE (Anywhere on Earth, UTC\u221212)" if timezone == AOE_NAME else timezone


@dataclass(frozen=True)
class _EditionFacts:
    """What every event of an edition repeats: who, where, and how events are named."""

    edition: Edition
    site_url: str
    uid_domain: str

    @property
    def title(self) -> str:
        return self.edition.site.title

    @property
    def venue(self) -> Venue:
        return self.edition.site.venue

    @property
    def location(self) -> str:
        return ", ".join(part for part in (self.venue.name, self.venue.city) if part)

    def uid(self, kind: str, item_id: str) -> str:
        return f"{self.edition.name}-{kind}-{item_id}@{self.uid_domain}"

    def page_url(self, anchor: str) -> str:
        return self.site_url + url_for("pages.edition_page", edition=self.edition.name, _anchor=anchor)

    def summary(self, title: str) -> str:
        return f"{title} \u00b7 {self.title}"

    def footer(self, url: str) -> str:
        return f"{self.title}, a workshop at {self.venue.name}: {url}"


def _facts(edition: Edition) -> _EditionFacts:
    return _EditionFacts(edition, seo.site_url(edition), seo.calendar_uid_domain(edition))


def _when_text(item: DateItem | PreviousDate, timezone: str, venue_timezone: str) -> str:
    """The date as the page writes it, for readers whose calendar shows only their own zone."""
    end = item.end if isinstance(item, DateItem) else None
    if item.at is not None:
        if end is not None:
            return instant_range(item.at, end, venue_timezone)
        return long_instant(item.at, venue_timezone)
    if item.date is not None:
        return f"{long_date(item.date)}, {_zone_text(timezone)}"
    options = item.date_options if isinstance(item, DateItem) and item.date_options else ()
    days = [weekday_and_day(day) for day in options]
    listed = ", ".join(days[:-1]) + " or " + days[-1]
    return f"{listed}, {options[-1].year}, {_zone_text(timezone)}"


def date_event(edition: Edition, item: DateItem) -> CalendarEvent:
    """The event of one important date."""
    facts = _facts(edition)
    timezone, venue_timezone = edition.dates.timezone, facts.venue.timezone
    url = facts.page_url(f"date-{item.id}")
    tentative = item.date_options is not None
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None
    if item.at is not None:
        start = _calendar_time(item.at, venue_timezone)
        # Without an end (a deadline), the event is the moment itself: DTSTART alone (see the module).
        end = _calendar_time(item.end, venue_timezone) if item.end is not None else None
    elif item.date is not None:
        start, end = item.date, item.date + ONE_DAY
    else:
        options = item.date_options or ()
        start, end = options[0], options[-1] + ONE_DAY

    lines = [
        f"{'To be confirmed: one of ' if tentative else ''}{_when_text(item, timezone, venue_timezone)}.",
        _plain_text(item.details, url),
    ]
    if item.previously:
        earlier = "; ".join(_when_text(previous, timezone, venue_timezone) for previous in item.previously)
        lines.append(f"{'Extended' if item.kind == 'deadline' else 'Moved'} from {earlier}.")
    lines.append(facts.footer(url))
    return CalendarEvent(
        uid=facts.uid("date", item.id),
        summary=facts.summary(f"{item.title} (to be confirmed)" if tentative else item.title),
        start=start,
        end=end,
        description="\n".join(line for line in lines if line),
        url=url,
        ics_url=url_for("api.date_calendar", edition=edition.name, item_id=item.id),
        location=facts.location if item.kind == "event" else None,
        tentative=tentative,
        # Deadlines and announcements do not fill the day; an undecided day does not either.
        busy=item.kind == "event" and not tentative,
        sequence=len(item.previously),
    )


def session_event(edition: Edition, session: Session) -> CalendarEvent:
    """The event of one session of the program, in the program's time zone."""
    facts = _facts(edition)
    venue_timezone = edition.program.timezone
    url = facts.page_url(f"session-{session.id}")
    lines = [session.kind.replace("-", " ").capitalize() + "."]
    if session.speakers:
        lines.append("With " + ", ".join(edition.speaker(person).name for person in session.speakers) + ".")
    papers = [f"\u2022 {edition.paper(paper).title}" for paper in session.papers]
    footer = facts.footer(url)
    shown = papers[:PAPERS_IN_A_LINK]
    if len(papers) > len(shown):
        shown.append(f"\u2022 and {len(papers) - len(shown)} more papers")
    return CalendarEvent(
        uid=facts.uid("session", session.id),
        summary=facts.summary(session.title),
        start=_calendar_time(session.starts_at, venue_timezone),
        end=_calendar_time(session.ends_at, venue_timezone),
        description="\n".join([*lines, *papers, footer]),
        url=url,
        ics_url=url_for("api.session_calendar", edition=edition.name, session_id=session.id),
        location=facts.location,
        link_description="\n".join([*lines, *shown, footer]) if len(papers) > len(shown) else "",
    )


def edition_events(edition: Edition) -> list[CalendarEvent]:
    """Every important date, then every session of a published program."""
    return [date_event(edition, item) for item in edition.shown_dates] + [
        session_event(edition, session) for session in edition.published_sessions
    ]


def content_stamp(edition: Edition) -> dt.datetime:
    """DTSTAMP of every event of the edition: the latest instant they cover, in UTC (see the module)."""
    instants = [item.ends_at for item in edition.dates.items]
    instants.extend(session.ends_at for session in edition.published_sessions)
    return max(instants).astimezone(dt.UTC).replace(microsecond=0)


# --- Events to iCalendar -------------------------------------------------------------


def _vevent(event: CalendarEvent, stamp: dt.datetime) -> Event:
    return Event.new(
        uid=event.uid,
        stamp=stamp,
        sequence=event.sequence,
        summary=event.summary,
        start=event.start,
        end=event.end,
        description=event.description,
        url=event.url,
        location=event.location,
        status="TENTATIVE" if event.tentative else "CONFIRMED",
        transparency="OPAQUE" if event.busy else "TRANSPARENT",
    )


def to_ical(events: Iterable[CalendarEvent], stamp: dt.datetime, feed: Mapping[str, str] | None = None) -> bytes:
    """A VCALENDAR of ``events``; ``feed`` (uid, name, description, url) makes it a named, subscribable feed.

    A single event's file has no calendar name, so opening it adds the event to a
    calendar of the reader's rather than creating a calendar of its own.
    """
    events = list(events)
    calendar = Calendar.new(prodid=PRODID, calscale="GREGORIAN", method="PUBLISH", **(feed or {}))
    if feed is None:
        del calendar["UID"]  # icalendar gives every new calendar a random one: the bytes must not vary
    else:
        calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL).to_ical().decode())
    for event in events:
        calendar.add_component(_vevent(event, stamp))
    # A VTIMEZONE for each zone the events use, covering only the years they span.
    years = [moment.year for event in events for moment in (event.start, event.end) if moment is not None]
    if years:
        first, last = dt.date(min(years), 1, 1), dt.date(max(years) + 1, 1, 1)
        position = len(calendar.timezones)
        for tzid in sorted(calendar.get_missing_tzids()):  # sorted: the same bytes every time
            calendar.subcomponents.insert(position, _vtimezone(tzid, first, last))
            position += 1
    return calendar.to_ical()


def _vtimezone(tzid: str, first: dt.date, last: dt.date) -> Timezone:
    """A zone's VTIMEZONE, built once per app: icalendar takes tens of milliseconds to build one."""
    built = current_app.extensions.setdefault("workshop.vtimezones", {})
    key = (tzid, first, last)
    if key not in built:
        built[key] = Timezone.from_tzid(tzid, first_date=first, last_date=last)
    return built[key]


def _feed_properties(edition: Edition) -> dict[str, str]:
    facts = _facts(edition)
    sessions = " and the program" if edition.published_sessions else ""
    return {
        "uid": facts.uid("calendar", "dates"),
        "name": f"{edition.title}: important dates",
        "description": f"The important dates{sessions} of {facts.title}, a workshop at {facts.venue.name}.",
        "url": facts.page_url("dates"),
    }


# --- Served documents ----------------------------------------------------------------


def feed_ical(content: Content, edition: Edition) -> bytes:
    """Every event of an edition, for subscribing."""
    return to_ical(edition_events(edition), content_stamp(edition), _feed_properties(edition))


def date_ical(content: Content, edition: Edition, item_id: str) -> bytes:
    items = edition.by_id.dates
    if item_id not in items:
        raise NotFound(f"No date {item_id!r} in {edition.name}. Dates: {', '.join(items)}.")
    return to_ical([date_event(edition, items[item_id])], content_stamp(edition))


def session_ical(content: Content, edition: Edition, session_id: str) -> bytes:
    sessions = edition.by_id.sessions
    if session_id not in sessions:
        listed = f"Sessions: {', '.join(sessions)}." if sessions else "The program is not published yet."
        raise NotFound(f"No session {session_id!r} in {edition.name}. {listed}")
    return to_ical([session_event(edition, sessions[session_id])], content_stamp(edition))


FEED = Served("calendar", MIMETYPE, feed_ical)
DATE_FILE = Served("calendar-date", MIMETYPE, date_ical)
SESSION_FILE = Served("calendar-session", MIMETYPE, session_ical)


def init_app(app: Flask) -> None:
    # The page builds its "add to calendar" links with these (once per content version).
    app.add_template_global(date_event)
    app.add_template_global(session_event)
