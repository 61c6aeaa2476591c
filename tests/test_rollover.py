"""Edits under gunicorn: the master loads each edit once and replaces its workers (workshop/rollover.py).

Real gunicorn with the project's config, on a private copy of the data. Time bounds
here are generous (a hang, not a speed): figures are in docs/performance.md
(scripts/bench_reload.py).
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from scripts.generate_edition import generate
from scripts.local_servers import children, free_port, start_gunicorn, stop
from tests.conftest import PROJECT_ROOT

TOPICS = Path("icml2023") / "topics.yaml"
OLD_TITLE = "Robustness to covariate shifts and model misspecification"
NEW_TITLE = "Robustness to distribution shifts and model misspecification"
PATIENCE = 30.0  # seconds: far beyond what an edit takes to go live, short of a hang

# The project's gunicorn.conf.py, plus a record of every content load: the pid of the process that loaded.
COUNTING_CONFIG = """
import os
import sys

sys.path.insert(0, {root!r})
exec(compile(open({config!r}, encoding="utf-8").read(), {config!r}, "exec"))

import workshop.store

_load_content = workshop.store.load_content


def _counted_load(data_dir):
    with open({counter!r}, "a", encoding="utf-8") as counter:
        counter.write(f"{{os.getpid()}}\\n")
    return _load_content(data_dir)


workshop.store.load_content = _counted_load
"""


class Server:
    def __init__(self, process: subprocess.Popen[bytes], port: int, log_path: Path) -> None:
        self.process, self.port, self.log_path = process, port, log_path

    def get(self, path: str) -> tuple[int, bytes]:
        """One request on a connection of its own, so that requests spread over the workers."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=PATIENCE)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def json(self, path: str) -> dict:
        status, body = self.get(path)
        assert status == 200, (path, status, body[:300])
        return json.loads(body)

    def every_answer(self, path: str, check: Callable[[dict], bool], what: str, requests: int = 30) -> None:
        """Wait until ``requests`` answers in a row pass ``check`` (every worker answers some of them)."""
        deadline = time.monotonic() + PATIENCE
        while not all(check(self.json(path)) for _ in range(requests)):
            assert self.process.poll() is None, "gunicorn exited"
            assert time.monotonic() < deadline, f"not every worker {what} after {PATIENCE} s:\n{self.log()}"
            time.sleep(0.05)

    def workers(self) -> set[int]:
        return children(self.process.pid)

    def settled_workers(self, count: int) -> set[int]:
        """The workers, once the old ones of a rollover have left."""
        deadline = time.monotonic() + PATIENCE
        while len(workers := self.workers()) != count:
            assert time.monotonic() < deadline, f"{len(workers)} workers, not {count}:\n{self.log()}"
            time.sleep(0.05)
        return workers

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]


@contextmanager
def gunicorn(tmp_path: Path, data_dir: Path, workers: int, config: Path | None = None) -> Iterator[Server]:
    port = free_port()
    env = {
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "WORKSHOP_DATA_DIR": str(data_dir),
        "GUNICORN_ACCESSLOG": "",
    }
    log_path = tmp_path / "gunicorn.log"
    process = start_gunicorn(env, log_path, config=config) if config else start_gunicorn(env, log_path)
    server = Server(process, port, log_path)
    try:
        deadline = time.monotonic() + 120
        while len(server.workers()) < workers or not _answers(server):
            assert process.poll() is None, f"gunicorn exited:\n{server.log()}"
            assert time.monotonic() < deadline, f"gunicorn did not start:\n{server.log()}"
            time.sleep(0.1)
        yield server
    finally:
        stop(process)


def _answers(server: Server) -> bool:
    try:
        return server.get("/api/v1/status.json")[0] == 200
    except OSError:
        return False


def edit_topics(data_dir: Path, old: str, new: str) -> None:
    path = data_dir / TOPICS
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def topic_title(document: dict) -> str:
    return document["data"]["items"][1]["title"]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data", target)
    return target


def test_an_edit_is_loaded_once_by_the_master_not_by_each_worker(tmp_path: Path, data_dir: Path) -> None:
    counter = tmp_path / "loads.txt"
    config = tmp_path / "counting.conf.py"
    project_config = PROJECT_ROOT / "gunicorn.conf.py"
    config.write_text(
        COUNTING_CONFIG.format(root=str(PROJECT_ROOT), config=str(project_config), counter=str(counter)),
        encoding="utf-8",
    )
    with gunicorn(tmp_path, data_dir, workers=3, config=config) as server:
        assert counter.read_text().split() == [str(server.process.pid)]  # at start-up, in the master
        edit_topics(data_dir, "covariate shifts", "distribution shifts")
        server.every_answer("/api/v1/topics.json", lambda doc: topic_title(doc) == NEW_TITLE, "serves the edit")
        time.sleep(2)  # time enough for any worker to load it too
        loads = counter.read_text().split()
        assert loads == [str(server.process.pid)] * 2, f"loads by pid {loads}; the master is {server.process.pid}"


def test_a_broken_edit_is_reported_by_every_worker_and_the_next_valid_one_goes_live(
    tmp_path: Path, data_dir: Path
) -> None:
    with gunicorn(tmp_path, data_dir, workers=3) as server:
        version = server.json("/api/v1/status.json")["content_version"]
        edit_topics(data_dir, "  - id: robustness", "  - idd: robustness")

        def reports_the_problem(status: dict) -> bool:
            return status["stale"] and any(p["field"] == "items[1].idd" for p in status["problems"])

        server.every_answer("/api/v1/status.json", reports_the_problem, "reports the broken file")
        assert {server.json("/api/v1/status.json")["content_version"] for _ in range(10)} == {version}
        assert {topic_title(server.json("/api/v1/topics.json")) for _ in range(10)} == {OLD_TITLE}

        edit_topics(data_dir, "  - idd: robustness", "  - id: robustness")
        edit_topics(data_dir, "covariate shifts", "distribution shifts")
        server.every_answer("/api/v1/topics.json", lambda doc: topic_title(doc) == NEW_TITLE, "serves the fix")
        server.every_answer("/api/v1/status.json", lambda status: not status["stale"], "reports current content")


@pytest.mark.parametrize("how", ["killed", "max-requests"])
def test_a_worker_started_after_edits_serves_the_current_content_and_status(
    tmp_path: Path, data_dir: Path, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It used to start from the master's start-up content, and serve that until its own watcher
    # had seen the files change twice.
    if how == "max-requests":
        monkeypatch.setenv("GUNICORN_CMD_ARGS", "--max-requests 10")
    with gunicorn(tmp_path, data_dir, workers=1) as server:
        edit_topics(data_dir, "covariate shifts", "distribution shifts")
        server.every_answer("/api/v1/topics.json", lambda doc: topic_title(doc) == NEW_TITLE, "serves the edit")
        (data_dir / "icml2023" / "posters.yaml").unlink()
        server.every_answer("/api/v1/status.json", lambda status: status["stale"], "reports the broken edit")
        (first,) = server.settled_workers(1)
        if how == "killed":
            os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + PATIENCE
        # Every answer, the replacement's first ones included (it is the only worker), is the current state.
        while first in server.workers() or not server.workers():
            if how == "max-requests":
                assert server.json("/api/v1/status.json")["stale"] is True
            assert time.monotonic() < deadline, f"the worker was not replaced:\n{server.log()}"
            time.sleep(0.01 if how == "killed" else 0)
        for _ in range(20):
            assert topic_title(server.json("/api/v1/topics.json")) == NEW_TITLE
            status = server.json("/api/v1/status.json")
            assert status["stale"] is True
            assert any(p["file"] == "icml2023/posters.yaml" for p in status["problems"])


def test_requests_are_answered_while_a_large_edition_reloads(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    generate(data_dir, papers=3000, sessions=100)
    with gunicorn(tmp_path, data_dir, workers=2) as server:
        version = server.json("/api/v1/status.json")["content_version"]
        papers = data_dir / "generated" / "papers.yaml"
        stop_event = threading.Event()
        failures: list[str] = []
        slowest = [0.0]

        def visitor() -> None:
            while not stop_event.is_set():
                started = time.monotonic()
                try:
                    status, _ = server.get("/api/v1/topics.json")
                    if status != 200:
                        failures.append(f"HTTP {status}")
                except OSError as error:
                    failures.append(f"{type(error).__name__}: {error}")
                slowest[0] = max(slowest[0], time.monotonic() - started)

        visitors = [threading.Thread(target=visitor, daemon=True) for _ in range(4)]
        for thread in visitors:
            thread.start()
        try:
            time.sleep(1)
            papers.write_text(papers.read_text(encoding="utf-8").replace("(1)", "(one)", 1), encoding="utf-8")
            deadline = time.monotonic() + 300
            while server.json("/api/v1/status.json")["content_version"] == version:
                assert time.monotonic() < deadline, f"the edit did not go live:\n{server.log()}"
                time.sleep(0.2)
            time.sleep(2)  # the old workers retire meanwhile
        finally:
            stop_event.set()
            for thread in visitors:
                thread.join(timeout=PATIENCE)
        assert failures == []
        assert slowest[0] < 10, f"a request waited {slowest[0]:.1f} s"
