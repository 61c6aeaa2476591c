"""scripts/bench.py runs end to end: nginx and gunicorn on 127.0.0.1, wrk, the table, the page weight.

Only that it works is checked here, never how fast anything is: speed is measured
on demand (`make bench`), on a quiet machine, not by unit tests. Zero errors and the
page weight budget are not timing, so they are checked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

BENCH = PROJECT_ROOT / "scripts" / "bench.py"
SHORT = ["--seconds", "1", "--rounds", "1", "--connections", "8", "--warmup", "0"]


def run_bench(tmp_path: Path, *extra: str) -> tuple[str, dict]:
    report_path = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(BENCH), *SHORT, "--json", str(report_path), *extra],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"bench.py failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout, json.loads(report_path.read_text(encoding="utf-8"))


def assert_stopped(pids: dict[str, int]) -> None:
    for name, pid in pids.items():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        raise AssertionError(f"{name} (pid {pid}) still runs after the benchmark")


def assert_no_errors(report: dict) -> None:
    for row in report["results"]:
        assert row["non_2xx_3xx"] == 0, row
        assert row["socket_errors"] == 0, row
        assert row["requests_per_second"] > 0, row


def test_bench_prints_the_table_and_the_page_weight(tmp_path: Path) -> None:
    output, report = run_bench(tmp_path)
    assert "| Target | Server | Requests/s (median) | p50 | p99 (worst round) |" in output
    for target in ("JSON document `/api/v1/topics.json`", "304 (If-None-Match) `/api/v1/topics.json`", "page `/`"):
        for server in ("app", "nginx"):
            assert f"| {target} | {server} |" in output
    assert "uncompressed on both" in output
    assert_no_errors(report)
    assert {row["server"] for row in report["results"]} == {"app", "nginx"}
    weight = report["page_weight"]
    paths = [path for path, _size, _zipped in weight["files"]]
    assert paths[0] == "/"
    assert any(path.endswith(".css") for path in paths)
    assert any(path.endswith(".js") for path in paths)
    assert weight["total"] < 60_000, f"page weight {weight['total']:,} bytes (budget 60,000)"
    assert weight["gzipped"] < weight["total"]
    assert_stopped(report["pids"])


def test_bench_at_scale_times_the_reload(tmp_path: Path) -> None:
    output, report = run_bench(tmp_path, "--scale", "--reload-repetitions", "1")
    assert "## Reload at scale" in output
    assert "| **Total** |" in output
    assert report["reload"]["documents"] > 100
    assert len(report["reload"]["load_s"]) == 1
    assert_no_errors(report)
    assert_stopped(report["pids"])


@pytest.mark.browser  # the filter's keystroke is measured in Chromium
def test_bench_papers_runs_and_prints_every_measure() -> None:
    # A small edition and one run: that the script works end to end, not how fast anything is.
    small = ["--papers", "20", "--sessions", "4", "--repeat", "1"]
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "scripts" / "bench_papers.py"), *small],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"bench_papers.py failed:\n{result.stdout}\n{result.stderr}"
    for measure in ("Load and validate", "Whole `check`", "Reload after an edit", "Page `/`", "Filter keystroke"):
        assert f"| {measure}" in result.stdout, result.stdout
    assert "20 papers: script" in result.stdout
