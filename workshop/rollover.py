"""Under gunicorn: the master alone follows the data files, and replaces its workers on a change.

gunicorn preloads the app in its master and forks the workers from it. Without this
module every worker would run its own watcher (workshop/store.py) and parse, validate
and render the same edit itself, competing with its visitors for the CPU, and holding
two content versions while it swaps. Instead, once the master is ready:

- the store of the master stops any watcher of its own and of its forks
  (``ContentStore.follow_for_forked_workers``): workers never poll;
- one thread of the master polls the files, at a lower CPU priority than the workers;
  on a valid edit it swaps the new content into the master's store and builds the
  site's documents there, once (``prepare_documents``: through the app and its fast
  path, so the gzipped copies are made once too);
- whenever what a worker would serve or report changes (a new content version, or the
  status: an invalid edit is reported as stale by every worker), the workers are
  replaced by fresh forks of the master, which start with the new content and its
  documents, shared copy-on-write: gunicorn is asked for one more worker per worker
  (TTIN), and once the new ones have booted, for as many fewer (TTOU), which retires
  the oldest gracefully. The old workers serve until the new ones are up (and, for the
  moment a retired one takes to stop accepting, both do: one request may still get the old
  version after another got the new one).

A worker gunicorn starts for any other reason (one killed, timed out, or past
``max_requests``) is a fork of the master too, so it starts with the current content
and status. TTIN/TTOU rather than HUP: HUP would also re-read gunicorn.conf.py (a
config file being edited at that moment would stop the master) and reset a worker count
changed with TTIN/TTOU; TTIN/TTOU leave the configuration and the count alone.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import logging
import os
import select
import signal
import struct
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from flask import Flask, url_for

from workshop.catalogue import api_urls
from workshop.export import page_urls
from workshop.store import ContentStatus, ContentStore

if TYPE_CHECKING:
    from gunicorn.arbiter import Arbiter

logger = logging.getLogger(__name__)

# Niceness of the master's follower thread (0 is the workers'): visitors come first when the
# CPU is busy; an idle CPU is used all the same.
FOLLOWER_NICENESS = 10
# How long to wait for gunicorn to act on one step of a rollover before giving up on it.
STEP_TIMEOUT = 30.0
# Per-item calendars (one date, one session) are many and small: built on demand.
PER_ITEM_ARGUMENTS = frozenset({"item_id", "session_id"})


def flask_app_of(arbiter: Arbiter) -> Flask | None:
    """The Flask app gunicorn preloaded in its master (the ASGI front keeps it), or None."""
    served = getattr(arbiter.app, "callable", None)
    flask_app = getattr(served, "flask_app", served)
    return flask_app if isinstance(flask_app, Flask) else None


# Set in a master that follows the files; forked workers inherit it (see worker_booted).
_booted_pipe: BootedPipe | None = None


def follow_in_master(arbiter: Arbiter) -> None:
    """Called once the master is ready, before it forks its first workers (gunicorn's when_ready)."""
    global _booted_pipe  # noqa: PLW0603 (one per master, inherited by its forks)
    flask_app = flask_app_of(arbiter)
    store: ContentStore | None = flask_app.extensions.get("workshop.store") if flask_app else None
    if flask_app is None or store is None or not store.watch:
        # Not preloaded (each worker then follows the files itself), or the content is frozen.
        return
    _booted_pipe = BootedPipe()
    MasterFollower(arbiter, flask_app, store, _booted_pipe).start()


def worker_booted(worker: Any) -> None:
    """Called in each worker once it has booted (gunicorn's post_worker_init): tells the master.

    Also, under gunicorn's asgi worker, a worker told to stop (SIGTERM: retired by a rollover,
    or by gunicorn) stops accepting connections at once and finishes those it has; the worker
    would otherwise accept new ones, and serve them the old content, until its next one-second
    tick. Other worker classes (no event loop, no servers list) are left as they are.
    """
    if _booted_pipe is not None:
        _booted_pipe.announce()
    loop, servers = getattr(worker, "loop", None), getattr(worker, "servers", None)
    if loop is not None and isinstance(servers, list) and hasattr(worker, "handle_exit_signal"):

        def stop_accepting() -> None:
            worker.handle_exit_signal()
            for server in servers:
                server.close()

        loop.add_signal_handler(signal.SIGTERM, stop_accepting)


def visible_state(status: ContentStatus) -> tuple[Any, ...]:
    """What a worker serves and reports (every field of the status, the content by its version):
    a change of it replaces the workers. Holds no reference to the content itself."""
    return tuple(
        status.content.version if field.name == "content" else getattr(status, field.name)
        for field in dataclasses.fields(status)
    )


class MasterFollower:
    """The master's thread that follows the data files and replaces the workers on a change."""

    def __init__(self, arbiter: Arbiter, flask_app: Flask, store: ContentStore, booted_pipe: BootedPipe) -> None:
        self.arbiter = arbiter
        self.flask_app = flask_app
        self.store = store
        self.booted_pipe = booted_pipe
        # Held while the thread runs the app (prepares documents): a fork then would copy a
        # lock some library holds (Jinja's template cache...) into a child that never releases it.
        self.fork_guard = threading.Lock()

    def start(self) -> None:
        self.store.follow_for_forked_workers()
        # In the main thread, before any worker is forked: nothing else runs yet.
        started = time.perf_counter()
        count = prepare_documents(self.flask_app, self.store, guard=None)
        freeze_for_forks()
        self.arbiter.log.info(
            "Serving content version %s: %d documents prepared in %.1f s; workers follow the data files "
            "through this master.",
            self.store.content.version,
            count,
            time.perf_counter() - started,
        )
        os.register_at_fork(
            before=self.fork_guard.acquire,
            after_in_parent=self.fork_guard.release,
            after_in_child=self.fork_guard.release,
        )
        threading.Thread(target=self._follow, name="content-follower", daemon=True).start()

    def _follow(self) -> None:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), FOLLOWER_NICENESS)
        while True:
            time.sleep(self.store.poll_interval)
            try:
                self.check_once()
            except Exception:  # the follower must outlive any surprise, as the store's watcher does
                logger.exception("The content follower failed; it goes on.")

    def check_once(self) -> None:
        """Poll the files; on a change of what workers serve or report, prepare and replace them."""
        # Not the status itself: the old content must be freed before the workers are forked, or
        # its pages, freed later in the master, would be copied into each new worker.
        before = visible_state(self.store.status)
        before_version = self.store.content.version
        started = time.perf_counter()
        self.store.poll()
        status = self.store.status
        if visible_state(status) == before:
            return
        loaded = time.perf_counter()
        log = self.arbiter.log
        if status.content.version != before_version:
            count = prepare_documents(self.flask_app, self.store, guard=self.fork_guard)
            with self.fork_guard:
                freeze_for_forks()
            log.info(
                "Data files changed: now serving content version %s (loaded in %.1f s, %d documents prepared "
                "in %.1f s); replacing the workers.",
                status.content.version,
                loaded - started,
                count,
                time.perf_counter() - loaded,
            )
        else:
            log.warning(
                "Data files changed but are invalid (%d problem(s)); still serving content version %s; "
                "replacing the workers so that every one reports it.",
                len(status.problems),
                status.content.version,
            )
        replace_workers(self.arbiter, self.booted_pipe)
        log.info("Workers replaced in %.1f s after the change was found.", time.perf_counter() - started)


def warm_urls(app: Flask, store: ContentStore) -> Iterator[str]:
    """Every page and API document of the static export, but per-item calendars."""
    content = store.content
    with app.test_request_context():
        for endpoint, values in [*page_urls(app, content), *api_urls(content)]:
            if not PER_ITEM_ARGUMENTS & values.keys():
                yield url_for(endpoint, **values)


def prepare_documents(app: Flask, store: ContentStore, guard: threading.Lock | None) -> int:
    """Request every page and API document once through the app: the documents cache and the fast
    path keep them (with their gzipped copies) for every worker forked afterwards. Returns how many.

    ``guard`` is held for one document at a time: a fork waits for at most one.
    """
    client = app.test_client()
    urls = list(warm_urls(app, store))
    for url in urls:
        with guard or contextlib.nullcontext():
            status = client.get(url).status_code
        if status != 200:
            logger.warning("Preparing %s for the workers: the app answered %d.", url, status)
    return len(urls)


def freeze_for_forks() -> None:
    """Move every object the master holds out of the garbage collector's reach (gc.freeze).

    A collection in a worker would otherwise write to every object's header and copy the
    pages they share with the master. Unfrozen first, so that what the last version left
    behind is collected.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


# --- Replacing the workers --------------------------------------------------------


def _wait(condition: Callable[[], bool], what: str, timeout: float = STEP_TIMEOUT) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            logger.warning("Replacing the workers: gave up waiting for %s after %.0f s.", what, timeout)
            return False
        time.sleep(0.02)
    return True


def _workers(arbiter: Arbiter) -> dict[int, Any]:
    """A copy of the arbiter's workers by pid (the main thread changes the dict as it reaps and forks)."""
    while True:
        try:
            return dict(arbiter.WORKERS)
        except RuntimeError:  # changed while copied
            continue


def _signal(arbiter: Arbiter, signum: int, times: int) -> None:
    """Send gunicorn TTIN (one worker more) or TTOU (one fewer, the oldest) ``times`` times.

    Queued exactly as gunicorn's own signal handler queues a real signal, so none is lost
    (the same real signal sent twice in a row can arrive once).
    """
    for _ in range(times):
        arbiter.signal(signum, None)


class BootedPipe:
    """A pipe every worker forked by the master writes its pid to once it has booted (post_worker_init).

    The master reads it to know when the new workers of a rollover are up, without any
    knowledge of how gunicorn tracks its workers.
    """

    RECORD = struct.Struct("=q")

    def __init__(self) -> None:
        self.read_end, self.write_end = os.pipe()
        # A full pipe (nobody reading) must never block a worker: the master then waits until its timeout.
        os.set_blocking(self.write_end, False)
        os.set_blocking(self.read_end, False)

    def announce(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self.write_end, self.RECORD.pack(os.getpid()))

    def booted(self, timeout: float) -> set[int]:
        """The pids announced so far, waiting up to ``timeout`` seconds for the first."""
        found: set[int] = set()
        if select.select([self.read_end], [], [], timeout)[0]:
            with contextlib.suppress(BlockingIOError):
                data = os.read(self.read_end, 64 * 1024)
                usable = len(data) - len(data) % self.RECORD.size
                found.update(pid for (pid,) in self.RECORD.iter_unpack(data[:usable]))
        return found


def replace_workers(arbiter: Arbiter, booted_pipe: BootedPipe) -> None:
    """Fork as many new workers as there are, wait until they have booted, then retire the old ones."""
    old = set(_workers(arbiter))
    count = arbiter.num_workers
    booted_pipe.booted(0)  # forget earlier announcements (workers replaced for other reasons)
    _signal(arbiter, signal.SIGTTIN, count)
    # gunicorn's main loop handles the signals later: until it has, a worker it forked for another
    # reason (past max_requests) would pass for a new one, and the TTOUs below would be counted
    # before the TTINs, leaving one worker more for good.
    _wait(lambda: arbiter.num_workers >= 2 * count, "gunicorn to take the new worker count")
    new: set[int] = set()

    def all_forked() -> bool:
        new.update(pid for pid in _workers(arbiter) if pid not in old)
        return len(new) >= count

    _wait(all_forked, "the new workers to be forked")
    booted: set[int] = set()
    deadline = time.monotonic() + STEP_TIMEOUT
    while not new <= booted | _gone(arbiter, new) and time.monotonic() < deadline:
        booted |= booted_pipe.booted(0.1)
    # Back to the count the rollover started from (unless someone changed it meanwhile): gunicorn
    # retires the oldest workers first. Waited for, so that the next rollover counts right.
    _signal(arbiter, signal.SIGTTOU, max(0, arbiter.num_workers - count))
    _wait(lambda: arbiter.num_workers <= count, "gunicorn to retire the old workers")


def _gone(arbiter: Arbiter, pids: set[int]) -> set[int]:
    """Those of ``pids`` gunicorn no longer counts as its workers (one that failed to boot, say)."""
    return pids - set(_workers(arbiter))
