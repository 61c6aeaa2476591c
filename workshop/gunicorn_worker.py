"""gunicorn's asgi worker with the connection limits a public server needs.

gunicorn's own asgi worker holds a connection that never sends a request for as long
as the client likes, and accepts connections until the process runs out of file
descriptors (then the content watcher, the logs and every new visitor fail). This
worker, like nginx:

- closes a connection that has not sent complete request headers within
  ``WORKSHOP_HEADER_TIMEOUT`` seconds (default 10); a kept-alive connection idle between
  requests is closed by gunicorn's ``keepalive`` as before;
- holds at most ``connection_cap()`` connections (gunicorn's ``worker_connections``,
  lowered to what the file limit leaves once the app's own files are counted). It
  accepts connections itself, so it never accepts one more than that: at the cap it
  closes the connection that has waited longest for a request to make room (nginx's
  "reusable connections"), and when every connection is busy with a request it stops
  accepting until one ends; the kernel queues newcomers, or another worker takes them.

The connection itself is gunicorn's ASGIProtocol, subclassed for the timer and the
bookkeeping, and writing the fast path's answers itself (workshop/prepared_http1.py);
everything else (HTTP parsing, keep-alive, shutdown) is gunicorn's.
"""

from __future__ import annotations

import asyncio
import os
import resource
import socket
import ssl
from collections.abc import Callable
from typing import Any

from gunicorn.workers.gasgi import ASGIWorker

from workshop.prepared_http1 import PreparedRepliesProtocol

HEADER_TIMEOUT_ENV = "WORKSHOP_HEADER_TIMEOUT"
DEFAULT_HEADER_TIMEOUT = 10.0
# Files a worker needs besides its connections: standard streams, logs, the listening
# sockets, the event loop's own descriptors, data and template files the watcher and
# Flask's threads open, a file being sent, Redis connections. A quarter of the limit
# and never less than 64: a file limit of 1,024 (systemd's default) leaves 768 connections.
MIN_FILE_RESERVE = 64
# Set in the environ gunicorn builds for the access log (workshop/accesslog.py).
CLIENT_GONE = "workshop.client_gone"
# Connections accepted per wake-up of a listening socket, at most (one at the cap).
ACCEPT_BATCH = 16
# How often the worker reports what it closed, at most (seconds).
REPORT_INTERVAL = 60.0


def connection_cap(soft_file_limit: int) -> int:
    """Connections one worker may hold and still open the files the app needs."""
    return max(soft_file_limit - max(MIN_FILE_RESERVE, soft_file_limit // 4), 1)


def header_timeout() -> float:
    value = os.environ.get(HEADER_TIMEOUT_ENV, "")
    if not value:
        return DEFAULT_HEADER_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise ValueError(f"{HEADER_TIMEOUT_ENV} must be a number of seconds above 0, not {value!r}.")
    return seconds


class ConnectionGate:
    """One worker's connections: how many are open, which wait for a request, and accepting."""

    def __init__(self, loop: asyncio.AbstractEventLoop, cap: int, header_timeout: float) -> None:
        self.loop = loop
        self.cap = cap
        self.header_timeout = header_timeout
        # Accepted and not yet lost; counted from the accept, before gunicorn counts them.
        self.open = 0
        # Connections waiting for request headers (a first request or the next one),
        # oldest first: the ones the gate may close to make room.
        self.waiting: dict[SiteProtocol, None] = {}
        self.listeners: list[Listener] = []
        self.paused = False
        self.closing = False
        # Since the last report.
        self.timed_out = 0
        self.made_room = 0

    def wait_for_request(self, connection: SiteProtocol) -> None:
        self.waiting.pop(connection, None)
        self.waiting[connection] = None  # newest last
        if self.paused:
            self.resume()  # a connection can be closed for a newcomer again

    def serve_request(self, connection: SiteProtocol) -> None:
        self.waiting.pop(connection, None)

    def lost(self, connection: SiteProtocol) -> None:
        self.waiting.pop(connection, None)
        self.open -= 1
        if self.paused:
            self.resume()

    def make_room(self) -> None:
        """Close the connection that has waited longest for a request."""
        oldest = next(iter(self.waiting))
        del self.waiting[oldest]
        self.made_room += 1
        oldest.close_between_requests()

    def pause(self) -> None:
        self.paused = True
        for listener in self.listeners:
            listener.stop_reading()

    def resume(self) -> None:
        if self.closing:
            return
        self.paused = False
        for listener in self.listeners:
            listener.start_reading()

    def close(self) -> None:
        """Shutting down: accept nothing more, and close the connections waiting for a request."""
        self.closing = True
        for listener in self.listeners:
            listener.stop_reading()
        for connection in list(self.waiting):
            connection.close_between_requests()
        self.waiting.clear()


class Listener:
    """Accepts connections from one listening socket while the gate has room for them.

    Stands in for the asyncio server gunicorn would create (its ``close`` and
    ``wait_closed`` are what gunicorn's shutdown calls).
    """

    def __init__(
        self,
        gate: ConnectionGate,
        sock: socket.socket,
        protocol_factory: Callable[[], SiteProtocol],
        ssl_context: ssl.SSLContext | None,
    ) -> None:
        self.gate = gate
        self.sock = sock
        self.protocol_factory = protocol_factory
        self.ssl_context = ssl_context
        self.reading = False
        self.starting: set[asyncio.Task[Any]] = set()
        sock.setblocking(False)

    def start_reading(self) -> None:
        if not self.reading:
            self.reading = True
            self.gate.loop.add_reader(self.sock.fileno(), self.accept)

    def stop_reading(self) -> None:
        if self.reading:
            self.reading = False
            self.gate.loop.remove_reader(self.sock.fileno())

    def accept(self) -> None:
        gate = self.gate
        for _ in range(ACCEPT_BATCH):
            # A connection closed to make room holds its file until the loop reports it
            # lost: accept nothing until then, so the worker never exceeds cap + 1 files.
            if gate.open > gate.cap:
                return
            at_cap = gate.open == gate.cap
            if at_cap and not gate.waiting:
                gate.pause()  # every connection is in a request: resume when one ends or idles
                return
            try:
                connection, _address = self.sock.accept()
            except (BlockingIOError, InterruptedError, ConnectionAbortedError):
                return  # another worker took it, or the client gave up
            except OSError as error:
                # Out of files anyway (another process's share of a system limit): retry
                # in a second rather than spin, as asyncio's own server does.
                gate.loop.call_exception_handler({"message": "Could not accept a connection", "exception": error})
                self.stop_reading()
                gate.loop.call_later(1.0, self.retry)
                return
            if at_cap:
                gate.make_room()
            gate.open += 1
            task = gate.loop.create_task(self.start(connection))
            self.starting.add(task)
            task.add_done_callback(self.starting.discard)

    def retry(self) -> None:
        if not (self.gate.closing or self.gate.paused):
            self.start_reading()

    async def start(self, connection: socket.socket) -> None:
        try:
            await self.gate.loop.connect_accepted_socket(self.protocol_factory, connection, ssl=self.ssl_context)
        except Exception:  # e.g. a TLS handshake that failed: the connection never started
            connection.close()
            self.gate.open -= 1

    def close(self) -> None:
        self.stop_reading()

    async def wait_closed(self) -> None:
        return None


class SiteProtocol(PreparedRepliesProtocol):
    """gunicorn's HTTP connection, with the header timeout and the gate's bookkeeping
    (and the fast path's answers written directly: workshop/prepared_http1.py)."""

    def __init__(self, worker: SiteWorker) -> None:
        super().__init__(worker)
        self.gate = worker.gate
        self.header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        self.header_timer = self.gate.loop.call_later(self.gate.header_timeout, self.headers_too_late)
        self.gate.wait_for_request(self)

    def _on_headers_complete(self) -> bool:
        if self.header_timer is not None:
            self.header_timer.cancel()
            self.header_timer = None
        self.gate.serve_request(self)
        return super()._on_headers_complete()

    def _arm_keepalive_timer(self) -> None:
        # Called when a kept-alive connection starts waiting for its next request.
        super()._arm_keepalive_timer()
        if not self._closed:
            self.gate.wait_for_request(self)

    def connection_lost(self, exc: Exception | None) -> None:
        first = not self._conn_lost_handled
        super().connection_lost(exc)
        if first:
            if self.header_timer is not None:
                self.header_timer.cancel()
                self.header_timer = None
            self.gate.lost(self)

    def headers_too_late(self) -> None:
        # Like nginx's client_header_timeout: closed without an answer (a slow client
        # that would read one is rare; one that holds connections open would not).
        self.header_timer = None
        self.gate.timed_out += 1
        self.gate.serve_request(self)
        self.close_between_requests()

    def close_between_requests(self) -> None:
        self._close_transport()
        if self.transport is not None:
            # At once, with its file: a client that stopped reading the last response would
            # otherwise keep the connection (and the gate over its cap) until it drains.
            self.transport.abort()
        if self._request_ready is not None:
            # Wake the connection's task so it sees the close, as gunicorn's keep-alive timeout does.
            self._request_ready.set()

    def _build_environ(self, request: Any, sockname: Any, peername: Any) -> dict[str, Any]:
        """What the access log needs, without gunicorn's copy of every header (the logger
        reads them from the request), and whether the client left before the log line."""
        return {
            "REQUEST_METHOD": request.method,
            "RAW_URI": request.uri,
            "PATH_INFO": request.path,
            "QUERY_STRING": request.query or "",
            "SERVER_PROTOCOL": "HTTP/%d.%d" % request.version,  # noqa: UP031 (a tuple of two)
            "REMOTE_ADDR": peername[0] if peername else "-",
            CLIENT_GONE: self._conn_lost_handled,
        }


class SiteWorker(ASGIWorker):
    """gunicorn's asgi worker, accepting through a ConnectionGate."""

    gate: ConnectionGate

    def init_process(self) -> None:
        soft_limit, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        self.cap_for_files = connection_cap(soft_limit) if soft_limit != resource.RLIM_INFINITY else None
        self.header_timeout = header_timeout()
        super().init_process()

    async def _serve(self) -> None:
        cap = self.worker_connections
        if self.cap_for_files is not None and self.cap_for_files < cap:
            cap = self.cap_for_files
        self.gate = ConnectionGate(self.loop, cap, self.header_timeout)
        await self.start_lifespan()
        ssl_context = self._get_ssl_context()
        for sock in self.sockets:
            listener = Listener(self.gate, sock.sock, lambda: SiteProtocol(self), ssl_context)
            self.gate.listeners.append(listener)
            self.servers.append(listener)
            listener.start_reading()
            self.log.info("Listening on %s, at most %d connections", sock, cap)
        reported_at = self.loop.time()
        while self.alive:
            self.notify()
            if self.ppid != os.getppid():
                self.log.info("Parent changed, shutting down: %s", self)
                break
            if self.loop.time() - reported_at >= REPORT_INTERVAL:
                reported_at = self.loop.time()
                self.report_closed()
            await asyncio.sleep(1.0)
        self.report_closed()
        self.gate.close()
        await self._shutdown()

    def report_closed(self) -> None:
        gate = self.gate
        if gate.timed_out:
            self.log.warning(
                "Closed %d connections that sent no complete request headers within %g s",
                gate.timed_out,
                gate.header_timeout,
            )
        if gate.made_room:
            self.log.warning(
                "At the cap of %d connections: closed %d waiting for a request to accept new ones",
                gate.cap,
                gate.made_room,
            )
        gate.timed_out = gate.made_room = 0

    async def start_lifespan(self) -> None:
        """The ASGI lifespan start-up, with gunicorn's rules ("on": a failure stops the
        worker; "auto": an app without lifespan support is served anyway)."""
        mode = self.cfg.asgi_lifespan
        if mode == "off":
            return
        from gunicorn.arbiter import Arbiter
        from gunicorn.asgi.lifespan import LifespanManager, LifespanStartupFailed

        self.lifespan = LifespanManager(self.asgi, self.log, self.state)
        try:
            await self.lifespan.startup()
        except Exception as error:
            self.lifespan = None
            if mode == "on" or isinstance(error, LifespanStartupFailed):
                self.log.error("ASGI lifespan startup failed: %s", error)
                raise SystemExit(Arbiter.WORKER_BOOT_ERROR) from error
            self.log.debug("ASGI lifespan not supported by app: %s", error)
