"""Flask in threads behind the event loop, where no thread ever waits on a visitor.

a2wsgi runs each request that reaches Flask in a thread, and queues what the app
sends for the event loop to write. Two changes to it:

- Files the app sends (``send_file``: static files, photos) come through
  ``wsgi.file_wrapper``. Flask still decides the whole answer (status, headers, 304,
  416, the range of a 206); then the thread hands the open file to the event loop and
  is free. The loop sends the bytes as fast as the client takes them (awaiting each
  send), reads them a chunk at a time in a reader thread, and stops as soon as the
  client leaves.
- A thread never waits for good on a client that left. When the request ends (the
  server cancels it once the connection is gone), a thread still waiting to queue part
  of its answer is released at once. Before, it waited on a full queue nobody read any
  more, and ten abandoned downloads blocked every thread of a worker.

Built on a2wsgi's own classes (pinned in requirements.txt): check these overrides
when upgrading it.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from a2wsgi.wsgi import WSGIMiddleware, WSGIResponder
from werkzeug.datastructures import Headers
from werkzeug.http import parse_content_range_header
from werkzeug.wsgi import FileWrapper

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

    from workshop.asgi import Message, Receive, Scope, Send

# Bytes read and sent at a time: the size of an asyncio transport's write buffer limit.
CHUNK_SIZE = 64 * 1024
# Reading a chunk of a file never waits on a client: a few threads serve every download.
READER_THREADS = 2


class LoopFile(FileWrapper):
    """``wsgi.file_wrapper``: a file the event loop may take over (else read in the thread as usual)."""

    def __init__(self, file: IO[bytes], buffer_size: int = 8192) -> None:
        super().__init__(file, buffer_size)
        self.taken = False

    def close(self) -> None:
        # Once taken, the file is the event loop's, which closes it when the request ends.
        if not self.taken:
            super().close()


@dataclass
class FileBody:
    """A response body the event loop sends: ``length`` bytes of a file from ``start`` (None: to its end).

    Once queued for the event loop, the file is the loop's to close (``close``), whatever happens.
    """

    wrapper: LoopFile
    start: int
    length: int | None
    # The read running in a reader thread, if any: the file is closed only once it is done.
    reading: Future[bytes] | None = None

    def close(self) -> None:
        file = self.wrapper.file
        if self.reading is None:
            file.close()
        else:
            # Never under a read still running in its thread (a cancelled wait does not stop it).
            self.reading.add_done_callback(lambda _done: file.close())


def file_body(iterable: Iterable[bytes], status: str, headers: list[tuple[str, str]]) -> FileBody | None:
    """The body to send from the event loop, when the app's answer is a file it opened through LoopFile.

    A 200 is the whole file (Content-Length long); a 206 is the one range its Content-Range
    names (werkzeug wraps the file in its range iterator, which keeps it as ``iterable``).
    """
    wrapper = iterable if isinstance(iterable, LoopFile) else getattr(iterable, "iterable", None)
    if not isinstance(wrapper, LoopFile):
        return None
    code = status.split(" ", 1)[0]
    fields = Headers(headers)
    if code == "200" and wrapper is iterable:
        return FileBody(wrapper, wrapper.tell() or 0, fields.get("Content-Length", type=int))
    if code == "206" and wrapper is not iterable:
        content_range = parse_content_range_header(fields.get("Content-Range"))
        if content_range is not None and content_range.units == "bytes" and content_range.start is not None:
            return FileBody(wrapper, content_range.start, content_range.stop - content_range.start)
    return None


def _read_at(file: IO[bytes], offset: int, size: int) -> bytes:
    file.seek(offset)
    return file.read(size)


async def send_file(body: FileBody, send: Send, readers: ThreadPoolExecutor) -> None:
    """Send the file's bytes as fast as the client takes them (``more_body`` stays true)."""
    file = body.wrapper.file
    offset, left = body.start, body.length
    while left is None or left > 0:
        body.reading = readers.submit(_read_at, file, offset, CHUNK_SIZE if left is None else min(CHUNK_SIZE, left))
        chunk = await asyncio.wrap_future(body.reading)
        if not chunk:
            # The file got shorter since Flask looked at it: the response ends short and
            # the server, which knows its Content-Length, closes the connection.
            return
        offset += len(chunk)
        left = None if left is None else left - len(chunk)
        await send({"type": "http.response.body", "body": chunk, "more_body": True})


async def client_left(receive: Receive) -> None:
    """Return once the client has closed its connection (ASGI's ``http.disconnect``)."""
    message = await receive()
    while message["type"] == "http.request" and message.get("more_body", False):
        message = await receive()  # the rest of a request body nobody reads
    if message["type"] != "http.disconnect":
        # The whole request is in: a server's next message is http.disconnect, when it comes.
        message = await receive()
    if message["type"] != "http.disconnect":
        await asyncio.Future()  # a server that does not say so: wait until the file is sent


class _Responder(WSGIResponder):
    """One request: a2wsgi's, with files sent from the event loop and no thread left waiting."""

    def __init__(
        self, app: WSGIApplication, executor: ThreadPoolExecutor, send_queue_size: int, readers: ThreadPoolExecutor
    ) -> None:
        super().__init__(app, executor, send_queue_size)
        self.readers = readers
        self.receive: Receive | None = None
        # Set in the event loop when the request is over: nothing more can be queued.
        self.finished = False
        self.queueing: set[asyncio.Task[None]] = set()
        # Every file opened through wsgi.file_wrapper (the thread closes those it keeps),
        # and the bodies handed to the event loop (which closes them when the request ends).
        self.files: list[LoopFile] = []
        self.handed: list[FileBody] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.receive = receive
        try:
            await super().__call__(scope, receive, send)
        finally:
            # Also when cancelled because the client left: release a thread waiting to queue.
            self.finished = True
            for task in self.queueing:
                task.cancel()
            for body in self.handed:
                body.close()

    # --- In the app's thread ---

    def send(self, message: Message | FileBody | None) -> None:
        """Queue a message for the event loop; raises CancelledError once the request is over."""
        asyncio.run_coroutine_threadsafe(self._queue(message), loop=self.loop).result()

    def _wrap_file(self, file: IO[bytes], buffer_size: int = 8192) -> LoopFile:
        wrapper = LoopFile(file, buffer_size)
        self.files.append(wrapper)
        return wrapper

    def wsgi(self, environ: WSGIEnvironment, start_response: StartResponse) -> None:
        environ["wsgi.file_wrapper"] = self._wrap_file
        answer: dict[str, Any] = {"status": "", "headers": []}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], object]:
            answer["status"], answer["headers"] = status, headers
            return start_response(status, headers, exc_info)

        iterable: Iterable[bytes] = ()
        try:
            iterable = self.app(environ, capture)
            body = file_body(iterable, answer["status"], answer["headers"])
            if body is not None:
                self.send(body)
            else:
                for chunk in iterable:
                    self.send({"type": "http.response.body", "body": chunk, "more_body": True})
            self.send({"type": "http.response.body", "body": b""})
        finally:
            getattr(iterable, "close", lambda: None)()
            for wrapper in self.files:
                wrapper.close()  # those not handed to the event loop (HEAD, 304, ...)

    # --- In the event loop ---

    async def _queue(self, message: Message | FileBody | None) -> None:
        if self.finished:
            raise asyncio.CancelledError
        if isinstance(message, FileBody):
            message.wrapper.taken = True
            self.handed.append(message)
        task: asyncio.Task[None] = asyncio.current_task()
        self.queueing.add(task)
        try:
            await self.send_queue.put(message)
        finally:
            self.queueing.discard(task)

    async def sender(self, send: Send) -> None:
        while True:
            message = await self.send_queue.get()
            if message is None:
                break
            if isinstance(message, FileBody):
                await self._send_file(message, send)
            else:
                await send(message)
            self.send_queue.task_done()

    async def _send_file(self, body: FileBody, send: Send) -> None:
        assert self.receive is not None
        sending = asyncio.ensure_future(send_file(body, send, self.readers))
        leaving = asyncio.ensure_future(client_left(self.receive))
        try:
            await asyncio.wait((sending, leaving), return_when=asyncio.FIRST_COMPLETED)
        finally:
            # A client that left may leave a send waiting for room that never comes: stop it.
            leaving.cancel()
            sending.cancel()
        if sending.done() and not sending.cancelled():
            sending.result()  # its error, if any


class FlaskBridge(WSGIMiddleware):
    """ASGI application running a WSGI app (Flask) in ``workers`` threads, files sent from the event loop."""

    def __init__(self, app: WSGIApplication, workers: int) -> None:
        super().__init__(app, workers=workers)
        self.readers = ThreadPoolExecutor(max_workers=READER_THREADS, thread_name_prefix="file-read")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            responder = _Responder(self.app, self.executor, self.send_queue_size, self.readers)
            await responder(scope, receive, send)
            return
        # Lifespan and websocket scopes: a2wsgi completes the one and refuses the other.
        await super().__call__(scope, receive, send)
