"""gunicorn's logger with an access log production can afford.

gunicorn formats every access line on the request path (a dictionary of every header
and environ value, then a write and a flush per line): with it on, the site served
about 45 % fewer requests. Here a request only queues what its line needs; a thread
formats the queued lines every second (WORKSHOP_ACCESS_LOG_FLUSH_INTERVAL; sooner after
BATCH_LINES) and writes them in one go through gunicorn's own handlers (so ``accesslog``,
log rotation's USR1 and ``logconfig`` work as before). Lines left at exit are written then.

Formats (gunicorn's ``access_log_format``, GUNICORN_ACCESS_LOG_FORMAT in gunicorn.conf.py):
``combined`` (the default) is Apache's/nginx's combined log format,
``%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"``; ``json`` writes one JSON
object per line (time, remote_addr, method, uri, protocol, status, bytes, referer,
user_agent, duration_ms). A client that left before its response was complete is
logged with status 499, as nginx logs it.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import threading
import time
from collections import deque
from typing import Any

from gunicorn.glogging import Logger

from workshop.gunicorn_worker import CLIENT_GONE

FORMATS = ("combined", "json")
# gunicorn's default access_log_format, which is the combined format.
GUNICORN_COMBINED = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'
encode_string = json.encoder.encode_basestring_ascii  # a JSON string literal, ASCII only
CLIENT_CLOSED_REQUEST = 499  # nginx's status for a client that left before its response
# Seconds the file may lag behind (nginx's access_log flush=); WORKSHOP_ACCESS_LOG_FLUSH_INTERVAL.
FLUSH_INTERVAL_ENV = "WORKSHOP_ACCESS_LOG_FLUSH_INTERVAL"
DEFAULT_FLUSH_INTERVAL = 1.0
# Written sooner once this many lines wait.
BATCH_LINES = 500
# Lines queued at most: a disk that stops taking writes costs lines, not memory.
MAX_QUEUED = 200_000
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# What a quoted field of the combined format cannot hold as it is: quotes and
# backslashes escaped, other control and non-ASCII characters as \xhh (as Apache does).
_ESCAPES = {code: f"\\x{code:02x}" for code in [*range(0x20), *range(0x7F, 0x100)]}
_ESCAPES[ord('"')] = '\\"'
_ESCAPES[ord("\\")] = "\\\\"


def escape(text: str) -> str:
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return text
    if max(text) > "\xff":
        text = text.encode("utf-8").decode("latin-1")
    return text.translate(_ESCAPES)


class AccessRecord:
    """What one request's line needs, taken on the request path without formatting.

    Only these few values are kept (not the request or response objects, which the
    queue would otherwise hold until the next write).
    """

    __slots__ = ("agent", "at", "duration", "method", "referer", "remote_addr", "sent", "status", "uri", "version")

    def __init__(self, at: float, response: Any, request: Any, environ: Any, duration: Any) -> None:
        self.at = at
        self.remote_addr = environ.get("REMOTE_ADDR") or "-"
        self.method = request.method
        self.uri = request.uri
        self.version = request.version
        self.sent = response.sent or 0
        self.duration = duration.seconds + duration.microseconds / 1_000_000
        self.referer: str | bytes = "-"
        self.agent: str | bytes = "-"
        raw = getattr(request, "headers_bytes", None)
        if raw is not None:  # the asgi worker's request: its bytes, not decoded copies of every header
            for name, value in raw:
                if len(name) == 7 and name.lower() == b"referer":
                    self.referer = value
                elif len(name) == 10 and name.lower() == b"user-agent":
                    self.agent = value
        else:
            for name, text in request.headers:  # WSGI workers: (UPPER-CASE name, value)
                if name == "REFERER":
                    self.referer = text
                elif name == "USER-AGENT":
                    self.agent = text
        status = response.status
        if environ.get(CLIENT_GONE) and not response_complete(response, request.method):
            status = CLIENT_CLOSED_REQUEST
        self.status: int | str = status


def text(value: str | bytes) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


def response_complete(response: Any, method: str) -> bool:
    """Whether the whole response was written (for a request whose client left)."""
    headers = response.headers
    if not headers:
        return False  # never started: the app was still working when the client left
    status = response.status if isinstance(response.status, int) else int(str(response.status).split()[0])
    if status in (204, 304) or method == "HEAD":
        return True
    for name, value in headers:
        if name.lower() in (b"content-length", "content-length"):
            try:
                return response.sent >= int(value)
            except ValueError:
                return False
    return False


class LocalTime:
    """Formats timestamps, each second's text computed once (a batch shares most)."""

    def __init__(self) -> None:
        self.second = -1
        self.clf = ""
        self.iso = ""

    def at(self, at: float) -> LocalTime:
        second = int(at)
        if second != self.second:
            self.second = second
            moment = time.localtime(second)
            offset = moment.tm_gmtoff or 0
            sign = "-" if offset < 0 else "+"
            hours, minutes = divmod(abs(offset) // 60, 60)
            clock = f"{moment.tm_hour:02d}:{moment.tm_min:02d}:{moment.tm_sec:02d}"
            day, month, year = moment.tm_mday, moment.tm_mon, moment.tm_year
            self.clf = f"{day:02d}/{MONTHS[month - 1]}/{year}:{clock} {sign}{hours:02d}{minutes:02d}"
            self.iso = f"{year}-{month:02d}-{day:02d}T{clock}{sign}{hours:02d}:{minutes:02d}"
        return self


def combined_line(record: AccessRecord, clock: LocalTime) -> str:
    status = record.status
    if not isinstance(status, int):
        status = str(status).split(None, 1)[0]  # WSGI workers: "200 OK"
    major, minor = record.version
    request_line = escape(f"{record.method} {record.uri} HTTP/{major}.{minor}")
    return (
        f'{record.remote_addr} - - [{clock.at(record.at).clf}] "{request_line}" {status} {record.sent or "-"} '
        f'"{escape(text(record.referer))}" "{escape(text(record.agent))}"\n'
    )


def json_line(record: AccessRecord, clock: LocalTime) -> str:
    """One JSON object, written out directly: json.dumps of a dict costs
    twice as much, and the writer shares the worker's processor."""
    status = record.status
    if not isinstance(status, int):
        status = int(str(status).split(None, 1)[0])  # WSGI workers: "200 OK"
    iso = clock.at(record.at).iso
    milliseconds = int((record.at % 1) * 1000)
    major, minor = record.version
    return (
        f'{{"time":"{iso[:19]}.{milliseconds:03d}{iso[19:]}","remote_addr":{encode_string(record.remote_addr)},'
        f'"method":{encode_string(record.method)},"uri":{encode_string(record.uri)},'
        f'"protocol":"HTTP/{major}.{minor}","status":{status},"bytes":{record.sent},'
        f'"referer":{encode_string(text(record.referer))},"user_agent":{encode_string(text(record.agent))},'
        f'"duration_ms":{round(record.duration * 1000, 3)}}}\n'
    )


class BatchedAccessLogger(Logger):
    """gunicorn's Logger; access lines are queued, then formatted and written by a thread."""

    def __init__(self, cfg: Any) -> None:
        self.queued: deque[AccessRecord] = deque()
        self.dropped = 0
        self.wake = threading.Event()
        self.write_lock = threading.Lock()
        self.writer: threading.Thread | None = None
        # Threads do not survive fork: each worker starts its own writer on its first line.
        os.register_at_fork(after_in_child=self.forget_writer)
        super().__init__(cfg)

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        chosen = cfg.access_log_format
        if chosen == GUNICORN_COMBINED:
            chosen = "combined"
        if chosen not in FORMATS:
            raise RuntimeError(
                f"access_log_format (GUNICORN_ACCESS_LOG_FORMAT) must be one of {', '.join(FORMATS)}, not {chosen!r}."
            )
        self.line = combined_line if chosen == "combined" else json_line
        interval = os.environ.get(FLUSH_INTERVAL_ENV) or str(DEFAULT_FLUSH_INTERVAL)
        try:
            self.flush_interval = float(interval)
        except ValueError:
            self.flush_interval = 0.0
        if not self.flush_interval > 0:
            raise RuntimeError(f"{FLUSH_INTERVAL_ENV} must be a number of seconds above 0, not {interval!r}.")
        self.clock = LocalTime()

    def forget_writer(self) -> None:
        self.writer = None
        self.queued.clear()
        self.wake = threading.Event()
        self.write_lock = threading.Lock()

    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        if not self.access_log_enabled:
            return
        if self.writer is None:
            self.start_writer()
        queued = self.queued
        if len(queued) >= MAX_QUEUED:
            self.dropped += 1
            return
        queued.append(AccessRecord(time.time(), resp, req, environ, request_time))
        if len(queued) == BATCH_LINES:
            self.wake.set()

    def start_writer(self) -> None:
        self.writer = threading.Thread(target=self.write_every_interval, name="access-log", daemon=True)
        self.writer.start()
        atexit.register(self.write_queued)

    def write_every_interval(self) -> None:
        while True:
            self.wake.wait(self.flush_interval)
            self.wake.clear()
            self.write_queued()

    def write_queued(self) -> None:
        """Format what is queued and write it: one write per handler and batch."""
        with self.write_lock:
            lines = []
            queued = self.queued
            line = self.line
            while queued:
                record = queued.popleft()
                try:
                    lines.append(line(record, self.clock))
                except Exception:
                    self.exception("Could not format an access log line")
            if self.dropped:
                self.error("Access log: %d lines dropped, the log could not be written fast enough", self.dropped)
                self.dropped = 0
            if lines:
                self.emit("".join(lines))

    def emit(self, text: str) -> None:
        for handler in self.access_log.handlers:
            # Plain streams and files only: other handlers (rotation, syslog) get line by line.
            if type(handler) in (logging.StreamHandler, logging.FileHandler):
                # The batch as one write; the handler's lock is what USR1's reopen takes.
                with handler.lock:  # type: ignore[union-attr]
                    stream = handler.stream
                    if stream is None:
                        continue
                    try:
                        stream.write(text)
                        stream.flush()
                    except OSError:
                        self.exception("Could not write the access log")
            else:
                log = self.access_log
                for one_line in text.splitlines():
                    handler.handle(log.makeRecord(log.name, logging.INFO, "", 0, one_line, (), None))
