"""Visitors who leave in the middle of a download free everything they held, at once.

Production runs gunicorn's asgi worker: files are sent from its event loop, and a Flask
thread never waits on a client. Before, ten clients that asked for a large photo with a
small receive buffer and then left kept every Flask thread of a worker blocked for good
(each on the full send queue of a connection that no longer existed), so every request
Flask had to answer hung from then on, and gunicorn's timeout never fired because the
event loop still beat.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import time
import urllib.request
from pathlib import Path

import pytest

from scripts.local_servers import children
from tests.conftest import SHIPPED_DATA, edit_data_file
from tests.test_reload import EDITED, ROBUSTNESS
from tests.test_server import gunicorn, wait_until_serving

PHOTO = "/icml2023/photos/large.jpg"
# The "within 1 s", with room for a busy machine: a hung request never answers.
ANSWER_TIMEOUT = 10
ABANDONING_CLIENTS = 10


def fetch(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=ANSWER_TIMEOUT) as response:
        return response.status, response.read()


def abandon_downloads(port: int, path: str) -> None:
    """Clients with a 4 kB receive buffer ask for ``path``, read nothing for 3 s, and leave."""
    sockets = []
    try:
        for _ in range(ABANDONING_CLIENTS):
            client = socket.socket()
            # Before connecting, so the window the server sees is small from the start.
            client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            client.connect(("127.0.0.1", port))
            client.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            sockets.append(client)
        time.sleep(3)
    finally:
        for client in sockets:
            client.close()


def assert_every_url_answers(base_url: str, photo: bytes) -> dict[str, bytes]:
    bodies = {}
    for path in ("/", "/api/v1/status.json", "/api/v1/index.json", "/static/css/site.css", PHOTO):
        status, body = fetch(f"{base_url}{path}")
        assert status == 200, path
        bodies[path] = body
    assert bodies[PHOTO] == photo
    return bodies


@pytest.mark.parametrize("megabytes", [2, 4])
def test_abandoned_downloads_leave_the_worker_serving_and_edits_go_live(tmp_path: Path, megabytes: int) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, data_dir)
    (data_dir / "icml2023" / "photos").mkdir(exist_ok=True)
    photo = os.urandom(megabytes * 1024 * 1024)  # incompressible, as a real photo
    (data_dir / "icml2023" / "photos" / "large.jpg").write_bytes(photo)
    env = {"WORKSHOP_DATA_DIR": str(data_dir), "GUNICORN_WORKERS": "1"}
    with gunicorn(env, tmp_path / "gunicorn.log") as (process, base_url):
        wait_until_serving(f"{base_url}/", process)
        worker = children(process.pid)
        fetch(f"{base_url}/")
        abandon_downloads(int(base_url.rsplit(":", 1)[1]), PHOTO)

        assert_every_url_answers(base_url, photo)
        # The same worker answered: it recovered by itself (an edit would replace it, workshop/rollover.py).
        assert children(process.pid) == worker, "the worker was replaced: it did not recover by itself"

        # An edit goes live (the master rolls its workers; with a per-worker watcher, as under
        # `make dev`, it reaches Flask again for every URL).
        edit_data_file(data_dir / "icml2023" / "topics.yaml", ROBUSTNESS, EDITED)
        deadline = time.monotonic() + 15
        while True:
            _status, body = fetch(f"{base_url}/api/v1/topics.json")
            if json.loads(body)["data"]["items"][1]["title"] == EDITED:
                break
            assert time.monotonic() < deadline, "the edit never went live"
            time.sleep(0.2)
        # The old worker serves until the new one is up, and for the moment it takes to stop accepting
        # once retired: a request in that moment may still get the old page. Once it has left, none can.
        while worker & children(process.pid):
            assert time.monotonic() < deadline, "the old worker was never retired"
            time.sleep(0.05)
        bodies = assert_every_url_answers(base_url, photo)
        assert EDITED.encode() in bodies["/"]
