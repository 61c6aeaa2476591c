"""The program as a frab/c3voc schedule, the format conference schedule apps read, in JSON and XML.

The format (described in the c3voc wiki, "schedule") nests events by day and by
room. Every identifier is derived from the edition and the session id, so an
app that imported the schedule recognizes each talk again after an edit.

One builder (:func:`schedule_payload`) makes the schedule; it is served as the
JSON document and, serialized element by element with ElementTree, as the
schedule.xml that Giggity, EventFahrplan, info-beamer and the c3tt tracker read:
the same days, rooms, events, ids and guids. Days are numbered from 1, as the
format's XML schema types ``index`` (a positive integer).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import zlib
from collections.abc import Mapping
from typing import Any
from xml.etree import ElementTree

from flask import url_for
from marshmallow import Schema, fields, validate

from workshop import names, seo
from workshop.documents import API_VERSION, Served, paper_url
from workshop.model import Content, Edition
from workshop.outputfields import absolute_url_field, described, text
from workshop.timeschemas import Session

XML_MIMETYPE = "application/xml"

SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
# All identifiers of the site's schedules live under this namespace (uuid5 of the UID).
GUID_NAMESPACE = uuid.UUID("6f1d3b1e-6a8e-5c0e-9a55-0f3a52f4f0a1")
SESSION_TYPES = {"keynote": "Keynote", "talk": "Talk", "spotlight": "Lightning talk", "panel": "Podium"}


# --- The format, as the OpenAPI document describes it --------------------------------------


class FrabPersonSchema(Schema):
    id = fields.Integer(**described("Stable numeric identifier of the person (schedule.xml's <person id>)."))
    guid = fields.UUID(**described("Stable identifier of the person (UUID, derived from edition and id)."))
    name = text("Full name.")
    public_name = text("Name as shown (the full name).")


class FrabLinkSchema(Schema):
    url = absolute_url_field("Where the link points.")
    title = text("What it is, e.g. the contribution's title and '(PDF)'.")


class FrabEventSchema(Schema):
    guid = fields.UUID(**described("Stable identifier of the session (UUID, derived from edition and id)."))
    id = fields.Integer(**described("Stable numeric identifier of the session (frab ids are integers)."))
    date = fields.AwareDateTime(**described("Start, ISO 8601 with the venue's offset."))
    start = text("Start, venue time, HH:MM.", validate=validate.Regexp(r"^\d{2}:\d{2}$"))
    duration = text("Duration, HH:MM.", validate=validate.Regexp(r"^\d{2}:\d{2}$"))
    room = text("The room: the workshop's one room, named after it.")
    slug = text("<edition>-<session id>.")
    url = absolute_url_field("The session on the workshop page.")
    title = text("Title of the slot.")
    subtitle = fields.String(**described("Always empty."))
    track = text("The session's kind, e.g. 'Keynote', 'Poster session'.")
    type = text("frab's event type: Keynote, Talk, Lightning talk, Podium or Other.")
    language = text("The workshop's language, a BCP 47 tag (site.yaml's language), e.g. 'en'.")
    abstract = fields.String(**described("Always empty."))
    description = fields.String(**described("The titles of the contributions presented, one '- ' line each."))
    logo = fields.String(allow_none=True, **described("Always null."))
    recording_license = fields.String(**described("Always empty."))
    do_not_record = fields.Boolean(**described("Always false."))
    persons = fields.List(
        fields.Nested(FrabPersonSchema),
        **described("Speakers and panelists of the session, then who presents each of its contributions."),
    )
    links = fields.List(
        fields.Nested(FrabLinkSchema),
        **described("For each contribution presented: its page, then its PDF when it has one."),
    )
    attachments = fields.List(fields.Dict(), **described("Always empty."))


class FrabDaySchema(Schema):
    index = fields.Integer(**described("1 for the first day with sessions, then 2, 3... (as in schedule.xml)."))
    date = fields.Date(**described("The day at the venue."))
    day_start = fields.AwareDateTime(**described("Start of the day's first session."))
    day_end = fields.AwareDateTime(**described("End of the day's last session."))
    rooms = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Nested(FrabEventSchema)),
        **described("Room name -> the day's sessions in it, in time order."),
    )


class FrabRoomSchema(Schema):
    name = text("Name of the room (the workshop's title).")
    guid = fields.UUID(**described("Stable identifier of the room."))


class FrabConferenceSchema(Schema):
    acronym = text("The edition's id: the name of its data folder.")
    title = text("The workshop and its venue.")
    start = fields.Date(**described("First day: of the sessions, or of the workshop date while none is published."))
    end = fields.Date(**described("Last day."))
    daysCount = fields.Integer(**described("Number of days from start to end."))  # noqa: N815 (frab's name)
    timeslot_duration = text("Grid of the schedule, HH:MM.")
    time_zone_name = text("IANA time zone of the venue, e.g. Europe/Paris.")
    url = absolute_url_field("The edition's page.")
    rooms = fields.List(fields.Nested(FrabRoomSchema), **described("The rooms (one)."))
    days = fields.List(
        fields.Nested(FrabDaySchema), **described("Days with sessions; empty until the program is published.")
    )


class FrabScheduleBodySchema(Schema):
    version = text("The content version the schedule was built from: it changes with every edit.")
    base_url = absolute_url_field("The site's address, ending in '/'.")
    conference = fields.Nested(FrabConferenceSchema, **described("The workshop, its rooms and days."))


class FrabGeneratorSchema(Schema):
    name = text("Always 'workshop-site'.")
    version = text("The API version.")


class FrabScheduleSchema(Schema):
    schema_url = absolute_url_field("The c3voc schedule JSON Schema this document follows.", data_key="$schema")
    generator = fields.Nested(FrabGeneratorSchema, **described("What produced the document."))
    schedule = fields.Nested(FrabScheduleBodySchema, **described("The schedule."))


# --- From the content ----------------------------------------------------------------------


def _guid(edition: Edition, kind: str, item_id: str) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, f"{edition.name}/{kind}/{item_id}"))


def _numeric_id(edition: Edition, kind: str, item_id: str) -> int:
    # frab ids are integers: a stable 31-bit hash of the item's identity (sessions keep their historic key).
    key = f"{edition.name}/{item_id}" if kind == "session" else f"{edition.name}/{kind}/{item_id}"
    return zlib.crc32(key.encode()) & 0x7FFFFFFF


def _duration(start: dt.datetime, end: dt.datetime) -> str:
    minutes = int((end - start).total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _person(edition: Edition, person_key: str, name: str) -> dict[str, Any]:
    return {
        "id": _numeric_id(edition, "person", person_key),
        "guid": _guid(edition, "person", person_key),
        "name": name,
        "public_name": name,
    }


def _persons(edition: Edition, session: Session) -> list[dict[str, Any]]:
    """Speakers, then presenters; a presenter who is also a speaker is one person, with the speaker's id."""
    speakers_by_name = {names.same_name_key(speaker.name): speaker.id for speaker in edition.speakers}
    persons = {speaker_id: edition.speaker(speaker_id).name for speaker_id in session.speakers}
    for paper_id in session.papers:
        for name in names.presenters(session, edition.paper(paper_id)):
            key = names.same_name_key(name)
            persons.setdefault(speakers_by_name.get(key, f"name:{key}"), name)
    return [_person(edition, person_key, name) for person_key, name in persons.items()]


def _links(edition: Edition, session: Session, site_url: str) -> list[dict[str, str]]:
    links = []
    for paper_id in session.papers:
        paper = edition.paper(paper_id)
        links.append({"url": site_url + paper_url(edition.name, paper_id), "title": paper.title})
        if paper.pdf:
            # A stored PDF is a path on this site; a link elsewhere is kept as written.
            pdf = site_url + paper.pdf if paper.pdf.startswith("/") else paper.pdf
            links.append({"url": pdf, "title": f"{paper.title} (PDF)"})
    return links


def _event(edition: Edition, session: Session, room: str, site_url: str) -> dict[str, Any]:
    page = site_url + url_for("pages.edition_page", edition=edition.name, _anchor=f"session-{session.id}")
    presented = [edition.paper(paper_id).title for paper_id in session.papers]
    return {
        "guid": _guid(edition, "session", session.id),
        "id": _numeric_id(edition, "session", session.id),
        "date": session.starts_at,
        "start": session.starts_at.strftime("%H:%M"),
        "duration": _duration(session.starts_at, session.ends_at),
        "room": room,
        "slug": f"{edition.name}-{session.id}",
        "url": page,
        "title": session.title,
        "subtitle": "",
        "track": session.kind.replace("-", " ").capitalize(),
        "type": SESSION_TYPES.get(session.kind, "Other"),
        "language": edition.site.language,
        "abstract": "",
        "description": "\n".join(f"- {title}" for title in presented),
        "logo": None,
        "recording_license": "",
        "do_not_record": False,
        "persons": _persons(edition, session),
        "links": _links(edition, session, site_url),
        "attachments": [],
    }


def _conference_days(edition: Edition) -> tuple[dt.date, dt.date]:
    start, end = edition.event_span
    return start.date(), end.date()


def schedule_payload(content: Content, edition: Edition) -> dict[str, Any]:
    site_url = seo.site_url(edition)
    room = edition.site.title  # one room: the workshop's
    first, last = _conference_days(edition)
    days = [
        {
            "index": number,
            "date": day,
            "day_start": sessions[0].starts_at,
            "day_end": max(session.ends_at for session in sessions),
            "rooms": {room: [_event(edition, session, room, site_url) for session in sessions]},
        }
        for number, (day, sessions) in enumerate(edition.schedule if edition.published_sessions else (), 1)
    ]
    # Dumped through the schema the OpenAPI document shows: one description of the format.
    return FrabScheduleSchema().dump(
        {
            "schema_url": SCHEMA_URL,
            "generator": {"name": "workshop-site", "version": API_VERSION},
            "schedule": {
                "version": content.version,
                "base_url": f"{site_url}/",
                "conference": {
                    "acronym": edition.name,
                    "title": edition.title,
                    "start": first,
                    "end": last,
                    "daysCount": (last - first).days + 1,
                    "timeslot_duration": "00:05",
                    "time_zone_name": edition.program.timezone,
                    "url": site_url + url_for("pages.edition_page", edition=edition.name),
                    "rooms": [{"name": room, "guid": _guid(edition, "room", "main")}],
                    "days": days,
                },
            },
        }
    )


# --- The same schedule as XML ---------------------------------------------------------------


# Characters XML 1.0 cannot hold at all, not even escaped (YAML's "\x0b" escapes can put them in a title).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value: Any) -> str:
    return _NOT_XML.sub("\ufffd", str(value))


def _element(parent: ElementTree.Element, tag: str, text: Any = None, **attributes: Any) -> ElementTree.Element:
    """A child element; None and "" give an empty one (as frab writes an absent value)."""
    element = ElementTree.SubElement(parent, tag, {name: _xml_text(value) for name, value in attributes.items()})
    if text is not None and text != "":
        element.text = _xml_text(text)
    return element


# The children of <event>, in the format's order, and the JSON field each one shows.
_EVENT_TEXTS = (
    "date",
    "start",
    "duration",
    "room",
    "slug",
    "url",
    "title",
    "subtitle",
    "track",
    "type",
    "language",
    "abstract",
    "description",
    "logo",
)


def _event_element(parent: ElementTree.Element, event: Mapping[str, Any]) -> None:
    element = _element(parent, "event", guid=event["guid"], id=event["id"])
    for tag in _EVENT_TEXTS:
        _element(element, tag, event[tag])
    persons = _element(element, "persons")
    for person in event["persons"]:
        _element(persons, "person", person["public_name"], id=person["id"])
    links = _element(element, "links")
    for link in event["links"]:
        _element(links, "link", link["title"], href=link["url"])
    attachments = _element(element, "attachments")
    for attachment in event["attachments"]:
        _element(attachments, "attachment", attachment["title"], href=attachment["url"])
    recording = _element(element, "recording")
    _element(recording, "license", event["recording_license"])
    _element(recording, "optout", "true" if event["do_not_record"] else "false")


def schedule_xml(payload: Mapping[str, Any]) -> bytes:
    """The schedule of :func:`schedule_payload` as frab/c3voc schedule.xml."""
    schedule = payload["schedule"]
    conference = schedule["conference"]
    root = ElementTree.Element("schedule")
    generator = payload["generator"]
    _element(root, "generator", name=generator["name"], version=generator["version"])
    _element(root, "version", schedule["version"])
    head = _element(root, "conference")
    for tag, value in (
        ("acronym", conference["acronym"]),
        ("title", conference["title"]),
        ("start", conference["start"]),
        ("end", conference["end"]),
        ("days", conference["daysCount"]),
        ("timeslot_duration", conference["timeslot_duration"]),
        ("base_url", schedule["base_url"]),
        ("time_zone_name", conference["time_zone_name"]),
        ("url", conference["url"]),
    ):
        _element(head, tag, value)
    guids = {room["name"]: room["guid"] for room in conference["rooms"]}
    for day in conference["days"]:
        day_element = _element(
            root, "day", index=day["index"], date=day["date"], start=day["day_start"], end=day["day_end"]
        )
        for room, events in day["rooms"].items():
            room_element = _element(day_element, "room", name=room, guid=guids[room])
            for event in events:
                _event_element(room_element, event)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


# --- Served documents ----------------------------------------------------------------------


def schedule_xml_body(content: Content, edition: Edition) -> bytes:
    return schedule_xml(schedule_payload(content, edition))


# The schedule as frab/c3voc JSON, and the same schedule as frab/c3voc XML.
SCHEDULE = Served("frab", "application/json", schedule_payload)
SCHEDULE_XML = Served("frab-xml", XML_MIMETYPE, schedule_xml_body)
