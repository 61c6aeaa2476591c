"""Announcements as a JSON Feed (version 1.1), for feed readers and other sites.

A feed is read away from the page: every URL in it is absolute, and each item's
id is its URL, the announcement on the page (the spec's advice), which answers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import url_for
from markupsafe import escape
from marshmallow import Schema, fields, validate

from workshop.documents import Served
from workshop.model import Edition
from workshop.outputfields import absolute_url_field, described, text
from workshop.richtext import with_absolute_links
from workshop.schemas import Announcement
from workshop.seo import absolute_url

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# JSON Feed 1.1's own media type; clients asking for application/json get it too (negotiation.acceptable_types).
MIMETYPE = "application/feed+json"


class JsonFeedItemSchema(Schema):
    id = text("Stable, unique id of the announcement (a URL that never changes).")
    url = absolute_url_field("The announcement on the workshop page.")
    title = text("Headline.")
    content_html = text("The announcement as sanitized HTML.")
    content_text = text("The announcement as Markdown text.")
    date_published = fields.AwareDateTime(**described("The day it was announced, at 00:00 UTC (RFC 3339)."))


class JsonFeedSchema(Schema):
    version = text("The JSON Feed version URL.", validate=validate.OneOf([JSON_FEED_VERSION]))
    title = text("Name of the feed.")
    home_page_url = absolute_url_field("The edition's page.")
    feed_url = absolute_url_field("This feed's own URL.")
    description = text("What the feed is.")
    language = text("The workshop's language, a BCP 47 tag (site.yaml's language), e.g. 'en'.")
    items = fields.List(fields.Nested(JsonFeedItemSchema), **described("The announcements, newest first."))


def _item(page: str, announcement: Announcement) -> dict[str, Any]:
    url = f"{page}#announcement-{announcement.id}"
    body = announcement.body
    return {
        "id": url,
        "url": url,
        "title": announcement.title,
        # Links written for the page (#dates) resolved as the page resolves them.
        "content_html": with_absolute_links(body.html, page) if body else f"<p>{escape(announcement.title)}</p>",
        "content_text": body.markdown if body else announcement.title,
        # A day, not a time: published at the start of that day, UTC.
        "date_published": dt.datetime.combine(announcement.published, dt.time(), dt.UTC),
    }


def feed_payload(edition: Edition) -> dict[str, Any]:
    site = edition.site
    page = absolute_url(edition, url_for("pages.edition_page", edition=edition.name))
    # Dumped through the schema the OpenAPI document shows: one description of the format.
    return JsonFeedSchema().dump(
        {
            "version": JSON_FEED_VERSION,
            "title": f"{edition.title}: news",
            "home_page_url": page,
            "feed_url": absolute_url(edition, url_for("api.edition_feed", edition=edition.name)),
            "description": f"Announcements of the {site.title} workshop at {site.venue.name}.",
            "language": site.language,
            "items": [_item(page, announcement) for announcement in edition.announcements],
        }
    )


FEED = Served("feed", MIMETYPE, lambda content, edition: feed_payload(edition))
