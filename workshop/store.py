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

import dataclasses
import datetime as dt
import logging
import os
import threading
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g

from workshop.content import DATA_SUFFIX, ContentError, Problem, load_content
from workshop.datafiles import DataFiles, scan
from workshop.model import Content

logger = logging.getLogger(__name__)

Fingerprint = DataFiles


def fingerprint(data_dir: Path) -> Fingerprint:
    """Every file under ``data_dir`` with its size and modification time, and what cannot be read.

    Never raises for what is in the folder (links out of it or in a loop, unreadable
    folders): those are refused, so adding or removing one is a change like any edit.
    """
    return scan(data_dir)


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
        log_warnings(self._status.content)
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
            self._set_stale(error.problems)
            logger.error(
                "Data files changed but are invalid; still serving content version %s.\n%s",
                self.content.version,
                error,
            )
            return False
        except Exception as error:  # a bug or a surprise in the files: report it, retry on the next edit
            self.report_failure(error)
            return False
        warn_about_shrunk_lists(self.content, content)
        changed = content.version != self.content.version
        # Keep the old object when nothing visible changed (a comment, say): caches stay warm.
        self._status = ContentStatus(
            content=content if changed else self.content,
            loaded_at=utc_now() if changed else self._status.loaded_at,
        )
        if changed:
            logger.info("Data files changed: now serving content version %s.", content.version)
            log_warnings(content)
        return changed

    def _set_stale(self, problems: tuple[Problem, ...]) -> None:
        old = self._status
        self._status = ContentStatus(
            content=old.content,
            loaded_at=old.loaded_at,
            problems=problems,
            stale_since=old.stale_since or utc_now(),
        )

    def report_failure(self, error: Exception) -> None:
        """An unexpected error while following the files: stale, said once, and retried on the next change."""
        problem = Problem(
            ".",
            None,
            "",
            f"The data files could not be loaded ({type(error).__name__}); the server log says why.",
            self.data_dir.name,
        )
        if self._status.problems != (problem,):
            logger.error(
                "Data files changed but could not be loaded; still serving content version %s.",
                self.content.version,
                exc_info=error,
            )
        self._set_stale((problem,))

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
        except Exception as error:  # the watcher must outlive any surprise: stale, said once
            store.report_failure(error)
        del store
        if stop.wait(interval):
            return


def log_warnings(content: Content) -> None:
    """What the loaded files probably got wrong (names nearly alike...): said in the log, served anyway."""
    if content.warnings:
        logger.warning(
            "The data files have %d warning(s):\n%s",
            len(content.warnings),
            "\n".join(str(warning) for warning in content.warnings),
        )


def list_lengths(value: Any, path: str = "") -> Iterator[tuple[str, int]]:
    """(field, length) of every list in a section's data, nested ones included.

    An item with an id is named by it (``papers[galaxy-zoo].authors``), so that a
    paper added at the top compares each paper's authors with the same paper's.
    """
    if dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from list_lengths(getattr(value, field.name), f"{path}.{field.name}" if path else field.name)
    elif isinstance(value, tuple):
        yield path, len(value)
        for index, item in enumerate(value):
            yield from list_lengths(item, f"{path}[{getattr(item, 'id', index)}]")


def warn_about_shrunk_lists(old: Content, new: Content) -> None:
    """Log a warning for every list that lost half its items or more (8 committee members to 4).

    Valid, so it goes live; but a file saved while still being written (copied
    over a slow link, say) is valid too when it stops between two items.
    """
    for name, edition in new.editions.items():
        if name not in old.editions:
            continue
        for resource, section in edition.sections.items():
            before = dict(list_lengths(old.editions[name].sections.get(resource)))
            for path, after in list_lengths(section):
                if path in before and before[path] >= 2 and after <= before[path] // 2:
                    logger.warning(
                        "%s/%s%s: %s went from %d items to %d. If that was not meant, restore the file; "
                        "save data files atomically (see data/README.md).",
                        name,
                        resource,
                        DATA_SUFFIX,
                        path,
                        before[path],
                        after,
                    )


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
