"""API v1: read-only JSON documents for the current edition and for every edition, and their calendars (.ics).

Every route is declared once in workshop/catalogue.py, which this blueprint registers: the
same declarations describe it in /api/v1/openapi.json, on /api/ and in /api/v1/index.json.
"""

from __future__ import annotations

from flask import Blueprint

from workshop import catalogue


def blueprint() -> Blueprint:
    """The API blueprint, with every route of the catalogue as it is when the app is created."""
    bp = Blueprint("api", __name__, url_prefix=catalogue.API_PREFIX)
    catalogue.register(bp)
    return bp
