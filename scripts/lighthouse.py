#!/usr/bin/env python3
"""Lighthouse (mobile) on the page, served by gunicorn with the project's config on 127.0.0.1.

Prints the scores of performance, accessibility, best practices and SEO, and every
audit that does not pass; writes the JSON reports to test-artifacts/lighthouse/.

Two kinds of result. The hard checks do not depend on how fast or busy the machine is:
accessibility, best practices and SEO at 100, and the performance audits that look at
what the page sends rather than how long it took (text compression, cache lifetimes,
render-blocking resources, unminified or unused code, total bytes, request count; see
``hard_check_failures``). The script exits non-zero when one fails in any run, or when
anything tried to leave 127.0.0.1; tests/test_lighthouse.py runs it once for `make test`.
The performance score is timed (Total Blocking Time, LCP, ... of a simulated load on this
machine's CPU): a benchmark figure, printed, never a failure. It varies from run to run
(the simulation replays a real page load, whose order varies) and with the machine's load,
so each page is measured several times and the median run is shown, as Lighthouse's own
documentation advises.

Nothing leaves the machine: Chromium runs without its background services, and
behind a proxy on 127.0.0.1 that records and refuses every request (loopback never
goes through a proxy); every request of the page must be to the local server.

Usage: scripts/lighthouse.py [--runs N] [PATH ...]   (default: 3 runs of /)
Needs: `npm ci` (lighthouse), Chromium (CHROME_PATH, default /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socketserver
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from local_servers import CHROMIUM_FLAGS, GUNICORN, free_port, start_gunicorn, stop  # beside this script

PROJECT_ROOT = Path(__file__).resolve().parent.parent
REPORT_DIR = PROJECT_ROOT / "test-artifacts" / "lighthouse"
LIGHTHOUSE = PROJECT_ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME_LAUNCHER_FLAGS = PROJECT_ROOT / "node_modules" / "chrome-launcher" / "dist" / "flags.js"

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = ["--headless=new", *CHROMIUM_FLAGS]
# Chromium's own calls home that the flags above leave on: network time (a feature
# to turn off), component updates and the Google account check (pointed at a closed
# loopback port, as no switch turns them off). Lighthouse's launcher already turns
# the optimization guide off.
QUIET_FEATURES_OFF = ["NetworkTimeServiceQuerying", "OptimizationHints"]
QUIET_CHROME_FLAGS = ["--component-updater=url-source=http://127.0.0.1:9/", "--gaia-url=http://127.0.0.1:9/"]
# Audits that cannot pass for a reason outside the project's control: id -> why. A
# category whose only failing weighted audits are listed here passes with its best
# reachable score, and the script says so. Empty: those categories must be 100.
KNOWN_EXCEPTIONS: dict[str, str] = {}
# Hard checks (what the page sends, not how fast this machine is): categories that must be
# 100, audits that must list nothing, and budgets for the whole page load.
EXACT_CATEGORIES = ("accessibility", "best-practices", "seo")
NOTHING_TO_FIX = (
    "uses-text-compression",
    "uses-long-cache-ttl",
    "cache-insight",
    "unminified-css",
    "unminified-javascript",
    "unused-css-rules",
    "unused-javascript",
)
RENDER_BLOCKING = ("render-blocking-resources", "render-blocking-insight")
# The site's one stylesheet: the edition's theme and site.css, at the hash of its bytes (workshop/pages.py).
SITE_STYLESHEET = re.compile(r"/[a-z0-9-]+/css/[0-9a-f]{12}/site\.css")
BYTE_BUDGET = 100 * 1024  # bytes transferred by the whole load (26 KiB in November 2026)
REQUEST_BUDGET = 15  # requests of the whole load (10 in November 2026)
# Lighthouse asks to run it again after these (a trace it could not read).
RETRIED_ERRORS = ("Please run Lighthouse again", "NO_NAVSTART", "NO_FCP", "NO_LCP")
LOCAL_SCHEMES = ("data", "blob", "about")


class _Refuse(socketserver.StreamRequestHandler):
    """Records where a request wanted to go, and refuses it."""

    def handle(self) -> None:
        line = self.rfile.readline(4096).decode("latin-1").strip()
        if line:
            self.server.attempts.append(line)  # type: ignore[attr-defined]
        self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


@contextmanager
def trap_proxy() -> Iterator[tuple[str, list[str]]]:
    """A proxy on 127.0.0.1 that lets nothing through: what reaches it tried to leave the machine."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Refuse)
    server.daemon_threads = True
    attempts: list[str] = []
    server.attempts = attempts  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", attempts
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def gunicorn(log_path: Path) -> Iterator[str]:
    """gunicorn with the project's config on a free loopback port; SITE_URL is that origin."""
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    env = {"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2", "WORKSHOP_SITE_URL": origin}
    process = start_gunicorn(env, log_path)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {log_path}")
            try:
                urllib.request.urlopen(f"{origin}/", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn did not answer at {origin}; see {log_path}") from None
                time.sleep(0.2)
        yield origin
    finally:
        stop(process)


def disable_features_flag() -> str:
    """One --disable-features with Lighthouse's launcher's list and ours: Chromium keeps only
    the last of two, and the launcher's list matters (it turns RenderDocument off, without
    which traces can lack their navigation start)."""
    script = (
        f"import {{DEFAULT_FLAGS}} from {json.dumps(CHROME_LAUNCHER_FLAGS.as_uri())};"
        "console.log(JSON.stringify(DEFAULT_FLAGS.filter((f) => f.startsWith('--disable-features='))));"
    )
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=True, timeout=60
    )
    features = [name for flag in json.loads(result.stdout) for name in flag.split("=", 1)[1].split(",")]
    features += [name for name in QUIET_FEATURES_OFF if name not in features]
    return f"--disable-features={','.join(features)}"


def run_lighthouse(url: str, report_path: Path, proxy: str, attempts: int = 3) -> dict:
    chrome = os.environ.get("CHROME_PATH") or os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    flags = [*CHROME_FLAGS, disable_features_flag(), *QUIET_CHROME_FLAGS, f"--proxy-server={proxy}"]
    command = [
        str(LIGHTHOUSE),
        url,
        f"--only-categories={','.join(CATEGORIES)}",
        "--form-factor=mobile",
        "--throttling-method=simulate",
        "--output=json",
        f"--output-path={report_path}",
        f"--chrome-flags={' '.join(flags)}",
        "--no-enable-error-reporting",
        "--quiet",
    ]
    for attempt in range(1, attempts + 1):
        report_path.unlink(missing_ok=True)
        result = subprocess.run(
            command,
            cwd=PROJECT_ROOT,
            env={**os.environ, "CHROME_PATH": chrome},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        output = f"{result.stdout}\n{result.stderr}".strip()
        if result.returncode == 0 and report_path.is_file():
            return json.loads(report_path.read_text(encoding="utf-8"))
        if attempt < attempts and any(error in output for error in RETRIED_ERRORS):
            print(f"  lighthouse asked to be run again ({output.splitlines()[-1]}): run {attempt + 1} of {attempts}")
            continue
        raise SystemExit(f"lighthouse failed ({result.returncode}):\n{output}")
    raise AssertionError("unreachable")


def shown_score(score: float | None) -> int | None:
    """A category's score as Lighthouse shows it, 0-100."""
    return None if score is None else round(score * 100)


def failing_audits(report: dict) -> list[tuple[dict, float]]:
    """Audits of the four categories that do not pass, with their weight in their category's
    score (0: advice that does not change the score)."""
    weights: dict[str, float] = {}
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            weights[ref["id"]] = max(weights.get(ref["id"], 0), ref["weight"])
    return [
        (audit, weights[audit_id])
        for audit_id, audit in sorted(report["audits"].items())
        if audit_id in weights
        and audit["scoreDisplayMode"] in ("binary", "numeric", "metricSavings")
        and audit["score"] is not None
        and audit["score"] < 1
    ]


def category_passes(report: dict, name: str) -> bool:
    """100, or below only because of known exceptions."""
    if shown_score(report["categories"][name]["score"]) == 100:
        return True
    ids = {ref["id"] for ref in report["categories"][name]["auditRefs"] if ref["weight"]}
    failing = [audit["id"] for audit, _ in failing_audits(report) if audit["id"] in ids]
    return bool(failing) and all(audit_id in KNOWN_EXCEPTIONS for audit_id in failing)


def audit_items(report: dict, audit_id: str) -> list[dict]:
    return (report["audits"].get(audit_id, {}).get("details") or {}).get("items", [])


def hard_check_failures(report: dict) -> list[str]:
    """What fails in ``report`` among the checks that do not depend on timing (empty: all pass)."""
    failures = [
        f"{name} is {shown_score(report['categories'][name]['score'])}, not 100"
        for name in EXACT_CATEGORIES
        if not category_passes(report, name)
    ]
    for audit_id in NOTHING_TO_FIX:
        if audit_id not in report["audits"]:
            failures.append(f"{audit_id} did not run")
        elif audit_items(report, audit_id):
            failures.append(f"{audit_id} lists {[item.get('url') for item in audit_items(report, audit_id)]}")
    for audit_id in RENDER_BLOCKING:
        # A stylesheet in the head blocks rendering by nature: the site's own one may, nothing else.
        blocking = [urlsplit(item.get("url", "")).path for item in audit_items(report, audit_id)]
        if len(blocking) > 1 or not all(SITE_STYLESHEET.fullmatch(path) for path in blocking):
            failures.append(f"{audit_id}: render-blocking {blocking} (at most the site's stylesheet)")
    weight = report["audits"]["total-byte-weight"]["numericValue"]
    if weight > BYTE_BUDGET:
        failures.append(f"the page load transfers {weight:,.0f} bytes (budget {BYTE_BUDGET:,})")
    totals = [item for item in audit_items(report, "resource-summary") if item.get("resourceType") == "total"]
    requests = totals[0]["requestCount"] if totals else None
    if requests is None or requests > REQUEST_BUDGET:
        failures.append(f"the page load makes {requests} requests (budget {REQUEST_BUDGET})")
    return failures


def requests_elsewhere(report: dict, origin: str) -> list[str]:
    """Requests of the page that were not to the local server."""
    items = report["audits"].get("network-requests", {}).get("details", {}).get("items", [])
    host = urlsplit(origin).netloc
    return [
        item["url"]
        for item in items
        if urlsplit(item["url"]).scheme not in LOCAL_SCHEMES and urlsplit(item["url"]).netloc != host
    ]


def median_run(reports: list[dict]) -> dict:
    """The run with the median performance score (the first of the middle two for an even count)."""
    ranked = sorted(reports, key=lambda report: report["categories"]["performance"]["score"] or 0)
    return ranked[(len(ranked) - 1) // 2]


def print_report(report: dict) -> None:
    for audit, weight in failing_audits(report):
        reason = KNOWN_EXCEPTIONS.get(audit["id"])
        detail = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
        if reason:
            label = f"known exception ({reason})"
        elif weight:
            label = f"not full marks (weight {weight:g})"
        else:
            label = "advice (weight 0, the score does not depend on it)"
        print(f"  {label}: {audit['id']}: {audit['title']}, score {audit['score']:g}{detail}")
    for audit_id, audit in sorted(report["audits"].items()):
        if audit["scoreDisplayMode"] == "error":
            print(f"  could not run: {audit_id}: {audit.get('errorMessage', '')}")


def audit_page(origin: str, path: str, proxy: str, runs: int) -> bool:
    """Measure one page ``runs`` times; True when every run passes the hard checks and it stayed local."""
    name = path.strip("/").replace("/", "-") or "index"
    reports = []
    for run in range(1, runs + 1):
        report = run_lighthouse(f"{origin}{path}", REPORT_DIR / f"{name}.run-{run}.report.json", proxy)
        scores = " ".join(
            f"{category}={shown_score(report['categories'][category]['score'])}" for category in CATEGORIES
        )
        metrics = ", ".join(
            f"{metric} {report['audits'][audit]['displayValue']}"
            for metric, audit in (("FCP", "first-contentful-paint"), ("LCP", "largest-contentful-paint"))
        )
        print(f"  run {run}: {scores} ({metrics})")
        for failure in hard_check_failures(report):
            print(f"  HARD CHECK FAILED in run {run}: {failure}")
        reports.append(report)
    report = median_run(reports)
    report_path = REPORT_DIR / f"{name}.report.json"
    report_path.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"Lighthouse {report['lighthouseVersion']}, mobile, {report['finalDisplayedUrl']} (median of {runs} runs)")
    for category in CATEGORIES:
        score = shown_score(report["categories"][category]["score"])
        print(f"  {report['categories'][category]['title']:<15} {'error' if score is None else score}")
    print_report(report)
    elsewhere = sorted({url for each in reports for url in requests_elsewhere(each, origin)})
    for url in elsewhere:
        print(f"  REQUEST OUTSIDE 127.0.0.1: {url}")
    print(f"  report: {report_path.relative_to(PROJECT_ROOT)}")
    timed = shown_score(report["categories"]["performance"]["score"])
    print(f"  performance (timed, a benchmark figure on this machine, never a failure): {timed}")
    return not any(hard_check_failures(each) for each in reports) and not elsewhere


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=["/"], help="pages to measure (default: /)")
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median counts (default: 3)")
    args = parser.parse_args(argv)
    for tool in (LIGHTHOUSE, GUNICORN):
        if not tool.exists():
            print(f"{tool} is missing: run `make lighthouse`, which installs it.", file=sys.stderr)
            return 2
    if shutil.which(os.environ.get("CHROME_PATH") or "/usr/bin/chromium") is None:
        print("Chromium not found: set CHROME_PATH, or run scripts/ensure-chromium.", file=sys.stderr)
        return 2
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    ok = True
    with trap_proxy() as (proxy, attempts), gunicorn(REPORT_DIR / "gunicorn.log") as origin:
        for path in args.paths:
            ok &= audit_page(origin, path, proxy, args.runs)
    for attempt in attempts:
        print(f"Chromium tried to leave the machine (refused): {attempt}")
    ok &= not attempts
    print(
        "Lighthouse: every hard check passed."
        if ok
        else "Lighthouse: a hard check failed, or a request left 127.0.0.1."
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
