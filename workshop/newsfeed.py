"""Announcements as a JSON Feed (version 1.1), for feed readers and other sites."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app, url_for

from workshop.content import Edition
from workshop.documents import Document, encode_json, find_edition, prepared
from workshop.store import get_content

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def feed_payload(edition: Edition) -> dict[str, Any]:
    site = edition["site"]
    site_url = current_app.config["SITE_URL"].rstrip("/")
    page = site_url + url_for("pages.edition_page", edition=edition.name)
    return {
        "version": JSON_FEED_VERSION,
        "title": f"{site['title']} ({site['venue']['name']}): news",
        "home_page_url": page,
        "feed_url": site_url + url_for("api.edition_feed", edition=edition.name),
        "description": f"Announcements of the {site['title']} workshop at {site['venue']['name']}.",
        "language": "en",
        "items": [
            {
                "id": f"{site_url}/{edition.name}/announcements/{item['id']}",
                "url": f"{page}#announcement-{item['id']}",
                "title": item["title"],
                "content_html": item["body"].html if item["body"] else f"<p>{item['title']}</p>",
                "content_text": item["body"].markdown if item["body"] else item["title"],
                # A day, not a time: published at the start of that day, UTC.
                "date_published": dt.datetime.combine(item["published"], dt.time(), dt.UTC).isoformat(),
            }
            for item in edition["announcements"]["announcements"]
        ],
    }


def feed(edition_name: str) -> Document:
    content = get_content()
    edition = find_edition(content, edition_name)
    return prepared(
        content, f"feed/{edition.name}", lambda: Document.of(encode_json(feed_payload(edition)), "application/json")
    )
