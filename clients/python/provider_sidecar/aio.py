"""The asyncio client: many concurrent requests multiplexed over one connection.

One reader task routes frames by request id to per-request queues. Cancelling the task that awaits a
stream, or leaving an `async for` early, sends `cancel` for that request.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any, AsyncIterator, Dict, Generator, Optional

from . import _requests
from ._framing import DEFAULT_MAX_FRAME, SERVER_TYPES, UNBOUNDED, FrameDecoder, FramingError, decode_payload
from ._requests import Effort, Messages, ThinkingConfig
from .client import CLIENT_NAME
from .connection import connect_error, default_socket_path, frame_for
from .errors import (
    ProtocolError,
    RequestCancelledError,
    SidecarConnectionError,
    SidecarError,
    error_from_frame,
    is_duplicate_id,
)
from .types import Chunk, Result

_CLOSED = object()


class AsyncClient:
    """`async with AsyncClient() as client:`; connects on first use if not entered."""

    def __init__(self, path: Optional[str] = None, *, client_name: str = CLIENT_NAME) -> None:
        self.path = path or default_socket_path()
        self.client_name = client_name
        #: The sidecar's `hello` reply, once connected.
        self.server_hello: Dict[str, Any] = {}
        self._max_frame = DEFAULT_MAX_FRAME
        self._ids = itertools.count(1)
        self._queues: Dict[str, "asyncio.Queue[Any]"] = {}
        self._failure: Optional[SidecarError] = None
        self._connecting: Optional["asyncio.Future[None]"] = None
        self._writer: Optional[asyncio.StreamWriter] = None
        self._reader_task: Optional["asyncio.Task[None]"] = None
        self._drain_lock: Optional[asyncio.Lock] = None

    async def __aenter__(self) -> "AsyncClient":
        await self.connect()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    async def connect(self) -> None:
        """Opens the connection and exchanges `hello`. Safe to call more than once."""
        if self._connecting is None:
            self._connecting = asyncio.ensure_future(self._connect())
        await asyncio.shield(self._connecting)

    async def _connect(self) -> None:
        try:
            reader, writer = await asyncio.open_unix_connection(self.path)
        except OSError as exc:
            raise connect_error(self.path, exc) from None
        self._writer = writer
        self._drain_lock = asyncio.Lock()
        self._reader_task = asyncio.ensure_future(self._read_loop(reader))
        hello = _requests.hello(self._new_id(), self.client_name)
        self.server_hello = await self._request(hello, connected=True)
        max_frame = self.server_hello.get("max_frame")
        if isinstance(max_frame, int) and max_frame > 0:
            self._max_frame = max_frame

    async def close(self) -> None:
        self._fail(SidecarConnectionError("the client was closed", code="connection_closed", retryable=False))
        if self._writer is not None:
            self._writer.close()
        if self._reader_task is not None:
            self._reader_task.cancel()
            try:
                await self._reader_task
            except (asyncio.CancelledError, SidecarError):
                pass

    def complete(
        self,
        messages: Messages,
        *,
        thinking: Optional[ThinkingConfig] = None,
        effort: Optional[Effort] = None,
        **options: Any,
    ) -> "AsyncCompletion":
        """A completion stream: `async for chunk in client.complete(...)`, or `await` it for the `Result`.

        The request is sent when iteration starts. Options are the `complete` fields (see `Client.complete`).
        """
        request_id = self._new_id()
        return AsyncCompletion(self, _requests.complete(request_id, messages, thinking=thinking, effort=effort, **options))

    async def complete_text(self, prompt: Messages, **options: Any) -> str:
        options.setdefault("stream", False)
        result = await self.complete(prompt, **options)
        return result.text

    async def ping(self) -> None:
        await self._request(_requests.simple("ping", self._new_id()))

    async def status(self) -> Dict[str, Any]:
        return _report(await self._request(_requests.simple("status", self._new_id())))

    async def usage(self, **query: Any) -> Dict[str, Any]:
        """The ledger's usage report; filters as in `Client.usage`."""
        return _report(await self._request(_requests.simple("usage", self._new_id(), _requests.usage_query(**query))))

    def _new_id(self) -> str:
        return "py-%d" % next(self._ids)

    async def _open(self, message: Dict[str, Any], connected: bool = False) -> "asyncio.Queue[Any]":
        if not connected:
            await self.connect()
        if self._failure is not None:
            raise self._failure
        data = frame_for(message, self._max_frame)
        queue: "asyncio.Queue[Any]" = asyncio.Queue()
        self._queues[message["id"]] = queue
        assert self._writer is not None and self._drain_lock is not None
        self._writer.write(data)
        async with self._drain_lock:
            try:
                await self._writer.drain()
            except OSError as exc:
                self._queues.pop(message["id"], None)
                raise SidecarConnectionError("lost the connection to the sidecar: %s" % exc, code="connection_lost") from None
        return queue

    async def _request(self, message: Dict[str, Any], connected: bool = False) -> Dict[str, Any]:
        queue = await self._open(message, connected)
        try:
            frame = await self._take(queue)
        finally:
            self._queues.pop(message["id"], None)
        if frame.get("type") == "error":
            raise error_from_frame(frame)
        return frame

    async def _take(self, queue: "asyncio.Queue[Any]") -> Dict[str, Any]:
        item = await queue.get()
        if item is _CLOSED:
            queue.put_nowait(_CLOSED)
            assert self._failure is not None
            raise self._failure
        frame: Dict[str, Any] = item
        return frame

    def _cancel(self, request_id: str) -> None:
        """Stops delivering a request's frames and tells the sidecar; synchronous, so safe in `finally`."""
        if self._queues.pop(request_id, None) is not None:
            self._send_cancel(request_id)

    def _send_cancel(self, request_id: str) -> None:
        if self._failure is None and self._writer is not None and not self._writer.is_closing():
            self._writer.write(frame_for(_requests.cancel(request_id), self._max_frame))

    def _fail(self, error: SidecarError) -> None:
        if self._failure is None:
            self._failure = error
        for queue in self._queues.values():
            queue.put_nowait(_CLOSED)

    async def _read_loop(self, reader: asyncio.StreamReader) -> None:
        decoder = FrameDecoder(max_frame=UNBOUNDED)
        try:
            while True:
                payload = decoder.next()
                if payload is None:
                    data = await reader.read(65536)
                    if not data:
                        decoder.finish()
                        raise SidecarConnectionError("the sidecar closed the connection", code="connection_lost")
                    decoder.feed(data)
                    continue
                frame = decode_payload(payload)
                request_id = frame.get("id")
                if frame.get("type") not in SERVER_TYPES or is_duplicate_id(frame):
                    continue  # unknown types are ignored; duplicate_id ends nothing (PROTOCOL.md §3, §10)
                if isinstance(request_id, str):
                    queue = self._queues.get(request_id)
                    if queue is not None:
                        queue.put_nowait(frame)
                elif frame.get("type") == "error":
                    raise error_from_frame(frame)
        except FramingError as exc:
            self._fail(ProtocolError("the sidecar sent a bad frame: %s" % exc.message, code=exc.code))
        except SidecarError as exc:
            self._fail(exc)
        except OSError as exc:
            self._fail(SidecarConnectionError("lost the connection to the sidecar: %s" % exc, code="connection_lost"))


def _report(frame: Dict[str, Any]) -> Dict[str, Any]:
    report = frame.get("report")
    return report if isinstance(report, dict) else {}


class AsyncCompletion:
    """One streamed completion. Iterate with `async for`, or `await` it for the `Result`."""

    def __init__(self, client: AsyncClient, message: Dict[str, Any]) -> None:
        self._client = client
        self._message = message
        self.id: str = message["id"]
        self.result: Optional[Result] = None
        self._queue: Optional["asyncio.Queue[Any]"] = None
        self._ended = False

    def __aiter__(self) -> AsyncIterator[Chunk]:
        return self._iterate()

    def __await__(self) -> Generator[Any, None, Result]:
        return self.wait().__await__()

    async def __aenter__(self) -> "AsyncCompletion":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()

    async def wait(self) -> Result:
        """Consumes the rest of the stream and returns the result (raising the request's error, if any)."""
        async for _ in self:
            pass
        if self.result is None:
            raise SidecarError("the stream ended without a result", request_id=self.id)
        return self.result

    async def cancel(self) -> bool:
        """Cancels the request and waits for the sidecar to confirm. True when it was cancelled, false
        when it had already ended (or never started)."""
        if self._ended or self._queue is None:
            self._ended = True
            return False
        self._client._send_cancel(self.id)
        try:
            async for _ in self:
                pass
        except RequestCancelledError:
            return True
        except SidecarError:
            return False
        return False

    async def aclose(self) -> None:
        """Cancels the request if it is still running."""
        if not self._ended:
            self._ended = True
            self._client._cancel(self.id)

    async def _iterate(self) -> AsyncIterator[Chunk]:
        if self._ended:
            return
        try:
            if self._queue is None:
                self._queue = await self._client._open(self._message)
            while True:
                frame = await self._client._take(self._queue)
                kind = frame.get("type")
                if kind == "chunk":
                    yield Chunk.from_frame(frame)
                    continue
                self._ended = True
                self._client._queues.pop(self.id, None)
                if kind == "done":
                    self.result = Result.from_frame(frame)
                    return
                if kind == "error":
                    raise error_from_frame(frame)
                raise SidecarError("unexpected %r frame in a completion stream" % kind, request_id=self.id)
        finally:
            if not self._ended:
                self._ended = True
                self._client._cancel(self.id)
