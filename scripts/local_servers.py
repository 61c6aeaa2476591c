"""Servers on this machine's loopback, for the scripts and the tests: a free port,
the project's gunicorn (or any server) started and stopped, waiting until it answers,
its workers' memory and CPU time, and the flags that keep Chromium from calling home."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping, Sequence
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


class ServerError(RuntimeError):
    """A server ended or did not answer in time; the message says which, and where its log is."""


def start_server(
    command: Sequence[str], log_path: Path, environment: Mapping[str, str] | None = None, *, own_session: bool = False
) -> subprocess.Popen[bytes]:
    """``command`` run from the project's folder with ``environment`` added to this one's.

    Its output goes to a file: a pipe nobody reads would fill up and block the workers.
    ``own_session``: in a process group of its own, so that Ctrl-C reaches only the caller,
    which then stops the server in order (and ``stop`` can kill the whole group).
    """
    with log_path.open("w", encoding="utf-8") as log:
        return subprocess.Popen(
            list(command),
            cwd=PROJECT_ROOT,
            env={**os.environ, **(environment or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=own_session,
        )


def start_gunicorn(
    environment: Mapping[str, str],
    log_path: Path,
    *,
    file_limit: int | None = None,
    app: str | None = None,
    config: Path = PROJECT_ROOT / "gunicorn.conf.py",
    own_session: bool = False,
) -> subprocess.Popen[bytes]:
    """gunicorn with the project's config, or ``config`` (GUNICORN_BIND and the rest from ``environment``),
    with at most ``file_limit`` open files per process if given (systemd's LimitNOFILE),
    serving ``app`` ("module:name") instead of the site if given.
    """
    limit = [] if file_limit is None else ["prlimit", f"--nofile={file_limit}", "--"]
    # util-linux's prlimit: a preexec_fn is not safe in a process with threads.
    command = [*limit, str(GUNICORN), "--config", str(config), *([app] if app else [])]
    return start_server(command, log_path, environment, own_session=own_session)


def wait_until_serving(
    url: str, process: subprocess.Popen[bytes], log_path: Path | None = None, timeout: float = 60
) -> None:
    """Return once ``url`` answers with success; ServerError if the process ends or ``timeout`` s pass first."""
    deadline = time.monotonic() + timeout
    where = f"; see {log_path}" if log_path else ""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:] if log_path else ""
            raise ServerError(f"{process.args[0]} exited with status {process.returncode}{where}\n{tail}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:  # not listening yet, or an error status (HTTPError): not serving yet
            time.sleep(0.1)
    raise ServerError(f"nothing answered at {url} within {timeout:.0f} s{where}")


def stop(process: subprocess.Popen[bytes], timeout: float = 15) -> None:
    """Stop a server gracefully, or kill it (its whole group, if it has its own) when it does not stop in time."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"{process.args[0]} did not stop on SIGTERM: killing it.", file=sys.stderr)
        with contextlib.suppress(ProcessLookupError):
            if os.getpgid(process.pid) == process.pid:
                os.killpg(process.pid, signal.SIGKILL)
            else:
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
