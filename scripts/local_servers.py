"""Servers on this machine's loopback, for the scripts and the tests: a free port,
the project's gunicorn, its workers' memory and CPU time, and the flags that keep
Chromium from calling home."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# No sandbox (root in CI), no GPU, and no background traffic to the internet.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(
    environment: Mapping[str, str],
    log_path: Path,
    *,
    file_limit: int | None = None,
    app: str | None = None,
    config: Path = PROJECT_ROOT / "gunicorn.conf.py",
) -> subprocess.Popen[bytes]:
    """gunicorn with the project's config, or ``config`` (GUNICORN_BIND and the rest from ``environment``),
    with at most ``file_limit`` open files per process if given (systemd's LimitNOFILE),
    serving ``app`` ("module:name") instead of the site if given.

    Its output goes to a file: a pipe nobody reads would fill up and block the workers.
    """
    limit = [] if file_limit is None else ["prlimit", f"--nofile={file_limit}", "--"]
    with log_path.open("w", encoding="utf-8") as log:
        return subprocess.Popen(
            # util-linux's prlimit: a preexec_fn is not safe in a process with threads.
            [*limit, str(GUNICORN), "--config", str(config), *([app] if app else [])],
            cwd=PROJECT_ROOT,
            env={**os.environ, **environment},
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def stop(process: subprocess.Popen[bytes], timeout: float = 15) -> None:
    """Stop a server gracefully, or kill it when it does not stop in time."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def stat_fields(pid: int | str) -> list[str] | None:
    """``/proc/<pid>/stat`` after the process name (field 3 onwards), or None once it has ended."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (gunicorn's workers, for its master), from /proc."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        fields = stat_fields(stat.parent.name)
        if fields is not None and int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def cpu_s(pid: int) -> float | None:
    """User plus system CPU time of ``pid`` in seconds (/proc/<pid>/stat fields 14 and 15)."""
    fields = stat_fields(pid)
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS if fields is not None else None


def pss_kb(pid: int) -> int | None:
    """Proportional set size: the process's own pages plus its share of those it shares
    (with the master it was forked from, say), from /proc/<pid>/smaps_rollup."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None
