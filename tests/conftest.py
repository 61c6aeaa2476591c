"""Shared fixtures, in the style of Flask's tutorial: an app per test, built by the factory."""

from __future__ import annotations

import os
import shutil
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from playwright.sync_api import Browser, sync_playwright
from werkzeug.serving import BaseWSGIServer, make_server

from scripts.local_servers import CHROMIUM_FLAGS
from workshop import create_app

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_DATA = PROJECT_ROOT / "data"
# The workshop's original page, kept verbatim: the source of every fact the site must carry.
SEED_PAGE = Path(__file__).resolve().parent / "fixtures" / "seed-homepage.md"
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


def static_url(app: Flask, filename: str) -> str:
    """The URL pages name for a static file (versioned, workshop/staticfiles.py), as the templates build it."""
    with app.test_request_context():
        return url_for("static", filename=filename)


@pytest.fixture
def app() -> Flask:
    """The app serving the shipped data, as visitors get it."""
    return create_app({"TESTING": True, "CONTENT_RELOAD": False})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private copy of the shipped data that a test may edit or break."""
    target = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, target)
    return target


@pytest.fixture
def make_app() -> Callable[..., Flask]:
    def factory(data_dir: Path, **overrides: object) -> Flask:
        # Tests that need live reload turn it on themselves.
        return create_app({"TESTING": True, "DATA_DIR": str(data_dir), "CONTENT_RELOAD": False, **overrides})

    return factory


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
