"""The access log: combined log format or JSON lines, 499 for a client that left, and no
line lost when the server stops (workshop/accesslog.py, under gunicorn)."""

from __future__ import annotations

import http.client
import json
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from scripts.local_servers import free_port, start_gunicorn, stop
from tests.test_server import refused_start, wait_until_serving

TOPICS = "/api/v1/topics.json"
# Apache's combined log format, %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i":
# quoted fields escape " and \ with a backslash; %b is "-" when no body was sent.
QUOTED = r'"((?:[^"\\]|\\.)*)"'
COMBINED = re.compile(
    r"^(\S+) (\S+) (\S+) \[(\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4})\] "
    + QUOTED
    + r" (\d{3}) (\d+|-) "
    + QUOTED
    + " "
    + QUOTED
    + "$"
)
REFERER = 'https://example.org/a "quoted" \\ page'
AGENT = 'Tester/1.0 ("quotes" and \\ backslash; caf\xe9)'


@contextmanager
def gunicorn(
    env: dict[str, str], tmp_path: Path, app: str | None = None
) -> Iterator[tuple[int, Path, subprocess.Popen[bytes]]]:
    """gunicorn writing its access log to a file, as production does; stopped gracefully."""
    port = free_port()
    access_log = tmp_path / "access.log"
    environment = {
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_ACCESSLOG": str(access_log),
        **env,
    }
    process = start_gunicorn(environment, tmp_path / "gunicorn.log", app=app)
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/", process)
        yield port, access_log, process
    finally:
        stop(process)
    assert process.returncode == 0, (tmp_path / "gunicorn.log").read_text(encoding="utf-8")


def unescape(field: str) -> str:
    return re.sub(r"\\(x[0-9a-f]{2}|.)", lambda m: chr(int(m[1][1:], 16)) if len(m[1]) == 3 else m[1], field)


def visit(port: int) -> dict[str, bytes]:
    """A GET with Referer and User-Agent, a revalidation (304), a HEAD and a 404."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", TOPICS, headers={"Referer": REFERER, "User-Agent": AGENT.encode("latin-1")})
        response = connection.getresponse()
        body = response.read()
        etag = response.headers["ETag"]
        connection.request("GET", TOPICS, headers={"If-None-Match": etag})
        connection.getresponse().read()
        connection.request("HEAD", TOPICS)
        connection.getresponse().read()
        connection.request("GET", "/api/v1/no-such.json?x=1")
        missing = connection.getresponse().read()
    finally:
        connection.close()
    return {"body": body, "missing": missing}


def test_access_log_lines_are_in_the_combined_log_format(tmp_path: Path) -> None:
    started = datetime.now().astimezone() - timedelta(seconds=1)
    with gunicorn({}, tmp_path) as (port, access_log, _process):
        sizes = visit(port)
    lines = access_log.read_text(encoding="utf-8").splitlines()
    parsed = [COMBINED.match(line) for line in lines]
    assert all(parsed), [line for line, match in zip(lines, parsed, strict=True) if not match]
    ours = [m for m in parsed if m is not None and (TOPICS in m[5] or "no-such" in m[5])]
    # In the order the responses ended (the first went to Flask, in a thread).
    assert sorted((m[5], m[6], m[7]) for m in ours) == sorted(
        [
            (f"GET {TOPICS} HTTP/1.1", "200", str(len(sizes["body"]))),
            (f"GET {TOPICS} HTTP/1.1", "304", "-"),
            (f"HEAD {TOPICS} HTTP/1.1", "200", "-"),
            ("GET /api/v1/no-such.json?x=1 HTTP/1.1", "404", str(len(sizes["missing"]))),
        ]
    )
    (first,) = (m for m in ours if m[6] == "200" and m[5].startswith("GET"))
    assert first[1] == "127.0.0.1" and first[2] == "-" and first[3] == "-"
    assert unescape(first[8]) == REFERER
    assert unescape(first[9]) == AGENT
    logged_at = datetime.strptime(first[4], "%d/%b/%Y:%H:%M:%S %z")
    assert started <= logged_at <= datetime.now().astimezone() + timedelta(seconds=1)


def test_access_log_lines_are_json_when_configured(tmp_path: Path) -> None:
    with gunicorn({"GUNICORN_ACCESS_LOG_FORMAT": "json"}, tmp_path) as (port, access_log, _process):
        sizes = visit(port)
    records = [json.loads(line) for line in access_log.read_text(encoding="utf-8").splitlines()]
    ours = [r for r in records if r["uri"] in (TOPICS, "/api/v1/no-such.json?x=1")]
    assert sorted((r["method"], r["uri"], r["protocol"], r["status"], r["bytes"]) for r in ours) == sorted(
        [
            ("GET", TOPICS, "HTTP/1.1", 200, len(sizes["body"])),
            ("GET", TOPICS, "HTTP/1.1", 304, 0),
            ("HEAD", TOPICS, "HTTP/1.1", 200, 0),
            ("GET", "/api/v1/no-such.json?x=1", "HTTP/1.1", 404, len(sizes["missing"])),
        ]
    )
    (first,) = (r for r in ours if r["status"] == 200 and r["method"] == "GET")
    assert first["remote_addr"] == "127.0.0.1"
    assert first["referer"] == REFERER
    assert first["user_agent"] == AGENT
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] >= 0
    assert datetime.fromisoformat(first["time"]).tzinfo is not None


def test_a_client_that_left_before_its_response_is_logged_499(tmp_path: Path) -> None:
    with gunicorn({}, tmp_path, app="tests.fixtures.slow_asgi:app") as (port, access_log, _process):
        with socket.create_connection(("127.0.0.1", port)) as client:
            client.sendall(b"GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            time.sleep(0.5)  # the app is answering (in 3 s) when the client leaves
        # Logged once the worker sees the client gone: at once, with room for a busy machine.
        deadline = time.monotonic() + 10
        while True:
            lines = access_log.read_text(encoding="utf-8").splitlines()
            slow = [line for line in lines if '"GET /slow HTTP/1.1"' in line]
            if slow or time.monotonic() > deadline:
                break
            time.sleep(0.1)
    assert len(slow) == 1, lines
    assert COMBINED.match(slow[0])[6] == "499"  # type: ignore[index]


def requests_until_refused(port: int) -> int:
    """Requests on kept-alive connections until the server stops; how many it answered."""
    answered = 0
    while True:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            while True:
                connection.request("GET", f"{TOPICS}?n={answered}")
                response = connection.getresponse()
                response.read()
                assert response.status == 200
                answered += 1
                if response.will_close:
                    break
        except (OSError, http.client.HTTPException):
            return answered
        finally:
            connection.close()


def test_no_access_log_line_is_lost_when_the_server_stops(tmp_path: Path) -> None:
    # Lines are written every 60 s here: those of the last minute are written at exit.
    env = {"WORKSHOP_ACCESS_LOG_FLUSH_INTERVAL": "60"}
    with gunicorn(env, tmp_path) as (port, access_log, process), ThreadPoolExecutor(1) as pool:
        client = pool.submit(requests_until_refused, port)
        time.sleep(1)
        # Stopped while requests come: the last lines are still queued for the writer.
        process.terminate()
        answered = client.result(timeout=30)
    logged = [line for line in access_log.read_text(encoding="utf-8").splitlines() if f"GET {TOPICS}?n=" in line]
    assert answered > 0
    assert len(logged) == answered


def test_an_unknown_access_log_format_stops_start_up_with_the_choices(tmp_path: Path) -> None:
    output = refused_start({"GUNICORN_ACCESS_LOG_FORMAT": "xml"}, tmp_path / "gunicorn.log")
    assert "access_log_format (GUNICORN_ACCESS_LOG_FORMAT) must be one of combined, json, not 'xml'." in output
