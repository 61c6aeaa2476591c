"""replace_workers (workshop/rollover.py) against a stand-in for gunicorn's arbiter.

The stand-in keeps gunicorn's contract: signals are queued and its main loop handles
them later; TTIN and TTOU change the worker count and fork or retire the oldest. The
real arbiter is exercised in tests/test_rollover.py; here the timing that broke it
once is made certain.
"""

from __future__ import annotations

import itertools
import os
import queue
import signal
import threading
import time
from typing import Any

from workshop.rollover import BootedPipe, replace_workers


class StandInArbiter:
    """Handles its signal queue in a thread of its own, ``delay`` seconds after each signal arrives."""

    def __init__(self, workers: int, pipe: AnnouncingPipe, delay: float) -> None:
        self.pids = itertools.count(1000)
        self.pipe = pipe
        self.delay = delay
        self.num_workers = workers
        self.WORKERS: dict[int, Any] = {}
        self.SIG_QUEUE: queue.SimpleQueue[int] = queue.SimpleQueue()
        self.signals: list[int] = []
        self.max_requests_replacements = 0
        for _ in range(workers):
            self.spawn()
        self.running = True
        self.loop = threading.Thread(target=self.run, daemon=True)
        self.loop.start()

    def spawn(self) -> int:
        pid = next(self.pids)
        self.WORKERS[pid] = pid  # the age: pids only grow
        self.pipe.write(pid)
        return pid

    def signal(self, signum: int, frame: object) -> None:
        self.signals.append(signum)
        if self.max_requests_replacements:
            # A worker past max_requests is replaced at that moment, before the queue is handled.
            self.max_requests_replacements -= 1
            self.WORKERS.pop(min(self.WORKERS))
            self.spawn()
        self.SIG_QUEUE.put(signum)

    def run(self) -> None:
        while self.running:
            try:
                signum = self.SIG_QUEUE.get(timeout=0.05)
            except queue.Empty:
                continue
            time.sleep(self.delay)
            if signum == signal.SIGTTIN:
                self.num_workers += 1
            elif self.num_workers > 1:
                self.num_workers -= 1
            while len(self.WORKERS) < self.num_workers:
                self.spawn()
            while len(self.WORKERS) > self.num_workers:
                self.WORKERS.pop(min(self.WORKERS))

    def settle(self) -> None:
        deadline = time.monotonic() + 10
        while not self.SIG_QUEUE.empty() and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(self.delay + 0.1)
        self.running = False
        self.loop.join(timeout=10)


class AnnouncingPipe(BootedPipe):
    """Announces a pid of its choosing: the stand-in's workers are not processes."""

    def write(self, pid: int) -> None:
        os.write(self.write_end, self.RECORD.pack(pid))


def test_a_worker_replaced_past_max_requests_during_a_rollover_leaves_the_worker_count_alone() -> None:
    # It used to count the max_requests replacement as the new worker and send no TTOU, as
    # gunicorn had not handled the TTIN yet: one worker more, for good.
    pipe = AnnouncingPipe()
    arbiter = StandInArbiter(workers=1, pipe=pipe, delay=0.2)
    first = set(arbiter.WORKERS)
    arbiter.max_requests_replacements = 1
    replace_workers(arbiter, pipe)  # type: ignore[arg-type]
    arbiter.settle()
    assert arbiter.num_workers == 1
    assert len(arbiter.WORKERS) == 1
    assert not first & set(arbiter.WORKERS), "the worker that served the old content is still there"


def test_a_rollover_of_three_workers_forks_three_and_retires_the_three_old_ones() -> None:
    pipe = AnnouncingPipe()
    arbiter = StandInArbiter(workers=3, pipe=pipe, delay=0.05)
    old = set(arbiter.WORKERS)
    replace_workers(arbiter, pipe)  # type: ignore[arg-type]
    arbiter.settle()
    assert arbiter.num_workers == 3
    assert len(arbiter.WORKERS) == 3
    assert not old & set(arbiter.WORKERS)
    assert arbiter.signals == [signal.SIGTTIN] * 3 + [signal.SIGTTOU] * 3
