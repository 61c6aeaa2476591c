"""Live content: the last good content of a running process, kept current by a watcher.

Each process runs one daemon thread that polls the data files' sizes and
modification times (under gunicorn only the master does, for its workers:
workshop/rollover.py). A change is loaded only once the files
have stopped changing for one poll (so a half-saved file is not read), and the
new content replaces the old in one reference swap: a request sees either the
old or the new content, never a mix. An invalid edit is rejected as a whole,
logged once, and reported by the status document; the site keeps serving the
last good content until the files are fixed. Requests never touch the disk.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app, g

from workshop.content import Content, ContentError, Problem, load_content

logger = logging.getLogger(__name__)

Fingerprint = frozenset[tuple[str, int, int]]


def fingerprint(data_dir: Path) -> Fingerprint:
    """Every file under ``data_dir`` with its size and modification time."""
    entries: set[tuple[str, int, int]] = set()
    folders = [str(data_dir)]
    while folders:
        try:
            scan = os.scandir(folders.pop())
        except FileNotFoundError:  # removed while we looked
            continue
        with scan:
            for entry in scan:
                try:
                    if entry.is_dir():
                        folders.append(entry.path)
                    else:
                        info = entry.stat()
                        entries.add((entry.path, info.st_size, info.st_mtime_ns))
                except FileNotFoundError:
                    continue
    return frozenset(entries)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass(frozen=True)
class ContentStatus:
    """Whether the served content is what the files say, and if not, why."""

    content: Content
    loaded_at: dt.datetime
    problems: tuple[Problem, ...] = ()
    stale_since: dt.datetime | None = None

    @property
    def stale(self) -> bool:
        return bool(self.problems)


class ContentStore:
    """Holds the served content and swaps in valid edits of the data files."""

    def __init__(self, data_dir: Path, *, watch: bool = True, poll_interval: float = 0.5) -> None:
        self.data_dir = Path(data_dir)
        self.watch = watch
        self.poll_interval = poll_interval
        self._seen = fingerprint(self.data_dir)
        self._pending: Fingerprint | None = None
        # Raises ContentError: at start-up there is no last good content to fall back on.
        self._status = ContentStatus(content=load_content(self.data_dir), loaded_at=utc_now())
        self._lock = threading.Lock()
        self._watcher_pid: int | None = None
        self._stop = threading.Event()

    @property
    def content(self) -> Content:
        return self._status.content

    @property
    def status(self) -> ContentStatus:
        return self._status

    def poll(self) -> bool:
        """Look at the files once; reload when a change has settled. True when new content is served."""
        with self._lock:
            current = fingerprint(self.data_dir)
            if current == self._seen:
                self._pending = None
                return False
            if current != self._pending:
                # Still being written, perhaps: wait for one quiet poll.
                self._pending = current
                return False
            self._seen, self._pending = current, None
            return self._reload()

    def _reload(self) -> bool:
        try:
            content = load_content(self.data_dir)
        except ContentError as error:
            old = self._status
            self._status = ContentStatus(
                content=old.content,
                loaded_at=old.loaded_at,
                problems=error.problems,
                stale_since=old.stale_since or utc_now(),
            )
            logger.error(
                "Data files changed but are invalid; still serving content version %s.\n%s",
                old.content.version,
                error,
            )
            return False
        changed = content.version != self.content.version
        # Keep the old object when nothing visible changed (a comment, say): caches stay warm.
        self._status = ContentStatus(
            content=content if changed else self.content,
            loaded_at=utc_now() if changed else self._status.loaded_at,
        )
        if changed:
            logger.info("Data files changed: now serving content version %s.", content.version)
        return changed

    def ensure_watching(self) -> None:
        """Start this process's watcher thread (again after a fork: threads do not survive it)."""
        if not self.watch or self._watcher_pid == os.getpid():
            return
        with self._lock:
            if self._watcher_pid == os.getpid():
                return
            self._watcher_pid = os.getpid()
            self._stop = threading.Event()
            thread = threading.Thread(
                target=_watch, args=(weakref.ref(self), self._stop), name="content-watcher", daemon=True
            )
            thread.start()

    def stop_watching(self) -> None:
        """Stop following the files for good: this process serves its current content from now on."""
        self.watch = False
        self._stop.set()

    def follow_for_forked_workers(self) -> None:
        """This process alone follows the files, calling poll() itself, for the workers it forks
        (gunicorn's master: workshop/rollover.py). Neither it nor its forks start a watcher thread:
        a worker gets new content by being replaced with a fork of this process."""
        self.watch = False


def _watch(store_ref: weakref.ref[ContentStore], stop: threading.Event) -> None:
    # A weak reference: an app that is gone (tests create many) ends its watcher.
    while True:
        store = store_ref()
        if store is None:
            return
        interval = store.poll_interval
        try:
            store.poll()
        except Exception:  # the watcher must outlive any surprise, e.g. an unreadable folder
            logger.exception("Content watcher failed to check the data files.")
        del store
        if stop.wait(interval):
            return


def init_app(app: Flask) -> None:
    """Load the content at start-up (a bad data file stops the app) and, if enabled, follow edits."""
    store = ContentStore(
        Path(app.config["DATA_DIR"]),
        watch=app.config["CONTENT_RELOAD"],
        poll_interval=app.config["CONTENT_POLL_INTERVAL"],
    )
    app.extensions["workshop.store"] = store
    # Started in the serving process, on its first request (threads do not survive a fork;
    # a gunicorn master follows the files for its workers instead: workshop/rollover.py).
    app.before_request(store.ensure_watching)


def get_store() -> ContentStore:
    return current_app.extensions["workshop.store"]


def get_content() -> Content:
    """The content this request is served from: read once per request, so a reload
    in the middle of a request cannot mix old and new sections."""
    if "content" not in g:
        g.content = current_app.extensions["workshop.store"].content
    return g.content
