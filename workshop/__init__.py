"""The Machine Learning for Astrophysics workshop site: pages and JSON API from YAML data files."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask_caching import Cache

from workshop import api, calendar, filters, http, pages, store
from workshop.config import PROJECT_ROOT, DefaultConfig
from workshop.fastpath import PreparedResponses


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Application factory: configuration, then content, then HTTP layers and views."""
    app = Flask(
        __name__,
        static_folder=str(PROJECT_ROOT / "static"),
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    app.config.from_object(DefaultConfig)
    app.config.from_prefixed_env("WORKSHOP")
    if test_config is not None:
        app.config.from_mapping(test_config)

    app.extensions["workshop.cache"] = Cache(app)
    store.init_app(app)
    http.init_app(app)
    filters.init_app(app)
    calendar.init_app(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    if app.config["FAST_PATH"]:
        # Outermost: answers repeat requests from memory before Flask is entered.
        app.wsgi_app = PreparedResponses(app.wsgi_app, app.extensions["workshop.store"])  # type: ignore[method-assign]
    return app
