#!/usr/bin/env python3
"""Benchmark the app against the machine's ceiling: nginx serving the static export of the same site.

Exports the site into a temporary folder, serves it with nginx (its own minimal
config, one worker per core) and the app with gunicorn under the project's own
gunicorn.conf.py, each on a free 127.0.0.1 port, then drives both with wrk on
loopback, runs interleaved (app, nginx, app, nginx, ...) and repeated, for a JSON
document, the 304 path (If-None-Match with each server's own current ETag) and the
page. The app runs as production does, its access log written to a file (nginx, the
ceiling, logs nothing; --no-access-log turns the app's off too). Prints a Markdown
table: requests/s (median of rounds), p50 and p99 latency, non-2xx/3xx responses,
socket errors, and app/nginx requests/s measured in the same round (median of the
rounds' ratios). Then the page weight: the HTML of / with every
stylesheet and module script it loads (ES module imports followed), uncompressed
and gzipped as the app sends them.

--scale generates a large edition (scripts/generate_edition.py: 1,000 papers, 100
sessions), times a reload in-process (validate and load the data files, then build
every document once) and runs the request benchmark of the small documents against
that data.

Absolute numbers depend on the machine and its neighbours; the ratio app/nginx of
the same round is the figure to compare. Both servers and wrk share the machine's
cores, as they would share a small production host.

--app "LABEL:GUNICORN_WORKERS=2,GUNICORN_WORKER_CLASS=gthread,..." (repeatable) runs
one gunicorn per set-up, with those environment overrides of gunicorn.conf.py, and
measures them in the same rounds: how the worker settings were chosen
(docs/performance.md).

Usage: scripts/bench.py [--seconds 5] [--rounds 3] [--connections 64] [--scale] [--gzip] [--no-access-log] [--app ...]
Needs: nginx and wrk (Debian: apt-get install nginx wrk, or nginx-light); `make bench` installs them.
The app's worker settings come from gunicorn.conf.py and its environment overrides
(GUNICORN_WORKERS, GUNICORN_WORKER_CLASS, GUNICORN_THREADS, ...).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import mimetypes
import os
import re
import runpy
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from local_servers import free_port  # beside this script

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

GUNICORN = Path(sys.executable).with_name("gunicorn")
GUNICORN_CONF = PROJECT_ROOT / "gunicorn.conf.py"
INSTALL_HINT = "sudo apt-get install -y nginx wrk   (nginx-light works too; `make bench` installs them when missing)"
PAGE_WEIGHT_BUDGET = 60_000  # bytes: HTML + CSS + JS of the page, uncompressed
RATIO_TARGET = 0.35  # issue #10: with the access log on, as production runs
P99_TARGET_MS = 30.0
START_TIMEOUT = 60.0
NGINX = "nginx"


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    conditional: bool = False  # send If-None-Match with the server's current ETag: the 304 path


TARGETS = (
    Target("JSON document", "/api/v1/topics.json"),
    Target("304 (If-None-Match)", "/api/v1/topics.json", conditional=True),
    Target("page", "/"),
)
# At scale: the small documents only (the page then lists 1,000 papers).
SCALE_TARGETS = (
    Target("JSON document", "/api/v1/topics.json"),
    Target("304 (If-None-Match)", "/api/v1/topics.json", conditional=True),
    Target("JSON document (dates)", "/api/v1/dates.json"),
)


class BenchError(Exception):
    """The benchmark cannot run or a server misbehaved; the message says why."""


# --- Tools and processes --------------------------------------------------------------


def require_tools() -> tuple[str, str]:
    """The paths of nginx and wrk, or a message telling how to install them."""
    nginx = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).is_file()), None)
    wrk = shutil.which("wrk")
    missing = [name for name, path in (("nginx", nginx), ("wrk", wrk)) if path is None]
    if missing:
        raise BenchError(f"{' and '.join(missing)} not found. Install with: {INSTALL_HINT}")
    assert nginx is not None and wrk is not None
    return nginx, wrk


def stop(process: subprocess.Popen[Any], name: str) -> None:
    """Stop a server this script started (its own process group: master and workers)."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        print(f"{name} did not stop on SIGTERM: killing it.", file=sys.stderr)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@contextlib.contextmanager
def running(command: list[str], name: str, log_path: Path, env: dict[str, str] | None = None) -> Iterator[Any]:
    """A server process, its output in a file (a pipe nobody reads would block it), stopped on exit."""
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C reaches this script, which stops the server in order
        )
    try:
        yield process
    finally:
        stop(process, name)


def wait_until_serving(url: str, process: subprocess.Popen[Any], name: str, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"{name} exited with status {process.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                response.read()
                return
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.1)
    raise BenchError(f"{name} did not answer at {url} within {START_TIMEOUT:.0f} s; see {log_path}")


def nginx_config(workdir: Path, root: Path, port: int, *, gzip_static: bool) -> str:
    cores = os.cpu_count() or 1
    compression = (
        "gzip off;\n    gzip_static on;  # the export's .gz copies, like the app's prepared gzip bodies"
        if gzip_static
        else "gzip off;"
    )
    return f"""# Generated by scripts/bench.py: the static export served as fast as this machine allows.
daemon off;
master_process on;
worker_processes {cores};
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log warn;
events {{
    worker_connections 4096;
}}
http {{
    access_log off;
    client_body_temp_path {workdir}/client_body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    sendfile on;
    tcp_nopush on;
    etag on;
    {compression}
    types {{
        text/html html;
        text/css css;
        text/javascript js;
        application/json json;
        text/calendar ics;
        text/plain txt;
        image/svg+xml svg;
        image/png png;
        image/jpeg jpg jpeg;
        image/webp webp;
    }}
    default_type application/octet-stream;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {root};
        index index.html;
    }}
}}
"""


def export_site(destination: Path, data_dir: Path | None) -> None:
    command = [sys.executable, "-m", "workshop", "export", "--destination", str(destination)]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BenchError(f"The export failed:\n{result.stdout}{result.stderr}")


def write_gzip_copies(root: Path) -> None:
    """Beside every file the app would gzip, its .gz copy for nginx's gzip_static (the app's rule and level)."""
    from workshop.compression import gzip_body, worth_compressing

    for path in root.rglob("*"):
        if path.is_file() and path.suffix != ".gz":
            body = path.read_bytes()
            if worth_compressing(mimetypes.guess_type(path.name)[0] or "", body):
                path.with_name(path.name + ".gz").write_bytes(gzip_body(body))


def gunicorn_settings(env: dict[str, str]) -> dict[str, Any]:
    """The worker settings gunicorn.conf.py gives under ``env`` (its overrides included)."""
    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(env)
        settings = runpy.run_path(str(GUNICORN_CONF))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return {name: settings.get(name) for name in ("workers", "worker_class", "threads", "keepalive", "accesslog")}


# --- HTTP helpers ---------------------------------------------------------------------


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, Message, bytes]:
    """Status, headers (looked up by any case of the name, as HTTP means them) and body."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:  # 304 and errors
        return error.code, error.headers, error.read()


# --- wrk ------------------------------------------------------------------------------

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if not match:
        raise BenchError(f"Unreadable wrk duration {text!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


@dataclass
class Run:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx_3xx: int
    socket_errors: int
    requests: int


def parse_wrk(output: str) -> Run:
    """The figures of one `wrk --latency` run."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    total = re.search(r"^\s+(\d+) requests in", output, re.MULTILINE)
    if not (rps and p50 and p99 and total):
        raise BenchError(f"Unreadable wrk output:\n{output}")
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Run(
        requests_per_second=float(rps.group(1)),
        p50_ms=_duration_ms(p50.group(1)),
        p99_ms=_duration_ms(p99.group(1)),
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
        requests=int(total.group(1)),
    )


def run_wrk(wrk: str, url: str, headers: dict[str, str], args: argparse.Namespace, seconds: int) -> Run:
    # A slow answer counts in p99; only one that takes 10 s (wrk's default: 2 s) is an error.
    command = [wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s", "--timeout", "10s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    except subprocess.TimeoutExpired:
        raise BenchError(f"wrk did not finish within {seconds + 60} s: {' '.join(command)}") from None
    if result.returncode != 0:
        raise BenchError(f"wrk failed ({result.returncode}): {result.stderr or result.stdout}")
    return parse_wrk(result.stdout)


# --- The request benchmark ------------------------------------------------------------


@dataclass
class Cell:
    """Every round of one (target, server)."""

    runs: list[Run] = field(default_factory=list)

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(run, attribute) for run in self.runs)

    def worst(self, attribute: str) -> float:
        return max(getattr(run, attribute) for run in self.runs)

    def total(self, attribute: str) -> int:
        return sum(getattr(run, attribute) for run in self.runs)


def prepare_headers(target: Target, base_url: str, common: dict[str, str], server: str) -> dict[str, str]:
    """The request headers of a target on one server; for the 304 path, that server's own current ETag."""
    status, headers, _ = fetch(base_url + target.path, common)
    if status != 200:
        raise BenchError(f"{server} answered {status} for {target.path}")
    if not target.conditional:
        return dict(common)
    etag = headers.get("ETag")
    if not etag:
        raise BenchError(f"{server} sent no ETag for {target.path}")
    conditional = {**common, "If-None-Match": etag}
    status, _, _ = fetch(base_url + target.path, conditional)
    if status != 304:
        raise BenchError(f"{server} answered {status}, not 304, to If-None-Match: {etag} on {target.path}")
    return conditional


def compare_bytes(targets: tuple[Target, ...], servers: dict[str, str], common: dict[str, str]) -> list[str]:
    """Notes on any target whose body differs from nginx's (the comparison would not be like with like)."""
    notes = []
    for path in dict.fromkeys(target.path for target in targets if not target.conditional):
        bodies = {name: fetch(url + path, common)[2] for name, url in servers.items()}
        for name, body in bodies.items():
            if body != bodies[NGINX]:
                notes.append(f"note: {path} differs: {name} {len(body):,} bytes, nginx {len(bodies[NGINX]):,} bytes")
    return notes


def bench_requests(
    wrk: str, targets: tuple[Target, ...], servers: dict[str, str], common: dict[str, str], args: argparse.Namespace
) -> dict[tuple[str, str], Cell]:
    """Every round, every target: each app, then nginx, one right after the other."""
    headers = {
        (target.name, server): prepare_headers(target, url, common, server)
        for target in targets
        for server, url in servers.items()
    }
    cells = {key: Cell() for key in headers}
    if args.warmup > 0:
        for target in targets:
            for server, url in servers.items():
                run_wrk(wrk, url + target.path, headers[target.name, server], args, args.warmup)
    width = max(len(server) for server in servers)
    for round_number in range(1, args.rounds + 1):
        for target in targets:
            for server, url in servers.items():
                run = run_wrk(wrk, url + target.path, headers[target.name, server], args, args.seconds)
                cells[target.name, server].runs.append(run)
                print(
                    f"  round {round_number}/{args.rounds} {target.name:<22} {server:<{width}} "
                    f"{run.requests_per_second:>10,.0f} req/s  p50 {run.p50_ms:6.2f} ms  p99 {run.p99_ms:6.2f} ms",
                    file=sys.stderr,
                    flush=True,
                )
    return cells


def ratios(cells: dict[tuple[str, str], Cell], target: Target, app: str) -> list[float]:
    """app/nginx requests/s of each round (runs of the same round, right after each other)."""
    runs, nginx = cells[target.name, app].runs, cells[target.name, NGINX].runs
    return [a.requests_per_second / n.requests_per_second for a, n in zip(runs, nginx, strict=True)]


def _ms(value: float) -> str:
    return f"{value:.1f} ms" if value >= 10 else f"{value:.2f} ms"


def results_table(targets: tuple[Target, ...], apps: list[str], cells: dict[tuple[str, str], Cell]) -> str:
    lines = [
        "| Target | Server | Requests/s (median) | p50 | p99 (worst round) | Non-2xx/3xx | Socket errors | app/nginx |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for target in targets:
        for server in [*apps, NGINX]:
            cell = cells[target.name, server]
            ratio = f"**{statistics.median(ratios(cells, target, server)):.3f}**" if server != NGINX else ""
            lines.append(
                f"| {target.name} `{target.path}` | {server} | {cell.median('requests_per_second'):,.0f} "
                f"| {_ms(cell.median('p50_ms'))} | {_ms(cell.median('p99_ms'))} ({_ms(cell.worst('p99_ms'))}) "
                f"| {cell.total('non_2xx_3xx')} | {cell.total('socket_errors')} | {ratio} |"
            )
    return "\n".join(lines)


def target_checks(targets: tuple[Target, ...], apps: list[str], cells: dict[tuple[str, str], Cell]) -> list[str]:
    """Each app against the issue's targets: ratio, p99 (median of the rounds), zero errors."""
    lines = []
    for app in apps:
        for target in targets:
            cell = cells[target.name, app]
            ratio = statistics.median(ratios(cells, target, app))
            p99 = cell.median("p99_ms")
            errors = cell.total("non_2xx_3xx") + cell.total("socket_errors")
            checks = [
                (ratio >= RATIO_TARGET, f"app/nginx {ratio:.3f} (target >= {RATIO_TARGET})"),
                (p99 < P99_TARGET_MS, f"p99 {_ms(p99)} (target < {P99_TARGET_MS:.0f} ms)"),
                (errors == 0, f"{errors} errors (target 0)"),
            ]
            verdict = "met" if all(ok for ok, _ in checks) else "MISSED"
            details = "; ".join(("" if ok else "MISSED ") + text for ok, text in checks)
            lines.append(f"- {app}, {target.name}: {verdict}: {details}")
    return lines


# --- Page weight ----------------------------------------------------------------------


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        rel = (attributes.get("rel") or "").lower().split()
        if tag == "link" and ("stylesheet" in rel or "modulepreload" in rel) and attributes.get("href"):
            self.urls.append(attributes["href"] or "")
        if tag == "script" and attributes.get("src"):
            self.urls.append(attributes["src"] or "")


# import x from "./a.js", import "./a.js", export { x } from "./a.js", import("./a.js")
_JS_IMPORT = re.compile(
    r"""(?:^|[;\s])(?:import|export)\s(?:[^'";]*?\sfrom\s*)?["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)""",
    re.MULTILINE,
)
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*["']?([^"')\s;]+)""")


def page_weight(base_url: str) -> list[tuple[str, int, int]]:
    """(path, bytes, bytes gzipped as the app sends them) of the page and every stylesheet and script it loads."""
    from workshop.compression import gzip_body, worth_compressing

    found: list[tuple[str, int, int]] = []
    queue, seen = ["/"], set()
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        status, headers, body = fetch(base_url + path)
        if status != 200:
            raise BenchError(f"The page loads {path}, which answers {status}")
        # As the fast path sends it to a client that accepts gzip (each worker learns a file on its own,
        # so asking the server would depend on which worker answers).
        mimetype = (headers.get("Content-Type") or "").split(";")[0]
        compressed = len(gzip_body(body)) if worth_compressing(mimetype, body) else len(body)
        found.append((path, len(body), compressed))
        text = body.decode("utf-8", errors="replace")
        if path == "/":
            parser = _Assets()
            parser.feed(text)
            references = parser.urls
        elif path.endswith((".js", ".mjs")):
            references = [a or b for a, b in _JS_IMPORT.findall(text)]
        elif path.endswith(".css"):
            references = _CSS_IMPORT.findall(text)
        else:
            references = []
        for reference in references:
            url = urlsplit(urljoin(base_url + path, reference))
            if f"{url.scheme}://{url.netloc}" == base_url:
                queue.append(url.path)
    return found


def weight_table(files: list[tuple[str, int, int]]) -> str:
    lines = ["| File | Bytes | Gzipped (gzip -9, as the fast path sends it) |", "| --- | ---: | ---: |"]
    lines += [f"| `{path}` | {size:,} | {zipped:,} |" for path, size, zipped in files]
    total, total_zipped = sum(f[1] for f in files), sum(f[2] for f in files)
    lines.append(f"| **Total HTML + CSS + JS** | **{total:,}** | **{total_zipped:,}** |")
    return "\n".join(lines)


# --- Reload at scale ------------------------------------------------------------------


def reload_times(data_dir: Path, repetitions: int) -> tuple[list[float], list[float], int]:
    """Seconds to reload (find the change, validate and load every data file) and to build every document once.

    In this process, as a gunicorn worker does: an edit of the data files, the
    store's poll that loads it (a new content version), then every page, API
    document and calendar requested once through the app, fast path included
    (which keeps each and gzips it). Returns (reload times, build times, documents).
    """
    from flask import url_for

    from workshop import create_app
    from workshop.export import api_urls, page_urls

    app = create_app({"DATA_DIR": str(data_dir), "CONTENT_RELOAD": False})
    store = app.extensions["workshop.store"]
    client = app.test_client()
    edited = data_dir / store.content.current / "topics.yaml"
    original = edited.read_text(encoding="utf-8")
    loads, builds, count = [], [], 0
    try:
        for repetition in range(repetitions + 1):  # the first builds templates and warms up: not counted
            # A visible change, so that the content version (and every cache key) is new.
            edited.write_text(original.replace("title: ", f"title: Rev {repetition} ", 1), encoding="utf-8")
            store.poll()  # sees the change; the next poll loads it once the files stand still
            started = time.perf_counter()
            if not store.poll():
                raise BenchError(f"Editing {edited} did not produce new content: {store.status.problems}")
            loaded = time.perf_counter()
            content = store.content
            with app.test_request_context():
                routes = [*page_urls(content), *api_urls(app, content)]
                urls = [url_for(endpoint, **values) for endpoint, values in routes]
            for url in urls:
                response = client.get(url)
                if response.status_code != 200:
                    raise BenchError(f"{url} answered {response.status_code} at scale")
            built = time.perf_counter()
            if repetition:
                loads.append(loaded - started)
                builds.append(built - loaded)
            count = len(urls)
    finally:
        edited.write_text(original, encoding="utf-8")
    return loads, builds, count


# --- Main -----------------------------------------------------------------------------


def machine_line() -> str:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return f"{os.cpu_count()} cores ({model or 'unknown CPU'}), load average {load}"


def tool_versions(nginx: str, wrk: str) -> str:
    nginx_version = subprocess.run([nginx, "-v"], capture_output=True, text=True, check=False).stderr.strip()
    wrk_version = subprocess.run([wrk, "-v"], capture_output=True, text=True, check=False)
    wrk_words = (wrk_version.stdout or wrk_version.stderr).split()[:2]
    return f"{nginx_version.removeprefix('nginx version: ')}; {' '.join(wrk_words) or 'wrk'}"


def parse_app(text: str) -> tuple[str, dict[str, str]]:
    """``LABEL:KEY=VALUE,KEY=VALUE`` (environment overrides of gunicorn.conf.py) as (label, overrides)."""
    label, _, assignments = text.partition(":")
    overrides = {}
    for assignment in filter(None, assignments.split(",")):
        key, equals, value = assignment.partition("=")
        if not equals or not key.strip():
            raise argparse.ArgumentTypeError(f"{assignment!r} is not KEY=VALUE")
        overrides[key.strip()] = value.strip()
    if not label.strip() or label.strip() == NGINX:
        raise argparse.ArgumentTypeError(f"{text!r} needs a label other than {NGINX!r} before the colon")
    return label.strip(), overrides


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5, help="Seconds of each measured wrk run (default 5).")
    parser.add_argument("--rounds", type=int, default=3, help="Rounds of interleaved runs (default 3).")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections (default 64).")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2).")
    parser.add_argument("--warmup", type=int, default=1, help="Seconds of unmeasured load per target and server.")
    parser.add_argument("--gzip", action="store_true", help="Compare gzipped responses (nginx with gzip_static).")
    parser.add_argument(
        "--no-access-log",
        dest="access_log",
        action="store_false",
        help="Turn the app's access log off, as nginx's is (default: on, written to a file, as in production).",
    )
    parser.add_argument("--scale", action="store_true", help="A generated large edition: reload time, small documents.")
    parser.add_argument("--reload-repetitions", type=int, default=5, help="Timed reloads at scale (default 5).")
    parser.add_argument(
        "--app",
        dest="apps",
        action="append",
        type=parse_app,
        metavar="LABEL:KEY=VALUE,...",
        help="Measure this gunicorn set-up (environment overrides of gunicorn.conf.py, e.g. "
        "'gthread 2x4:GUNICORN_WORKERS=2,GUNICORN_WORKER_CLASS=gthread,GUNICORN_THREADS=4'); "
        "repeat to compare set-ups in the same rounds. Default: gunicorn.conf.py as the environment sets it, as 'app'.",
    )
    parser.add_argument("--json", type=Path, help="Also write the figures as JSON to this file.")
    args = parser.parse_args(argv)
    if args.connections < args.threads:
        parser.error("--connections must be at least --threads")
    if min(args.seconds, args.rounds, args.reload_repetitions) <= 0:
        parser.error("--seconds, --rounds and --reload-repetitions must be positive")
    args.apps = args.apps or [("app", {})]
    if len({label for label, _ in args.apps}) != len(args.apps):
        parser.error("each --app needs its own label")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Ctrl-C (even when started in the background) and SIGTERM end the script with the
    # servers stopped on the way out.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        nginx, wrk = require_tools()
        report = run(args, nginx, wrk)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted; servers stopped.", file=sys.stderr)
        return 130
    print(render(args, report), flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


def distinct_ports(count: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < count:
        port = free_port()
        if port not in ports:
            ports.append(port)
    return ports


def prepare_site(args: argparse.Namespace, workdir: Path, report: dict[str, Any]) -> tuple[Path, Path | None]:
    """The exported site (and the generated data folder at scale, after timing its reload)."""
    data_dir = None
    if args.scale:
        from scripts.generate_edition import generate

        data_dir = workdir / "data"
        generate(data_dir)
        print("Timing reloads at scale...", file=sys.stderr, flush=True)
        loads, builds, count = reload_times(data_dir, args.reload_repetitions)
        report["reload"] = {"load_s": loads, "build_s": builds, "documents": count}
    site = workdir / "site"
    print("Exporting the site...", file=sys.stderr, flush=True)
    export_site(site, data_dir)
    if args.gzip:
        write_gzip_copies(site)
    return site, data_dir


def run(args: argparse.Namespace, nginx: str, wrk: str) -> dict[str, Any]:
    """Export, start nginx and each app, measure, stop them; every figure in a JSON-ready report."""
    report: dict[str, Any] = {
        "settings": {key: str(value) if isinstance(value, Path) else value for key, value in vars(args).items()},
        "machine": machine_line(),
        "tools": tool_versions(nginx, wrk),
        "gunicorn": {},
        "pids": {},
    }
    apps = [label for label, _ in args.apps]
    targets = SCALE_TARGETS if args.scale else TARGETS
    common = {"Accept-Encoding": "gzip"} if args.gzip else {}
    with tempfile.TemporaryDirectory(prefix="workshop-bench-") as temp, contextlib.ExitStack() as servers_running:
        workdir = Path(temp)
        workdir.chmod(0o755)  # nginx's workers run as an unprivileged user when started by root
        site, data_dir = prepare_site(args, workdir, report)
        nginx_port, *app_ports = distinct_ports(1 + len(apps))
        conf = workdir / "nginx.conf"
        conf.write_text(nginx_config(workdir, site, nginx_port, gzip_static=args.gzip), encoding="utf-8")
        servers = {label: f"http://127.0.0.1:{port}" for label, port in zip(apps, app_ports, strict=True)}
        servers[NGINX] = f"http://127.0.0.1:{nginx_port}"

        nginx_log = workdir / "nginx-error.log"
        process = servers_running.enter_context(
            running([nginx, "-c", str(conf), "-p", str(workdir), "-e", str(nginx_log)], NGINX, workdir / "nginx.log")
        )
        report["pids"][NGINX] = process.pid
        started = [(NGINX, process, nginx_log)]
        for index, ((label, overrides), port) in enumerate(zip(args.apps, app_ports, strict=True)):
            env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}"}
            # Production keeps its access log, in a file: so does the benchmark, unless told.
            env["GUNICORN_ACCESSLOG"] = str(workdir / f"access-{index}.log") if args.access_log else ""
            if data_dir is not None:
                env["WORKSHOP_DATA_DIR"] = str(data_dir)
            env.update(overrides)
            report["gunicorn"][label] = gunicorn_settings(env) | {"overrides": overrides}
            log = workdir / f"gunicorn-{index}.log"
            command = [str(GUNICORN), "--config", str(GUNICORN_CONF)]
            process = servers_running.enter_context(running(command, f"gunicorn ({label})", log, env))
            report["pids"][label] = process.pid
            started.append((label, process, log))
        for name, process, log in started:
            wait_until_serving(servers[name] + "/", process, name, log)
        report["notes"] = compare_bytes(targets, servers, common)
        print("Measuring...", file=sys.stderr, flush=True)
        cells = bench_requests(wrk, targets, servers, common, args)
        if not args.scale:
            files = page_weight(servers[apps[0]])
            report["page_weight"] = {
                "files": files,
                "total": sum(size for _, size, _ in files),
                "gzipped": sum(zipped for _, _, zipped in files),
            }
    report["results"] = [
        {
            "target": target.name,
            "path": target.path,
            "server": server,
            "requests_per_second": cells[target.name, server].median("requests_per_second"),
            "p50_ms": cells[target.name, server].median("p50_ms"),
            "p99_ms": cells[target.name, server].median("p99_ms"),
            "p99_ms_worst": cells[target.name, server].worst("p99_ms"),
            "non_2xx_3xx": cells[target.name, server].total("non_2xx_3xx"),
            "socket_errors": cells[target.name, server].total("socket_errors"),
            "ratio_app_nginx": statistics.median(ratios(cells, target, server)) if server != NGINX else None,
            "ratios": ratios(cells, target, server) if server != NGINX else None,
            "runs": [vars(run) for run in cells[target.name, server].runs],
        }
        for target in targets
        for server in [*apps, NGINX]
    ]
    report["table"] = results_table(targets, apps, cells)
    report["checks"] = target_checks(targets, apps, cells)
    return report


def describe(label: str, settings: dict[str, Any]) -> str:
    threads = f" x {settings['threads']} threads" if settings["worker_class"] == "gthread" else ""
    overrides = ", ".join(f"{key}={value}" for key, value in settings["overrides"].items())
    return (
        f"- {label}: gunicorn.conf.py{f' with {overrides}' if overrides else ''}: {settings['workers']} "
        f"{settings['worker_class']} workers{threads}, keepalive {settings['keepalive']} s, "
        f"access log {'on (a file)' if settings['accesslog'] else 'off'}, fast path on"
    )


def render(args: argparse.Namespace, report: dict[str, Any]) -> str:
    """The Markdown the script prints."""
    compression = (
        "gzipped on both (Accept-Encoding: gzip; the app's prepared gzip bodies, nginx gzip_static with .gz copies)"
        if args.gzip
        else "uncompressed on both (wrk sends no Accept-Encoding; nginx gzip off)"
    )
    out = [
        f"## Benchmark{' at scale' if args.scale else ''}: the app (gunicorn) vs nginx serving the static export",
        "",
        f"- Machine: {report['machine']}; {report['tools']}",
        *(describe(label, settings) for label, settings in report["gunicorn"].items()),
        f"- nginx: {os.cpu_count()} worker processes, access_log off, etag on, sendfile on",
        f"- Responses compared: {compression}",
        f"- wrk on 127.0.0.1: {args.connections} connections, {args.threads} threads, {args.seconds} s per run, "
        f"{args.rounds} round(s), each app then nginx, one right after the other; app/nginx is the median of the "
        "rounds' ratios",
        "",
        report["table"],
        "",
        *[f"{note}  " for note in report["notes"]],
        "Targets (p99: median of the rounds):",
        "",
        *report["checks"],
    ]
    if "page_weight" in report:
        weight = report["page_weight"]
        verdict = "met" if weight["total"] < PAGE_WEIGHT_BUDGET else "MISSED"
        out += [
            "",
            "## Page weight: / with its stylesheets and module scripts",
            "",
            weight_table(weight["files"]),
            "",
            f"Budget: under {PAGE_WEIGHT_BUDGET:,} bytes uncompressed: {verdict} ({weight['total']:,} bytes, "
            f"{weight['gzipped']:,} gzipped).",
        ]
    if "reload" in report:
        loads, builds = report["reload"]["load_s"], report["reload"]["build_s"]
        totals = [load + build for load, build in zip(loads, builds, strict=True)]
        verdict = "met" if statistics.median(totals) < 1 else "MISSED"
        out += [
            "",
            "## Reload at scale (1,000 papers, 100 sessions; in-process, time.perf_counter)",
            "",
            "| Step | Median | Worst |",
            "| --- | ---: | ---: |",
            f"| Validate and load the data files (the store's poll) | {statistics.median(loads) * 1000:.0f} ms "
            f"| {max(loads) * 1000:.0f} ms |",
            f"| Build every document once ({report['reload']['documents']} pages, API documents and calendars; "
            f"the fast path keeps and gzips each) | {statistics.median(builds) * 1000:.0f} ms "
            f"| {max(builds) * 1000:.0f} ms |",
            f"| **Total** | **{statistics.median(totals) * 1000:.0f} ms** | {max(totals) * 1000:.0f} ms |",
            "",
            f"Target: under 1 s: {verdict} ({len(totals)} repetition(s) after one warm-up).",
        ]
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
