"""The program as frab/c3voc schedule JSON, the format conference schedule apps read.

The format (described in the c3voc wiki, "schedule") nests events by day and by
room. Every identifier is derived from the edition and the session id, so an
app that imported the schedule recognizes each talk again after an edit.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zlib
from collections.abc import Mapping
from typing import Any

from flask import current_app, url_for

from workshop.calendar import published_sessions
from workshop.content import Content, Edition
from workshop.documents import API_VERSION, Document, encode_json, find_edition, prepared, schedule_by_day
from workshop.store import get_content

SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
# All identifiers of the site's schedules live under this namespace (uuid5 of the UID).
GUID_NAMESPACE = uuid.UUID("6f1d3b1e-6a8e-5c0e-9a55-0f3a52f4f0a1")
SESSION_TYPES = {"keynote": "Keynote", "talk": "Talk", "spotlight": "Lightning talk", "panel": "Podium"}


def _guid(edition: Edition, kind: str, item_id: str) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, f"{edition.name}/{kind}/{item_id}"))


def _numeric_id(edition: Edition, session_id: str) -> int:
    # frab ids are integers: a stable 31-bit hash of the session's identity.
    return zlib.crc32(f"{edition.name}/{session_id}".encode()) & 0x7FFFFFFF


def _duration(start: dt.datetime, end: dt.datetime) -> str:
    minutes = int((end - start).total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _event(edition: Edition, session: Mapping[str, Any], room: str, site_url: str) -> dict[str, Any]:
    speakers = {speaker["id"]: speaker for speaker in edition["speakers"]["speakers"]}
    papers = {paper["id"]: paper for paper in edition["papers"]["papers"]}
    page = site_url + url_for("pages.edition_page", edition=edition.name, _anchor=f"session-{session['id']}")
    presented = [papers[paper_id]["title"] for paper_id in session["papers"]]
    return {
        "guid": _guid(edition, "session", session["id"]),
        "id": _numeric_id(edition, session["id"]),
        "date": session["starts_at"].isoformat(),
        "start": session["starts_at"].strftime("%H:%M"),
        "duration": _duration(session["starts_at"], session["ends_at"]),
        "room": room,
        "slug": f"{edition.name}-{session['id']}",
        "url": page,
        "title": session["title"],
        "subtitle": "",
        "track": session["kind"].replace("-", " ").capitalize(),
        "type": SESSION_TYPES.get(session["kind"], "Other"),
        "language": "en",
        "abstract": "",
        "description": "\n".join(f"- {title}" for title in presented),
        "logo": None,
        "recording_license": "",
        "do_not_record": False,
        "persons": [
            {
                "guid": _guid(edition, "person", speaker_id),
                "name": speakers[speaker_id]["name"],
                "public_name": speakers[speaker_id]["name"],
            }
            for speaker_id in session["speakers"]
        ],
        "links": [],
        "attachments": [],
    }


def _conference_days(edition: Edition) -> tuple[dt.date, dt.date]:
    sessions = published_sessions(edition)
    if sessions:
        return sessions[0]["starts_at"].date(), sessions[-1]["ends_at"].date()
    dates = {item["id"]: item for item in edition["dates"]["items"]}
    workshop = dates.get("workshop") or edition["dates"]["items"][-1]
    return workshop["starts_at"].date(), workshop["ends_at"].date()


def schedule_payload(content: Content, edition: Edition) -> dict[str, Any]:
    site = edition["site"]
    site_url = current_app.config["SITE_URL"].rstrip("/")
    room = site["title"]  # one room: the workshop's
    first, last = _conference_days(edition)
    days = [
        {
            "index": (day - first).days,
            "date": day.isoformat(),
            "day_start": sessions[0]["starts_at"].isoformat(),
            "day_end": max(session["ends_at"] for session in sessions).isoformat(),
            "rooms": {room: [_event(edition, session, room, site_url) for session in sessions]},
        }
        for day, sessions in (schedule_by_day(edition) if published_sessions(edition) else [])
    ]
    return {
        "$schema": SCHEMA_URL,
        "generator": {"name": "workshop-site", "version": API_VERSION},
        "schedule": {
            "version": content.version,
            "base_url": f"{site_url}/",
            "conference": {
                "acronym": edition.name,
                "title": f"{site['title']} ({site['venue']['name']})",
                "start": first.isoformat(),
                "end": last.isoformat(),
                "daysCount": (last - first).days + 1,
                "timeslot_duration": "00:05",
                "time_zone_name": edition["program"]["timezone"],
                "url": site_url + url_for("pages.edition_page", edition=edition.name),
                "rooms": [{"name": room, "guid": _guid(edition, "room", "main")}],
                "days": days,
            },
        },
    }


def schedule(edition_name: str) -> Document:
    content = get_content()
    edition = find_edition(content, edition_name)
    return prepared(
        content,
        f"frab/{edition.name}",
        lambda: Document.of(encode_json(schedule_payload(content, edition)), "application/json"),
    )
