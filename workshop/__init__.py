"""The Machine Learning for Astrophysics workshop site: pages and JSON API from YAML data files."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from workshop import (
    api,
    apidocs,
    assets,
    calendarfiles,
    documentcache,
    filters,
    httpresponses,
    pages,
    routing,
    staticfiles,
    store,
    uistrings,
)
from workshop.config import PROJECT_ROOT, DefaultConfig, resolve_paths
from workshop.fastpath import ReplayedResponses


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Application factory: configuration, then content, then HTTP layers and views."""
    static_folder = PROJECT_ROOT / "static"
    app = Flask(
        __name__,
        static_folder=str(static_folder),
        # Content-hashed URLs, cached for a year (workshop/staticfiles.py).
        static_url_path=staticfiles.versioned_prefix(static_folder),
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    app.config.from_object(DefaultConfig)
    app.config.from_prefixed_env("WORKSHOP")
    if test_config is not None:
        app.config.from_mapping(test_config)
    resolve_paths(app.config)

    documentcache.init_app(app)
    store.init_app(app)
    staticfiles.init_app(app)
    httpresponses.init_app(app)
    filters.init_app(app)
    uistrings.init_app(app)
    assets.init_app(app)
    calendarfiles.init_app(app)
    routing.init_app(app)
    app.register_blueprint(api.blueprint())
    app.register_blueprint(apidocs.bp)
    app.register_blueprint(pages.bp)
    if app.config["FAST_PATH"]:
        # Answers repeat requests from memory before Flask is entered (only ProxyFix is outside it).
        replayed = ReplayedResponses(app.wsgi_app, app.extensions["workshop.store"])
        # Also read by the ASGI front (workshop/asgi.py), which replays the same table.
        app.extensions["workshop.replayed"] = replayed
        app.wsgi_app = replayed  # type: ignore[method-assign]
    proxies = int(app.config["PROXY_FIX"])
    if proxies < 0:
        raise ValueError(f"PROXY_FIX is the number of trusted proxies in front of the app, not {proxies}.")
    if proxies:
        # Outermost of all, around the fast path: the fast path must see the scheme the visitor
        # used (a response over HTTPS carries HSTS, one over HTTP must not), and ProxyFix only
        # rewrites a few environ keys. X-Forwarded-Prefix is never trusted: documents are
        # cached for every visitor, so no request may move the site's URLs.
        proxy_fix = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies)
        # The ASGI front (workshop/asgi.py) reads the visitor's scheme with this same instance.
        app.extensions["workshop.proxy_fix"] = proxy_fix
        app.wsgi_app = proxy_fix  # type: ignore[method-assign]
    return app
