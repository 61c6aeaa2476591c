"""The catalogue's entries for the documents of an edition: each resource, the calendars, the frab
schedule and the news feed (workshop/catalogue.py says how an entry is read).

Adding a document is one :class:`~workshop.catalogue.Route` here (and a pure builder, registered as a
:class:`~workshop.documents.Served` beside the code that fills it); adding a resource, one line of
:data:`RESOURCES` besides its schema in workshop/schemas.py.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial

from workshop import calendarfiles, frab, newsfeed, sectionroutes
from workshop.catalogue import Described, Endpoint, Route, item_endpoint
from workshop.documents import API_RESOURCES, RESOURCE
from workshop.envelopes import envelope_schema
from workshop.model import Content, Edition
from workshop.outputfields import camel

CALENDAR_SCHEMA = {"type": "string", "description": "An iCalendar (RFC 5545) VCALENDAR.", "pattern": "^BEGIN:VCALENDAR"}
SCHEDULE_XML_SCHEMA = {"type": "string", "description": "A frab/c3voc schedule.xml document.", "pattern": "<schedule>"}


@dataclass(frozen=True)
class Resource:
    """A section of an edition served as JSON (``<name>.json``): what it is, for its summary and description."""

    name: str
    title: str
    description: str


RESOURCES: tuple[Resource, ...] = (
    Resource(
        "site",
        "Whole edition",
        "Every section of the edition in one document: `data` holds each resource's `data` under its name "
        "(`call-for-abstracts` as `call_for_abstracts`).",
    ),
    Resource("announcements", "Announcements", "News for visitors, newest first. May be empty."),
    Resource("topics", "Topics", "The open problems the workshop is about, in order, with the sentences around them."),
    Resource(
        "program",
        "Program",
        "The schedule: 'to-be-announced' with a note, or 'published' with every session "
        "(venue times, and instants with offsets).",
    ),
    Resource(
        "speakers",
        "Speakers and panelists",
        "Invited speakers and panelists, in the order shown, with photo URLs or initials.",
    ),
    Resource(
        "papers",
        "Accepted contributions",
        "Accepted contributions with their authors and how each is presented. May be empty.",
    ),
    Resource(
        "call-for-abstracts",
        "Call for abstracts",
        "Who may submit what, the submission format, the review and where to submit.",
    ),
    Resource(
        "venue",
        "Venue",
        "Where the workshop takes place (building, room, address, map) and how to get there and around: "
        "step-free access, quiet room, transit, parking, food. Every field may be null.",
    ),
    Resource(
        "logistics",
        "Logistics and FAQs",
        "How the event runs (in person, online), registration, contact, stream links and FAQs.",
    ),
    Resource(
        "dates",
        "Important dates",
        "Important dates: deadlines, announcements and events, with the instants each covers "
        "and the earlier values of a moved date.",
    ),
    Resource("posters", "Poster instructions", "Poster sizes and printing advice."),
    Resource("committee", "Organizing committee", "The organizing committee, co-chairs first as shown."),
    Resource(
        "sponsors",
        "Sponsors",
        "Who supports the workshop, in the order shown, with their tier and logo URL. May be empty.",
    ),
    Resource(
        "sections",
        "The edition's own sections",
        "The sections the organizers wrote in Markdown (sections/<id>.md) that the page shows, in its order, "
        "each with its title and text. May be empty.",
    ),
)
# One entry per section of workshop/schemas.py (SERVED_SCHEMAS), in the same order.
if [resource.name for resource in RESOURCES] != list(API_RESOURCES):
    raise LookupError(
        f"apiroutes.RESOURCES names {[r.name for r in RESOURCES]}, the schemas {list(API_RESOURCES)}: "
        "describe every resource once, in the order of SERVED_SCHEMAS."
    )


def _item_calendars(content: Content, route: Route, *, noun: str, listed_in: str) -> Iterator[Endpoint]:
    yield item_endpoint(
        content,
        route,
        noun=noun,
        listed_in=listed_in,
        operation_id=f"get{camel(noun)}Calendar",
        tag="Calendars",
        summary=f"One {noun} of an edition as a calendar file",
        description="A single event, to add to a calendar (the page's 'Add to calendar' links).",
        schema=CALENDAR_SCHEMA,
    )


def _resource_described(resource: Resource) -> Described:
    return Described(
        name=camel(resource.name),
        example=resource.name,
        summary=f"{resource.title} of {{edition}}",
        description=resource.description,
        tag="Current edition",
        edition_tag="Any edition",
        schema=lambda content: envelope_schema(content, resource.name, resource.title, resource.description),
        current_note=lambda current: (
            f" The same bytes as /api/v1/editions/{current}/{resource.name}.json while {current} is current."
        ),
        path_values={"resource": resource.name},
        link=True,
    )


def _date_ids(edition: Edition) -> Sequence[str]:
    return [item.id for item in edition.dates.items]


def _session_ids(edition: Edition) -> Sequence[str]:
    return list(edition.by_id.sessions)


# The API's own documents (index, status, OpenAPI) are declared in workshop/apiindex.py and
# workshop/openapi.py, which build them; their routes join these in :func:`all_routes`.
EDITION_ROUTES: tuple[Route, ...] = (
    Route(
        "resource",
        "<resource>.json",
        RESOURCE,
        "both",
        described=tuple(map(_resource_described, RESOURCES)),
        arguments={"resource": lambda edition: API_RESOURCES},
    ),
    *sectionroutes.ROUTES,  # each of an edition's own sections: documented beside the resources
    Route(
        "calendar",
        "dates.ics",
        calendarfiles.FEED,
        "both",
        described=(
            Described(
                name="Calendar",
                example="dates.ics",
                summary="Calendar feed of {edition}",
                description="Every important date and, once the program is published, every session, as an "
                "iCalendar feed to subscribe to. Event UIDs are <edition>-date-<id>@<domain> and "
                "<edition>-session-<id>@<domain>, and SEQUENCE counts a date's earlier values, so a subscribed "
                "calendar moves an event instead of adding a second one.",
                tag="Calendars",
                schema=lambda content: CALENDAR_SCHEMA,
            ),
        ),
    ),
    Route(
        "date_calendar",
        "dates/<item_id>.ics",
        calendarfiles.DATE_FILE,
        "edition",
        describe=partial(_item_calendars, noun="date", listed_in="the id of an item of its dates.json"),
        arguments={"item_id": _date_ids},
    ),
    Route(
        "session_calendar",
        "sessions/<session_id>.ics",
        calendarfiles.SESSION_FILE,
        "edition",
        describe=partial(
            _item_calendars,
            noun="session",
            listed_in="the id of a session of its program.json, once the program is published",
        ),
        arguments={"session_id": _session_ids},
    ),
    Route(
        "schedule",
        "schedule.json",
        frab.SCHEDULE,
        "both",
        described=(
            Described(
                name="Schedule",
                example="schedule",
                summary="Program of {edition} as frab/c3voc schedule JSON",
                description="The program as frab/c3voc schedule JSON (https://c3voc.de/schedule/schema.json), "
                "which conference schedule apps import: one room, the days with sessions (none until the program "
                "is published), with stable guids and ids per session.",
                tag="Other formats",
                schema=lambda content: frab.FrabScheduleSchema,
            ),
        ),
    ),
    Route(
        "schedule_xml",
        "schedule.xml",
        frab.SCHEDULE_XML,
        "both",
        described=(
            Described(
                name="ScheduleXml",
                example="schedule.xml",
                summary="Program of {edition} as frab/c3voc schedule XML",
                description="The same schedule as schedule.json, as the frab/c3voc schedule.xml that Giggity, "
                "EventFahrplan, info-beamer and the c3tt tracker read: <schedule> with <version>, <conference> "
                "(acronym, title, start, end, days, timeslot_duration, base_url, time_zone_name, url), then <day "
                "index date start end> (index from 1) holding <room name guid> holding <event guid id> (date, "
                "start, duration, room, slug, url, title, subtitle, track, type, language, abstract, description, "
                "logo, persons, links, attachments, recording). Every day, room, event, id and guid is the one of "
                "schedule.json.",
                tag="Other formats",
                schema=lambda content: SCHEDULE_XML_SCHEMA,
            ),
        ),
    ),
    Route(
        "feed",
        "feed.json",
        newsfeed.FEED,
        "both",
        described=(
            Described(
                name="Feed",
                example="feed",
                summary="Announcements of {edition} as a JSON Feed",
                description="The announcements as a JSON Feed 1.1 (https://jsonfeed.org/version/1.1), "
                "for feed readers.",
                tag="Other formats",
                schema=lambda content: newsfeed.JsonFeedSchema,
            ),
        ),
    ),
)
