#!/usr/bin/env python3
"""Soak test: gunicorn with the project's config under sustained load, a worker killed, a data file edited.

Starts gunicorn (``gunicorn.conf.py``, at least 3 workers) on a free 127.0.0.1 port
against a private copy of ``data/``, and drives it for ``--duration`` seconds with
client threads (http.client) that mix the page, JSON documents, 304 revalidations
(If-None-Match) and ``status.json``. Like browsers, a client keeps its connection
alive for a while (20 to 80 requests) and then opens a new one, so every worker, the
replacement too, keeps getting new visitors. Every error (a status >= 500 or any
other unexpected status, a connection error) is recorded with its time. At a third
of the run one worker is killed with SIGKILL; at two thirds a data file is edited (a
valid change) and the script records when every client has seen the new content
version. The edit replaces every worker with a fork of the master
(workshop/rollover.py): each worker's RSS (``/proc/<pid>/status`` VmRSS) and CPU
time are read after a warm-up and just before the edit, and the workers serving at
the end (all started after the edit) are reported.

Exits non-zero when:

- any error is not explained by the killed worker: only a connection error in the
  second after the kill, at most one per client (a client has one request in
  flight), is counted as "in flight on the killed worker" and reported apart;
- a client still sees the old content version more than 10 s (``--edit-deadline``) after
  the edit (a hang: the time it took is reported);
- a worker at the end was not started after the edit;
- a worker's RSS grows by more than ``--max-growth-mb`` (default 4 MB) from the
  end of its warm-up to just before the edit (the replacement's warm-up runs from
  when it is first seen to half the run). What may legitimately grow: a worker
  starts the threads that run Flask as it needs them. That growth is a one-off,
  not a per-request cost, and stays well under the limit, which a small
  per-request leak exceeds within a run (figures: docs/performance.md, "Soak test");
- a worker served nothing during its warm-up (no CPU time used): its growth would
  be its warm-up and not a leak, so the run cannot judge memory and says so.

Usage: scripts/soak.py [--duration 60] [--workers 3] [--clients 6] [--max-growth-mb 4] [--edit-deadline 10]
                       [--json REPORT]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from local_servers import children, cpu_s, free_port, rss_kb, start_gunicorn, stop  # beside this script

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
from workshop.content import parse_yaml  # noqa: E402 (the project, from this checkout)

# The edit made at two thirds of the run: the first topic's title of the current edition (a valid change).
EDIT_SUFFIX = " (edited during the soak test)"
# Seconds: a hang, not a speed (the machine may be busy). The time is reported; on the shipped
# data it is about 1-2 s (docs/organizers.md; docs/performance.md). --edit-deadline overrides it.
EDIT_DEADLINE = 10.0
PAGE = "/"
DOCUMENTS = (
    "/api/v1/index.json",
    "/api/v1/site.json",
    "/api/v1/topics.json",
    "/api/v1/dates.json",
    "/api/v1/program.json",
    "/api/v1/speakers.json",
    "/api/v1/committee.json",
)
STATUS = "/api/v1/status.json"
VERSION = re.compile(rb'"content_version":"([0-9a-f]+)"')
Number = TypeVar("Number", int, float)
KILL_WINDOW = 1.0  # seconds after the kill in which a connection error counts as in flight on the killed worker
REQUESTS_PER_CONNECTION = (20, 80)  # a client opens a new connection after this many (drawn at random)
WARM_CPU_S = 0.05  # CPU seconds a worker must have used in its warm-up for its memory to be judged


@dataclass
class Failure:
    at: float  # seconds since the load started
    client: int
    path: str
    what: str


@dataclass
class ClientStats:
    requests: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    # (time, content version) of every response that named one, in order.
    versions: list[tuple[float, str]] = field(default_factory=list)
    # When a kept-alive connection was closed by the server with no answer, and the request retried.
    retries: list[float] = field(default_factory=list)


class Client(threading.Thread):
    """One visitor after another, a new connection every few dozen: the page, documents, revalidations, status."""

    def __init__(self, number: int, port: int, started: float, stop: threading.Event) -> None:
        super().__init__(name=f"client-{number}", daemon=True)
        self.number, self.port, self.started, self.stop = number, port, started, stop
        self.stats = ClientStats()
        self.etags: dict[str, str] = {}
        self.random = random.Random(number)
        self.connection: http.client.HTTPConnection | None = None
        self.requests_left = 0  # on the current connection

    def run(self) -> None:
        while not self.stop.is_set():
            roll = self.random.random()
            if roll < 0.2:
                kind, path, headers = "page", PAGE, {"Accept-Encoding": "gzip"}
            elif roll < 0.55:
                kind, path, headers = "document", self.random.choice(DOCUMENTS), {}
            elif roll < 0.85 and self.etags:
                kind = "revalidation"
                path = self.random.choice(sorted(self.etags))
                headers = {"If-None-Match": self.etags[path]}
            else:
                kind, path, headers = "status", STATUS, {}
            self.request(kind, path, headers)

    def request(self, kind: str, path: str, headers: dict[str, str]) -> None:
        if self.connection is None or self.requests_left == 0:
            if self.connection is not None:
                self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            self.requests_left = self.random.randint(*REQUESTS_PER_CONNECTION)
        reused = self.connection.sock is not None
        self.requests_left -= 1
        self.stats.requests += 1
        self.stats.kinds[kind] += 1
        try:
            try:
                self.connection.request("GET", path, headers=headers)
                response = self.connection.getresponse()
            except http.client.RemoteDisconnected:
                if not reused:
                    raise
                # A server may close a kept-alive connection when it pleases (a worker retiring
                # gracefully closes it after its last answer, which may already have promised to
                # keep it open); browsers then send a GET again on a new connection (RFC 9112, 9.3.1).
                self.stats.retries.append(round(time.monotonic() - self.started, 3))
                self.connection.close()
                self.connection.request("GET", path, headers=headers)
                response = self.connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.fail(path, f"{type(error).__name__}: {error}")
            self.connection.close()
            self.connection = None
            return
        at = time.monotonic() - self.started
        self.stats.statuses[response.status] += 1
        if response.status not in (200, 304):
            self.fail(path, f"HTTP {response.status}")
            return
        etag = response.getheader("ETag")
        if response.status == 200 and etag and path != STATUS:
            self.etags[path] = etag
        if response.status == 200 and path != PAGE:
            match = VERSION.search(body[:400])
            if match is None:
                self.fail(path, "no content_version in the body")
            else:
                self.stats.versions.append((at, match.group(1).decode()))
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()

    def fail(self, path: str, what: str) -> None:
        self.stats.failures.append(Failure(round(time.monotonic() - self.started, 3), self.number, path, what))


def switch_time(versions: list[tuple[float, str]], old: str, edited_at: float) -> float | None:
    """Seconds from the edit to the first response after which this client never saw ``old`` again."""
    last_old = max((at for at, version in versions if version == old), default=None)
    after = [at for at, version in versions if version != old and (last_old is None or at > last_old)]
    if not after:
        return None
    return max(0.0, min(after) - edited_at)


@dataclass
class Settings:
    duration: float
    workers: int
    clients: int
    max_growth_mb: float
    edit_deadline: float = EDIT_DEADLINE


@dataclass
class Timeline:
    """What happened during the run, in seconds since the load started."""

    threads: list[Client]
    victim: int
    killed_at: float
    edited_at: float
    ended: float
    old_version: str
    new_version: str
    replacement: int | None = None
    respawned_at: float | None = None
    idle_rss: dict[int, int | None] = field(default_factory=dict)
    warm_rss: dict[int, int | None] = field(default_factory=dict)
    # Just before the edit: the edit replaces every worker (workshop/rollover.py).
    end_rss: dict[int, int | None] = field(default_factory=dict)
    # The workers serving at the end: forked by the master after the edit.
    rolled_in_rss: dict[int, int | None] = field(default_factory=dict)
    # CPU seconds each worker used in its warm-up (from idle, or from when the replacement was seen).
    warm_cpu: dict[int, float | None] = field(default_factory=dict)


def soak(settings: Settings) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="soak-") as scratch:
        data_dir = Path(scratch) / "data"
        shutil.copytree(PROJECT_ROOT / "data", data_dir)
        port = free_port()
        env = {
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(settings.workers),
            "GUNICORN_ACCESSLOG": "/dev/null",
            "WORKSHOP_DATA_DIR": str(data_dir),
        }
        log_path = Path(scratch) / "gunicorn.log"
        master = start_gunicorn(env, log_path)
        try:
            wait_for_workers(master, port, settings.workers)
            timeline = drive(master.pid, port, settings, data_dir)
            report = summarize(settings, timeline)
        finally:
            stop(master, timeout=20)
        if report["problems"]:
            report["log_tail"] = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-20:]
        return report


def wait_for_workers(master: subprocess.Popen[bytes], port: int, workers: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if master.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", STATUS)
            ready = connection.getresponse().status == 200
            connection.close()
        except OSError:
            ready = False
        if ready and len(children(master.pid)) == workers:
            return
        time.sleep(0.1)
    raise SystemExit("gunicorn did not start its workers in 30 s")


def drive(master: int, port: int, settings: Settings, data_dir: Path) -> Timeline:
    """The load, with a worker killed at 1/3 and a data file edited at 2/3 of the run."""
    duration = settings.duration
    original = sorted(children(master))
    idle_rss = {pid: rss_kb(pid) for pid in original}
    idle_cpu = {pid: cpu_s(pid) for pid in original}
    stop = threading.Event()
    started = time.monotonic()
    threads = [Client(number, port, started, stop) for number in range(settings.clients)]
    for thread in threads:
        thread.start()

    def sleep_until(second: float) -> None:
        time.sleep(max(0.0, started + second - time.monotonic()))

    # Warm-up: every worker has built and kept what it serves before memory is measured.
    sleep_until(min(5.0, duration / 6))
    warm_rss = {pid: rss_kb(pid) for pid in children(master)}
    warm_cpu = {pid: difference(cpu_s(pid), idle_cpu.get(pid)) for pid in warm_rss}

    sleep_until(duration / 3)
    victim = original[0]
    killed_at = time.monotonic() - started
    os.kill(victim, signal.SIGKILL)
    replacement, respawned_at = None, None
    while replacement is None and time.monotonic() - started < duration / 2:
        current = children(master) - {victim}
        if len(current) == settings.workers and current - set(original):
            replacement = (current - set(original)).pop()
            respawned_at = time.monotonic() - started
            idle_rss[replacement], idle_cpu[replacement] = rss_kb(replacement), cpu_s(replacement)
        time.sleep(0.02)

    sleep_until(duration / 2)
    if replacement is not None:  # its own warm-up: the time since it was first seen
        warm_rss[replacement] = rss_kb(replacement)
        warm_cpu[replacement] = difference(cpu_s(replacement), idle_cpu.get(replacement))
    sleep_until(2 * duration / 3 - 0.2)
    old_version = status_version(port)
    end_rss = {pid: rss_kb(pid) for pid in children(master)}
    sleep_until(2 * duration / 3)
    edit_data(data_dir)
    edited_at = time.monotonic() - started

    sleep_until(duration)
    rolled_in_rss = {pid: rss_kb(pid) for pid in children(master) - set(end_rss)}
    stop.set()
    for thread in threads:
        thread.join(timeout=15)
    return Timeline(
        threads=threads,
        victim=victim,
        killed_at=killed_at,
        edited_at=edited_at,
        ended=time.monotonic() - started,
        old_version=old_version,
        new_version=status_version(port),
        replacement=replacement,
        respawned_at=respawned_at,
        idle_rss=idle_rss,
        warm_rss=warm_rss,
        end_rss=end_rss,
        rolled_in_rss=rolled_in_rss,
        warm_cpu=warm_cpu,
    )


def difference(now: Number | None, before: Number | None) -> Number | None:
    """``now - before``, or None when either reading is missing (the process had ended)."""
    return now - before if now is not None and before is not None else None


def edit_data(data_dir: Path) -> None:
    """A valid edit, as an organizer would make it: a topic's title changes."""
    current = parse_yaml((data_dir / "editions.yaml").read_text(encoding="utf-8")).data["current"]
    topics = data_dir / current / "topics.yaml"
    data = parse_yaml(topics.read_text(encoding="utf-8")).data
    data["items"][0]["title"] += EDIT_SUFFIX
    topics.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6), encoding="utf-8")


def classify(failures: list[Failure], killed_at: float) -> tuple[list[Failure], list[Failure]]:
    """(in flight on the killed worker, every other error): a connection error within
    KILL_WINDOW of the kill, at most one per client, is the former."""
    in_flight: list[Failure] = []
    errors: list[Failure] = []
    for failure in sorted(failures, key=lambda f: f.at):
        connection_error = not failure.what.startswith("HTTP ")
        in_window = killed_at <= failure.at <= killed_at + KILL_WINDOW
        if connection_error and in_window and all(other.client != failure.client for other in in_flight):
            in_flight.append(failure)
        else:
            errors.append(failure)
    return in_flight, errors


def unexplained_retries(retries: list[float], timeline: Timeline) -> list[float]:
    """A client's retries beyond one when the worker was killed and one when the edit retired the workers."""
    windows = [
        (timeline.killed_at, timeline.killed_at + KILL_WINDOW),
        (timeline.edited_at, timeline.edited_at + EDIT_DEADLINE),
    ]
    used: set[tuple[float, float]] = set()
    unexplained = []
    for at in retries:
        window = next((w for w in windows if w[0] <= at <= w[1] and w not in used), None)
        if window is None:
            unexplained.append(at)
        else:
            used.add(window)
    return unexplained


def memory_rows(timeline: Timeline) -> list[dict[str, Any]]:
    rows = []
    for pid in sorted(set(timeline.warm_rss) | set(timeline.end_rss)):
        before, after = timeline.warm_rss.get(pid), timeline.end_rss.get(pid)
        role = "killed" if pid == timeline.victim else "replacement" if pid == timeline.replacement else "worker"
        rows.append(
            {
                "pid": pid,
                "role": role,
                "idle_kb": timeline.idle_rss.get(pid),
                "before_kb": before,
                "after_kb": after,
                "growth_kb": difference(after, before),
                "warm_up_cpu_s": round(cpu, 3) if (cpu := timeline.warm_cpu.get(pid)) is not None else None,
            }
        )
    for pid, rss in sorted(timeline.rolled_in_rss.items()):
        # Forked after the edit: reported, not judged (they had no warm-up of their own).
        rows.append(
            {
                "pid": pid,
                "role": "rolled-in",
                "idle_kb": None,
                "before_kb": None,
                "after_kb": rss,
                "growth_kb": None,
                "warm_up_cpu_s": None,
            }
        )
    return rows


def summarize(settings: Settings, timeline: Timeline) -> dict[str, Any]:
    threads = timeline.threads
    in_flight, errors = classify([f for thread in threads for f in thread.stats.failures], timeline.killed_at)
    retries = [{"client": thread.number, "at": at} for thread in threads for at in thread.stats.retries]
    unexplained = [at for thread in threads for at in unexplained_retries(thread.stats.retries, timeline)]
    switches = [switch_time(thread.stats.versions, timeline.old_version, timeline.edited_at) for thread in threads]
    seen_by_all = max(switches) if switches and None not in switches else None  # type: ignore[type-var]
    memory = memory_rows(timeline)
    # Every worker alive at the end is judged, the replacement too (its warm-up ran from when
    # it was first seen). Growth after a warm-up in which a worker served nothing would be that worker's
    # warm-up, not a leak, so such a run cannot judge memory and says so instead.
    survivors = [row for row in memory if row["role"] in ("worker", "replacement")]
    max_growth_kb = max((row["growth_kb"] for row in survivors if row["growth_kb"] is not None), default=0)
    cold = [row["pid"] for row in survivors if (row["warm_up_cpu_s"] or 0) < WARM_CPU_S]
    problems = []
    if errors:
        problems.append(f"{len(errors)} error(s) beyond the killed worker's in-flight requests")
    if unexplained:
        problems.append(f"kept-alive connections closed with no answer at {unexplained} s (not a kill or an edit)")
    if seen_by_all is None or seen_by_all > settings.edit_deadline:
        problems.append(f"the edit was not served to every client within {settings.edit_deadline} s")
    if timeline.new_version == timeline.old_version:
        problems.append("the content version did not change after the edit")
    if timeline.replacement is None:
        problems.append("gunicorn did not replace the killed worker")
    if len(timeline.rolled_in_rss) != settings.workers:
        problems.append(
            f"{len(timeline.rolled_in_rss)} of the {settings.workers} workers at the end were started after the edit"
        )
    if max_growth_kb > settings.max_growth_mb * 1024:
        problems.append(f"a worker's memory grew by {max_growth_kb / 1024:.1f} MB (limit {settings.max_growth_mb} MB)")
    if cold:
        problems.append(f"worker(s) {cold} served nothing during the warm-up, so their memory cannot be judged")
    requests = sum(thread.stats.requests for thread in threads)
    kinds: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    for thread in threads:
        kinds.update(thread.stats.kinds)
        statuses.update(thread.stats.statuses)
    replaced_after = timeline.respawned_at - timeline.killed_at if timeline.respawned_at is not None else None
    return {
        "duration_s": round(timeline.ended, 2),
        "workers": settings.workers,
        "clients": settings.clients,
        "requests": requests,
        "requests_per_s": round(requests / timeline.ended, 1),
        "kinds": dict(kinds),
        "statuses": {str(status): count for status, count in sorted(statuses.items())},
        "errors": [asdict(failure) for failure in errors],
        "retries": retries,
        "killed_worker": {
            "pid": timeline.victim,
            "killed_at_s": round(timeline.killed_at, 3),
            "replacement_pid": timeline.replacement,
            "replaced_after_s": round(replaced_after, 3) if replaced_after is not None else None,
            "in_flight_errors": [asdict(failure) for failure in in_flight],
        },
        "edit": {
            "edited_at_s": round(timeline.edited_at, 3),
            "old_version": timeline.old_version,
            "new_version": timeline.new_version,
            "seen_by_every_client_after_s": round(seen_by_all, 3) if seen_by_all is not None else None,
            "per_client_s": [round(s, 3) if s is not None else None for s in switches],
        },
        "memory": memory,
        "max_growth_kb": max_growth_kb,
        "max_growth_limit_kb": int(settings.max_growth_mb * 1024),
        "edit_deadline_s": settings.edit_deadline,
        "problems": problems,
        "log_tail": [],
    }


def status_version(port: int) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", STATUS)
        return json.loads(connection.getresponse().read())["content_version"]
    finally:
        connection.close()


def print_report(report: dict[str, Any]) -> None:
    print(
        f"Soak: {report['duration_s']} s, {report['workers']} workers, {report['clients']} clients: "
        f"{report['requests']} requests ({report['requests_per_s']}/s)"
    )
    print(f"  mix: {report['kinds']}; statuses: {report['statuses']}")
    killed = report["killed_worker"]
    print(
        f"  worker {killed['pid']} killed (SIGKILL) at {killed['killed_at_s']} s; replaced by "
        f"{killed['replacement_pid']} after {killed['replaced_after_s']} s; "
        f"{len(killed['in_flight_errors'])} request(s) in flight on it failed"
    )
    for failure in killed["in_flight_errors"]:
        print(f"    in flight: {failure['at']} s client {failure['client']} {failure['path']}: {failure['what']}")
    print(f"  errors beyond those: {len(report['errors'])}")
    retried = [f"{retry['at']} s (client {retry['client']})" for retry in report["retries"]]
    print(f"  kept-alive connections closed with no answer, request sent again: {', '.join(retried) or 'none'}")
    for failure in report["errors"][:20]:
        print(f"    {failure['at']} s client {failure['client']} {failure['path']}: {failure['what']}")
    edit = report["edit"]
    print(
        f"  edit at {edit['edited_at_s']} s: content version {edit['old_version']} -> {edit['new_version']}, "
        f"seen by every client after {edit['seen_by_every_client_after_s']} s (limit {report['edit_deadline_s']} s)"
    )
    print("  memory (VmRSS, kB): pid role idle -> after warm-up -> end (growth), CPU used in the warm-up")
    for row in report["memory"]:
        growth = f" ({row['growth_kb']:+d})" if row["growth_kb"] is not None else ""
        print(
            f"    {row['pid']} {row['role']}: {row['idle_kb']} -> {row['before_kb']} -> {row['after_kb']}{growth}, "
            f"{row['warm_up_cpu_s']} s CPU"
        )
    print(f"  largest growth: {report['max_growth_kb']} kB (limit {report['max_growth_limit_kb']} kB)")
    if report["problems"]:
        print("FAILED: " + "; ".join(report["problems"]))
        for line in report["log_tail"]:
            print(f"  | {line}")
    else:
        print("Soak passed.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers, at least 3 (default 3)")
    parser.add_argument("--clients", type=int, default=6, help="client threads (default 6)")
    parser.add_argument("--max-growth-mb", type=float, default=4.0, help="RSS growth allowed per worker")
    parser.add_argument(
        "--edit-deadline", type=float, default=EDIT_DEADLINE, help="seconds every client may take to see an edit"
    )
    parser.add_argument("--json", type=Path, help="also write the report as JSON to this file")
    args = parser.parse_args()
    if args.workers < 3:
        parser.error("--workers must be at least 3")
    if args.duration < 9:
        parser.error("--duration must be at least 9 s (kill at 1/3, edit at 2/3, 2 s to serve it)")
    report = soak(Settings(args.duration, args.workers, args.clients, args.max_growth_mb, args.edit_deadline))
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 1 if report["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
