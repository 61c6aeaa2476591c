#!/usr/bin/env python3
"""Measure an edit of a large edition under gunicorn: CPU, time until live, memory, latency meanwhile.

For each size (papers in a generated edition, scripts/generate_edition.py), starts
gunicorn with the project's config (2 workers, access log off) on a free 127.0.0.1
port and has every worker serve the page and the big documents once. Then:

1. a quiet edit (a paper's title in papers.yaml), then the big documents requested
   again on every worker, as visitors would: the CPU time every gunicorn process used
   from the edit until all were idle again (master, workers, and workers that exited
   meanwhile: /proc/<pid>/stat's utime, stime and the master's cutime, cstime); the
   time until every worker served the new content version (20 answers in a row on
   fresh connections); each process's RSS and PSS (/proc/<pid>/smaps_rollup: shared
   pages counted in part) before and after;
2. the edit undone under load: ``--clients`` client threads, each on its own
   kept-alive connection, one request after another (``/api/v1/topics.json``): their
   latency (p50, p99, worst) before the edit and until it was live, and that time.

``--project DIR`` measures another checkout of the project (its gunicorn.conf.py and
code) with this script: how the figures of docs/performance.md compare a change with
the code before it. The machine is shared: run the sizes to compare in one go.

Usage: scripts/bench_reload.py [--papers 300 3000 26000] [--workers 2] [--clients 4] [--project DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from local_servers import CLOCK_TICKS, children, cpu_s, free_port, pss_kb, rss_kb, start_gunicorn, stat_fields, stop

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
from scripts.generate_edition import generate  # noqa: E402 (after the path set-up)

EDITION = "generated"
HEAVY_URLS = ("/", "/api/v1/site.json", "/api/v1/papers.json", f"/api/v1/editions/{EDITION}/site.json")
LOADED_URL = "/api/v1/topics.json"
LIVE_TIMEOUT = 900.0  # seconds


@dataclass
class Latencies:
    """(time, seconds) of every request of the clients, and failures."""

    samples: list[tuple[float, float]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    # Kept-alive connections a retiring worker closed with no answer: the GET sent again, as browsers do.
    retried: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def between(self, start: float, end: float) -> list[float]:
        with self.lock:
            return sorted(seconds for at, seconds in self.samples if start <= at < end)


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    return values[min(len(values) - 1, int(fraction * len(values)))]


def summary_ms(values: list[float]) -> dict[str, Any]:
    def ms(value: float | None) -> float | None:
        return round(value * 1000, 2) if value is not None else None

    return {
        "requests": len(values),
        "p50_ms": ms(percentile(values, 0.5)),
        "p99_ms": ms(percentile(values, 0.99)),
        "max_ms": ms(values[-1] if values else None),
    }


def get(port: int, path: str, connection: http.client.HTTPConnection | None = None) -> tuple[int, bytes]:
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        if own:
            connection.close()


def version(port: int) -> str:
    status, body = get(port, "/api/v1/status.json")
    return json.loads(body)["content_version"] if status == 200 else ""


def client(port: int, latencies: Latencies, stop_event: threading.Event) -> None:
    connection: http.client.HTTPConnection | None = None
    while not stop_event.is_set():
        connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        started = time.monotonic()
        try:
            try:
                status, _ = get(port, LOADED_URL, connection)
            except http.client.RemoteDisconnected:
                latencies.retried += 1
                connection.close()
                status, _ = get(port, LOADED_URL, connection)
            if status != 200:
                latencies.failures.append(f"HTTP {status}")
        except (OSError, http.client.HTTPException) as error:
            latencies.failures.append(f"{type(error).__name__}: {error}")
            connection.close()
            connection = None
            continue
        with latencies.lock:
            latencies.samples.append((started, time.monotonic() - started))


def total_cpu_s(master: int, seen: set[int], last: dict[int, float]) -> float:
    """CPU seconds of the master, its reaped children, and every worker still running (``last``
    keeps each worker's last reading, for those that exit before the master reaps them)."""
    fields = stat_fields(master)
    assert fields is not None, "gunicorn exited"
    total = sum(int(value) for value in fields[11:15]) / CLOCK_TICKS  # utime, stime, cutime, cstime
    workers = children(master)
    seen |= workers
    for pid in workers:
        reading = cpu_s(pid)
        if reading is not None:
            last[pid] = reading
    return total + sum(last[pid] for pid in workers if pid in last)


def memory(master: int) -> dict[str, Any]:
    workers = sorted(children(master))
    return {
        "master": {"rss_kb": rss_kb(master), "pss_kb": pss_kb(master)},
        "workers": [{"pid": pid, "rss_kb": rss_kb(pid), "pss_kb": pss_kb(pid)} for pid in workers],
    }


def wait_live(port: int, old_version: str, master_process: Any) -> str:
    """Wait until 20 answers in a row (fresh connections) name a version other than ``old_version``."""
    deadline = time.monotonic() + LIVE_TIMEOUT
    while time.monotonic() < deadline:
        if master_process.poll() is not None:
            raise SystemExit("gunicorn exited")
        versions = {version(port) for _ in range(20)}
        if len(versions) == 1 and old_version not in versions and "" not in versions:
            return versions.pop()
        time.sleep(0.05)
    raise SystemExit(f"the edit was not live after {LIVE_TIMEOUT} s")


def settle(master: int, seen: set[int], last: dict[int, float], workers: int) -> None:
    """Until the workers are back to their count and no process used CPU for half a second."""
    previous = total_cpu_s(master, seen, last)
    while True:
        time.sleep(0.5)
        now = total_cpu_s(master, seen, last)
        if len(children(master)) == workers and now - previous < 0.05:
            return
        previous = now


def measure(project: Path, data_dir: Path, args: argparse.Namespace, papers: int) -> dict[str, Any]:
    port = free_port()
    env = {
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(args.workers),
        "GUNICORN_ACCESSLOG": "",
        "GUNICORN_CMD_ARGS": f"--chdir {project}",
        "WORKSHOP_DATA_DIR": str(data_dir),
    }
    log_path = data_dir.parent / f"gunicorn-{papers}.log"
    papers_file = data_dir / EDITION / "papers.yaml"
    text = papers_file.read_text(encoding="utf-8")
    process = start_gunicorn(env, log_path, config=project / "gunicorn.conf.py")
    try:
        deadline = time.monotonic() + LIVE_TIMEOUT
        while True:
            try:
                if len(children(process.pid)) == args.workers and version(port):
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        # Every worker serves the big documents once (fresh connections spread over the workers).
        for _ in range(4 * args.workers):
            for url in HEAVY_URLS:
                get(port, url)
        seen: set[int] = set()
        last: dict[int, float] = {}
        settle(process.pid, seen, last, args.workers)
        before_memory = memory(process.pid)

        # 1. A quiet edit: what the reload itself costs (no visitor's request counted).
        old_version = version(port)
        cpu_before = total_cpu_s(process.pid, seen, last)
        edited_at = time.monotonic()
        papers_file.write_text(text.replace("(1)", "(1, edited)", 1), encoding="utf-8")
        new_version = wait_live(port, old_version, process)
        quiet_live_at = time.monotonic()
        # The heavy documents once per worker, as visitors would ask for them.
        for _ in range(4 * args.workers):
            for url in HEAVY_URLS:
                get(port, url)
        settle(process.pid, seen, last, args.workers)
        cpu_after = total_cpu_s(process.pid, seen, last)
        after_memory = memory(process.pid)

        # 2. An edit under load: the clients' latency meanwhile.
        latencies, stop_event = Latencies(), threading.Event()
        threads = [
            threading.Thread(target=client, args=(port, latencies, stop_event), daemon=True)
            for _ in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        time.sleep(args.baseline)
        loaded_at = time.monotonic()
        papers_file.write_text(text, encoding="utf-8")
        wait_live(port, new_version, process)
        loaded_live_at = time.monotonic()
        stop_event.set()
        for thread in threads:
            thread.join(timeout=60)
        return {
            "papers": papers,
            "papers_yaml_bytes": len(text.encode("utf-8")),
            "project": str(project),
            "workers": args.workers,
            "old_version": old_version,
            "new_version": new_version,
            "live_after_s": round(quiet_live_at - edited_at, 2),
            "reload_cpu_s": round(cpu_after - cpu_before, 2),
            "memory_before": before_memory,
            "memory_after": after_memory,
            "live_under_load_after_s": round(loaded_live_at - loaded_at, 2),
            "latency_before": summary_ms(latencies.between(loaded_at - args.baseline, loaded_at)),
            "latency_during_reload": summary_ms(latencies.between(loaded_at, loaded_live_at)),
            "failures": latencies.failures[:20],
            "failure_count": len(latencies.failures),
            "retried": latencies.retried,
        }
    finally:
        stop(process, timeout=30)
        papers_file.write_text(text, encoding="utf-8")  # the next run starts from the same files


def mb(kb: int | None) -> str:
    return f"{kb / 1024:.0f}" if kb is not None else "?"


def render(results: list[dict[str, Any]]) -> str:
    lines = [
        "| Papers | papers.yaml | CPU for the edit (all processes) | Live after (under load) "
        "| Master RSS/PSS (MB) before → after | Each worker RSS/PSS (MB) before → after "
        "| Latency before: p50 / p99 | During the reload: p50 / p99 / worst | Failed (sent again) |",
        "| ---: | ---: | ---: | ---: | --- | --- | --- | --- | ---: |",
    ]
    for result in results:
        before, after = result["memory_before"], result["memory_after"]

        def workers(snapshot: dict[str, Any]) -> str:
            return ", ".join(f"{mb(w['rss_kb'])}/{mb(w['pss_kb'])}" for w in snapshot["workers"])

        base, during = result["latency_before"], result["latency_during_reload"]
        lines.append(
            f"| {result['papers']:,} | {result['papers_yaml_bytes'] / 1e6:.1f} MB | {result['reload_cpu_s']} s "
            f"| {result['live_after_s']} s ({result['live_under_load_after_s']} s) "
            f"| {mb(before['master']['rss_kb'])}/{mb(before['master']['pss_kb'])} → "
            f"{mb(after['master']['rss_kb'])}/{mb(after['master']['pss_kb'])} "
            f"| {workers(before)} → {workers(after)} "
            f"| {base['p50_ms']} / {base['p99_ms']} ms "
            f"| {during['p50_ms']} / {during['p99_ms']} / {during['max_ms']} ms ({during['requests']:,} requests) "
            f"| {result['failure_count']} ({result['retried']}) |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, nargs="+", default=[300, 3000, 26000], help="edition sizes")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--clients", type=int, default=4, help="client threads during the reload (default 4)")
    parser.add_argument("--baseline", type=float, default=3.0, help="seconds of load measured before the edit")
    parser.add_argument("--project", type=Path, default=PROJECT_ROOT, help="the checkout to measure")
    parser.add_argument("--data", type=Path, help="keep the generated editions here (reused when present)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-reload-") as scratch:
        root = args.data or Path(scratch)
        for papers in args.papers:
            data_dir = root / f"papers-{papers}" / "data"
            if not (data_dir / EDITION / "papers.yaml").is_file():
                print(f"Generating an edition of {papers:,} papers...", file=sys.stderr, flush=True)
                generate(data_dir, papers=papers, sessions=100)
            print(f"Measuring {papers:,} papers ({args.project})...", file=sys.stderr, flush=True)
            result = measure(args.project.resolve(), data_dir, args, papers)
            results.append(result)
            print(json.dumps(result), file=sys.stderr, flush=True)
    print(render(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 1 if any(result["failure_count"] for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
