"""Connections that never finish a request: closed after the header timeout, and never
more of them than the file limit allows (workshop/gunicorn_worker.py)."""

from __future__ import annotations

import http.client
import shutil
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from scripts.local_servers import free_port, start_gunicorn, stop
from tests.conftest import PROJECT_ROOT, edit_data_file
from tests.test_server import refused_start, wait_until_serving

TOPICS = "/api/v1/topics.json"


@contextmanager
def gunicorn(env: dict[str, str], log_path: Path, file_limit: int | None = None) -> Iterator[int]:
    port = free_port()
    environment = {"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2", **env}
    process = start_gunicorn(environment, log_path, file_limit=file_limit)
    try:
        wait_until_serving(f"http://127.0.0.1:{port}{TOPICS}", process)
        yield port
    finally:
        stop(process)


def get(port: int, path: str = TOPICS) -> tuple[int, bytes]:
    """One request on a connection of its own, as a new visitor makes it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def closed_by_server(connection: socket.socket) -> bool:
    """True when the server closed the connection, False if it still holds it."""
    try:
        return connection.recv(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_a_connection_without_a_complete_request_is_closed_after_the_header_timeout(tmp_path: Path) -> None:
    with gunicorn({"WORKSHOP_HEADER_TIMEOUT": "2"}, tmp_path / "gunicorn.log") as port, ExitStack() as stack:
        silent = stack.enter_context(socket.create_connection(("127.0.0.1", port)))
        partial = stack.enter_context(socket.create_connection(("127.0.0.1", port)))
        partial.sendall(b"GET /api/v1/topics.json HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        opened_at = time.monotonic()
        # Meanwhile the site serves everyone else.
        for _ in range(10):
            assert get(port)[0] == 200
        for connection in (silent, partial):
            # Generous: 2 s is the timeout; a server that holds it fails after 30 s.
            connection.settimeout(max(30 - (time.monotonic() - opened_at), 1))
            assert closed_by_server(connection), "the server still holds a connection that sent no request"
        assert get(port)[0] == 200


def test_more_idle_connections_than_the_file_limit_leave_the_site_serving(tmp_path: Path) -> None:
    # systemd's default file limit is 1,024; 256 here, with more connections that send
    # nothing than one process could hold. The header timeout is long, so it is the cap
    # that keeps files free for visitors, the logs and the content watcher.
    data_dir = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data", data_dir)
    log_path = tmp_path / "gunicorn.log"
    env = {"WORKSHOP_HEADER_TIMEOUT": "120", "WORKSHOP_DATA_DIR": str(data_dir)}
    with gunicorn(env, log_path, file_limit=256) as port, ExitStack() as stack:
        for _ in range(600):
            stack.enter_context(socket.create_connection(("127.0.0.1", port)))
        failures = []
        for _ in range(20):
            try:
                status, _body = get(port)
                if status != 200:
                    failures.append(status)
            except OSError as error:
                failures.append(repr(error))
        assert failures == []

        topics = data_dir / "icml2023" / "topics.yaml"
        edit_data_file(topics, "covariate shifts", "distribution shifts")
        deadline = time.monotonic() + 15
        while b"distribution shifts" not in get(port)[1] or b"distribution shifts" not in get(port)[1]:
            assert time.monotonic() < deadline, "the edit did not go live"
            time.sleep(0.2)
    assert "Too many open files" not in log_path.read_text(encoding="utf-8")


def test_a_header_timeout_that_is_not_a_number_stops_start_up_with_the_reason(tmp_path: Path) -> None:
    output = refused_start({"GUNICORN_WORKERS": "1", "WORKSHOP_HEADER_TIMEOUT": "ten"}, tmp_path / "gunicorn.log")
    assert "WORKSHOP_HEADER_TIMEOUT must be a number of seconds above 0, not 'ten'." in output
