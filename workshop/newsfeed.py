"""Announcements as a JSON Feed (version 1.1), for feed readers and other sites.

A feed is read away from the page: every URL in it is absolute, and each item's
id is its URL, the announcement on the page (the spec's advice), which answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask import url_for
from markupsafe import escape

from workshop.content import Edition
from workshop.documents import Served
from workshop.richtext import with_absolute_links
from workshop.seo import absolute_url

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# JSON Feed 1.1's own media type; clients asking for application/json get it too (negotiation.acceptable_types).
MIMETYPE = "application/feed+json"


def _item(page: str, announcement: Mapping[str, Any]) -> dict[str, Any]:
    url = f"{page}#announcement-{announcement['id']}"
    body = announcement["body"]
    return {
        "id": url,
        "url": url,
        "title": announcement["title"],
        # Links written for the page (#dates) resolved as the page resolves them.
        "content_html": with_absolute_links(body.html, page) if body else f"<p>{escape(announcement['title'])}</p>",
        "content_text": body.markdown if body else announcement["title"],
        # A day, not a time: published at the start of that day, UTC.
        "date_published": dt.datetime.combine(announcement["published"], dt.time(), dt.UTC).isoformat(),
    }


def feed_payload(edition: Edition) -> dict[str, Any]:
    site = edition["site"]
    page = absolute_url(url_for("pages.edition_page", edition=edition.name))
    return {
        "version": JSON_FEED_VERSION,
        "title": f"{site['title']} ({site['venue']['name']}): news",
        "home_page_url": page,
        "feed_url": absolute_url(url_for("api.edition_feed", edition=edition.name)),
        "description": f"Announcements of the {site['title']} workshop at {site['venue']['name']}.",
        "language": "en",
        "items": [_item(page, announcement) for announcement in edition["announcements"]["announcements"]],
    }


FEED = Served("feed", MIMETYPE, lambda content, edition: feed_payload(edition))
