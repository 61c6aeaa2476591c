"""What search engines and link previews read: absolute URLs, the page's summary,
its social card's text, its schema.org Event in JSON-LD, and robots.txt.

Pages are rendered once per content version, so nothing here reads the request:
absolute URLs are built on the site's public address, :func:`site_url`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import nh3
from flask import current_app, url_for
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from workshop import filters, socialcard
from workshop.config import LOCAL_SITE_URL
from workshop.model import Edition
from workshop.peopleschemas import Person
from workshop.schemas import Site, Venue
from workshop.timeschemas import DateItem

SCHEMA_ORG = "https://schema.org"
# logistics.attendance -> schema.org's EventAttendanceModeEnumeration.
ATTENDANCE_MODES = {
    "hybrid": f"{SCHEMA_ORG}/MixedEventAttendanceMode",
    "in-person": f"{SCHEMA_ORG}/OfflineEventAttendanceMode",
    "online": f"{SCHEMA_ORG}/OnlineEventAttendanceMode",
}
# Characters that could end the <script> element or start markup inside it, as JSON escapes.
# Crawlers may read everything; no sitemap, nothing on another site.
ROBOTS_TXT = "User-agent: *\nAllow: /\n"


def site_url(edition: Edition) -> str:
    """The site's public address, without a trailing slash: the configuration's ``SITE_URL`` for
    this deployment, else editions.yaml's ``site_url``, else where ``make run`` serves."""
    return str(current_app.config["SITE_URL"] or edition.site_url or LOCAL_SITE_URL).rstrip("/")


def absolute_url(edition: Edition, path: str) -> str:
    """``/icml2023/`` -> ``https://example.org/icml2023/``."""
    return site_url(edition) + path


def calendar_uid_domain(edition: Edition) -> str:
    """The domain of calendar events' UIDs: the configuration's ``CALENDAR_UID_DOMAIN``, else the site's host."""
    return current_app.config["CALENDAR_UID_DOMAIN"] or urlsplit(site_url(edition)).hostname or "localhost"


def description(edition: Edition) -> str:
    """One sentence for the meta description and link previews."""
    site = edition.site
    if site.venue.city:
        return site.wording["meta_description_in_city"].format(
            title=site.title, venue=site.venue.name, city=site.venue.city
        )
    return site.wording["meta_description"].format(title=site.title, venue=site.venue.name)


def plain_text(rich: Any) -> str:
    """The text of a rich-text field, without markup."""
    return " ".join(html.unescape(nh3.clean(rich.html, tags=set())).split())


def event_dates(item: DateItem | None) -> dict[str, str]:
    """startDate/endDate of the workshop's date item, as the site shows it (the published program's times).

    A confirmed time gives its instants with their offset; a confirmed day gives
    that date. A day not fixed yet gives the span of its options as dates (Google
    accepts a date without a time, and requires a startDate): the event falls
    within that span, and the page says which days are possible.
    """
    if item is None:
        return {}
    if item.at is not None:
        dates = {"startDate": item.at.isoformat()}
        if item.end is not None:
            dates["endDate"] = item.end.isoformat()
        return dates
    if item.date is not None:
        return {"startDate": item.date.isoformat()}
    options = item.date_options or ()
    return {"startDate": options[0].isoformat(), "endDate": options[-1].isoformat()}


def _place(venue: Venue) -> dict[str, Any]:
    place: dict[str, Any] = {"@type": "Place", "name": venue.name}
    if venue.city:
        # "Honolulu, Hawaii": the locality, then the region.
        locality, _, region = (part.strip() for part in venue.city.partition(","))
        address = {"@type": "PostalAddress", "addressLocality": locality}
        if region:
            address["addressRegion"] = region
        place["name"] = f"{venue.name}, {venue.city}"
        place["address"] = address
    return place


def _person(member: Person) -> dict[str, Any]:
    person: dict[str, Any] = {
        "@type": "Person",
        "name": member.name,
        "affiliation": {"@type": "Organization", "name": member.affiliation},
    }
    if member.url:
        person["url"] = member.url
    return person


def when_text(item: DateItem | None, venue_timezone: str | None, site: Site) -> str:
    """The day (and hours) of a date item as the page's hero writes it, in plain text, in the site's language."""
    language = site.language
    if item is None:
        return ""
    if item.at is not None and item.end is not None:
        return filters.instant_range(item.at, item.end, venue_timezone, language)
    if item.at is not None:
        return filters.long_instant(item.at, venue_timezone, language)
    if item.date is not None:
        return filters.long_date(item.date, language)
    options = item.date_options or ()
    *earlier, last = [filters.weekday_and_day(day, language) for day in options]
    days = site.wording["day_or_day"].format(days=", ".join(earlier), last=last) if earlier else last
    return f"{days}, {options[-1].year} {site.wording['to_be_confirmed']}"


def card_text(edition: Edition) -> socialcard.CardText:
    """What the edition's social card says: the page's hero, and where the site is."""
    site = edition.site
    venue = site.venue
    return socialcard.CardText(
        title=site.title,
        kicker=site.wording["kicker"].format(venue=venue.name) + (f" · {venue.city}" if venue.city else ""),
        when=when_text(edition.workshop_date, venue.timezone, site),
        footer=urlsplit(site_url(edition)).netloc,
    )


def event(edition: Edition, page_url: str) -> dict[str, Any]:
    """The workshop as a schema.org EducationEvent (an Event), for search engines."""
    site = edition.site
    attendance = edition.logistics.attendance
    locations: list[dict[str, Any]] = []
    if attendance in ("hybrid", "in-person"):
        locations.append(_place(site.venue))
    if attendance in ("hybrid", "online"):
        locations.append({"@type": "VirtualLocation", "url": page_url})
    co_chairs = [_person(member) for member in edition.committee.members if member.role == "co-chair"]
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "EducationEvent",
        "name": site.title,
        "description": plain_text(site.goal),
        "url": page_url,
        "inLanguage": site.language,
        **event_dates(edition.workshop_date),
        "eventAttendanceMode": ATTENDANCE_MODES[attendance],
        "eventStatus": f"{SCHEMA_ORG}/EventScheduled",
        "location": locations[0] if len(locations) == 1 else locations,
        "superEvent": {"@type": "Event", "name": site.venue.name},
    }
    if co_chairs:
        data["organizer"] = co_chairs
    return data


def json_for_html(data: Any) -> Markup:
    """JSON that can sit inside a <script> element: Jinja's ``tojson`` escaping (<, >, & and '), compact."""
    return htmlsafe_json_dumps(data, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Image:
    """The picture a link preview shows: the edition's social card."""

    url: str
    alt: str
    type: str = socialcard.MIMETYPE
    width: int = socialcard.WIDTH
    height: int = socialcard.HEIGHT


@dataclass(frozen=True)
class PageMeta:
    """What the page's <head> tells search engines and link previews."""

    url: str
    title: str
    site_name: str
    description: str
    json_ld: Markup
    image: Image


def page_meta(edition: Edition, path: str) -> PageMeta:
    site = edition.site
    url = absolute_url(edition, path)
    return PageMeta(
        url=url,
        title=site.wording["page_title"].format(title=site.title, venue=site.venue.name),
        site_name=site.title,
        description=description(edition),
        json_ld=json_for_html(event(edition, url)),
        image=Image(
            url=absolute_url(edition, url_for("pages.social_card", edition=edition.name)), alt=card_text(edition).alt
        ),
    )
