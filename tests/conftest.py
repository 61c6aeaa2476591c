"""Shared fixtures, in the style of Flask's tutorial: an app per test, built by the factory."""

from __future__ import annotations

import os
import shutil
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from flask import Flask, url_for
from flask.testing import FlaskClient
from playwright.sync_api import Browser, sync_playwright
from werkzeug.serving import BaseWSGIServer, make_server

from scripts.local_servers import CHROMIUM_FLAGS
from workshop import create_app
from workshop.config import EXAMPLE_DATA, EXAMPLE_EDITION

__all__ = ["EXAMPLE_DATA", "EXAMPLE_EDITION"]  # the example edition (docs/example-data): tests import it from here

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_DATA = PROJECT_ROOT / "data"
# The workshop's original page, kept verbatim: the source of every fact the site must carry.
SEED_PAGE = Path(__file__).resolve().parent / "fixtures" / "seed-homepage.md"
# The site's public address each data folder gives (its editions.yaml's site_url).
SHIPPED_SITE_URL = "https://ml4astro.github.io"
EXAMPLE_SITE_URL = "https://workshop.example.org"
CHROMIUM_PATH = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = CHROMIUM_FLAGS


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-contract",
        action="store_true",
        default=False,
        help="Rewrite the API snapshots in tests/contract/ from what the app serves now (tests/test_contract.py).",
    )


def pytest_configure(config: pytest.Config) -> None:
    # A snapshot rewritten where it is checked would always pass: CI only compares.
    if config.getoption("--update-contract") and os.environ.get("CI"):
        raise pytest.UsageError("--update-contract rewrites the API snapshots; it is refused in CI (CI is set).")


def tiny_png() -> bytes:
    """A valid 1x1 PNG."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


def build_app(data_dir: Path | str | None = None, **settings: object) -> Flask:
    """The app over ``data_dir`` (the configured data, by default the shipped data, when None), as tests build it.

    Testing mode, and no live reload: tests that follow edits turn it on (``CONTENT_RELOAD=True``) or poll.
    ``settings`` override any of these.
    """
    config: dict[str, object] = {"TESTING": True, "CONTENT_RELOAD": False}
    if data_dir is not None:
        config["DATA_DIR"] = str(data_dir)
    return create_app({**config, **settings})


def site_url_of(client: FlaskClient) -> str:
    """The public address the data of the client's app gives the site: its editions.yaml's site_url."""
    editions = Path(client.application.config["DATA_DIR"]) / "editions.yaml"
    return str(yaml.safe_load(editions.read_text(encoding="utf-8"))["site_url"])


def touch_later(path: Path) -> None:
    # Some file systems keep whole-second times: make each edit visibly newer.
    stamp = path.stat().st_mtime_ns + 2_000_000_000 if path.exists() else time.time_ns()
    os.utime(path, ns=(stamp, stamp))


def edit_data_file(path: Path, old: str, new: str, *, every: bool = False) -> None:
    """Edit a data file as an organizer would: ``old`` becomes ``new``, and the file is visibly newer.

    ``old`` must occur exactly once (with ``every``: at least once, and each occurrence is replaced), so an
    edit that misses its place fails loudly instead of leaving a test that checks nothing.
    """
    text = path.read_text(encoding="utf-8")
    found = text.count(old)
    assert found >= 1 if every else found == 1, f"{old!r} occurs {found} times in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    touch_later(path)


def static_url(app: Flask, filename: str) -> str:
    """The URL pages name for a static file (versioned, workshop/staticfiles.py), as the templates build it."""
    with app.test_request_context():
        return url_for("static", filename=filename)


@pytest.fixture
def app() -> Flask:
    """The app serving the shipped data, as visitors get it."""
    return build_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def example_app() -> Flask:
    """The example edition (docs/example-data): every feature in use (program, papers, news...)."""
    return build_app(EXAMPLE_DATA)


@pytest.fixture
def example_client(example_app: Flask) -> FlaskClient:
    return example_app.test_client()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private copy of the shipped data that a test may edit or break."""
    target = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, target)
    return target


@pytest.fixture
def make_app() -> Callable[..., Flask]:
    """``build_app`` as a fixture: ``make_app(data_dir, **settings)``."""
    return build_app


class LiveServer:
    """The app served over real HTTP on a free loopback port, in a background thread."""

    def __init__(self, app: Flask) -> None:
        self._server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Real Chromium, driven by Playwright. Missing Chromium is a failure, not a skip."""
    if not CHROMIUM_PATH.exists():
        pytest.fail(f"Chromium not found at {CHROMIUM_PATH}: run `make test`, which installs it.")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
