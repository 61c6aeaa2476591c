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

The jobs live beside this entry: scripts/bench_http.py (nginx, wrk, the table),
scripts/bench_page.py (the page weight), scripts/bench_scale.py (the generated
edition and its reload); scripts/local_servers.py starts, waits for and stops the servers.

Usage: scripts/bench.py [--seconds 5] [--rounds 3] [--connections 64] [--scale] [--gzip] [--no-access-log] [--app ...]
Needs: nginx and wrk (Debian: apt-get install nginx wrk, or nginx-light); `make bench` installs them.
The app's worker settings come from gunicorn.conf.py and its environment overrides
(GUNICORN_WORKERS, GUNICORN_WORKER_CLASS, GUNICORN_THREADS, ...).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import runpy
import signal
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

# Beside this script.
from bench_http import (
    NGINX,
    SCALE_TARGETS,
    TARGETS,
    BenchError,
    bench_requests,
    compare_bytes,
    export_site,
    nginx_config,
    ratios,
    require_tools,
    results_table,
    target_checks,
    tool_versions,
    write_gzip_copies,
)
from bench_page import weight_report, weight_section
from bench_scale import reload_report, reload_section
from local_servers import PROJECT_ROOT, ServerError, free_port, start_gunicorn, start_server, stop, wait_until_serving

if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

GUNICORN_CONF = PROJECT_ROOT / "gunicorn.conf.py"


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


def machine_line() -> str:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return f"{os.cpu_count()} cores ({model or 'unknown CPU'}), load average {load}"


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
    except (BenchError, ServerError) as error:
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
        data_dir = workdir / "data"
        print("Timing reloads at scale...", file=sys.stderr, flush=True)
        report["reload"] = reload_report(data_dir, args.reload_repetitions)
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
        command = [nginx, "-c", str(conf), "-p", str(workdir), "-e", str(nginx_log)]
        process = start_server(command, workdir / "nginx.log", own_session=True)
        servers_running.callback(stop, process)
        report["pids"][NGINX] = process.pid
        started = [(NGINX, process, nginx_log)]
        for index, ((label, overrides), port) in enumerate(zip(args.apps, app_ports, strict=True)):
            env = {"GUNICORN_BIND": f"127.0.0.1:{port}"}
            # Production keeps its access log, in a file: so does the benchmark, unless told.
            env["GUNICORN_ACCESSLOG"] = str(workdir / f"access-{index}.log") if args.access_log else ""
            if data_dir is not None:
                env["WORKSHOP_DATA_DIR"] = str(data_dir)
            env.update(overrides)
            report["gunicorn"][label] = gunicorn_settings({**os.environ, **env}) | {"overrides": overrides}
            log = workdir / f"gunicorn-{index}.log"
            process = start_gunicorn(env, log, own_session=True)
            servers_running.callback(stop, process)
            report["pids"][label] = process.pid
            started.append((label, process, log))
        for name, process, log in started:
            wait_until_serving(servers[name] + "/", process, log)
        report["notes"] = compare_bytes(targets, servers, common)
        print("Measuring...", file=sys.stderr, flush=True)
        cells = bench_requests(wrk, targets, servers, common, args)
        if not args.scale:
            report["page_weight"] = weight_report(servers[apps[0]])
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
        out += weight_section(report["page_weight"])
    if "reload" in report:
        out += reload_section(report["reload"])
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
