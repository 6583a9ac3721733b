"""The blocking client: `Client` and the `Completion` stream it returns.

Requests may be interleaved on one connection, from one thread (several open completions) or many: the
thread that needs a frame reads the socket for everybody and queues frames for the others (one reader at
a time, frames routed by request id).
"""

from __future__ import annotations

import itertools
import socket
import threading
import weakref
from collections import deque
from typing import Any, Deque, Dict, Iterator, List, Optional

from . import _requests
from ._requests import Effort, Messages, ThinkingConfig
from .connection import Connection
from .errors import (
    RequestCancelledError,
    SidecarConnectionError,
    SidecarError,
    SidecarTimeoutError,
    error_from_frame,
    is_duplicate_id,
)
from .types import Chunk, Result

CLIENT_NAME = "provider-sidecar-python/0.1.0"


class Client:
    """A connection to the sidecar. Thread-safe; use as a context manager or call `close()`."""

    def __init__(self, path: Optional[str] = None, *, timeout: Optional[float] = None,
                 client_name: str = CLIENT_NAME) -> None:
        self._conn = Connection(path, timeout=timeout)
        self.path = self._conn.path
        self._cond = threading.Condition()
        self._queues: Dict[str, Deque[Dict[str, Any]]] = {}
        self._abandoned: List[str] = []
        self._reading = False
        self._failure: Optional[SidecarError] = None
        self._ids = itertools.count(1)
        #: The sidecar's `hello` reply: `server`, `agent` bound to this socket, `models`, `max_frame`.
        self.server_hello = self._request(_requests.hello(self._new_id(), client_name))
        max_frame = self.server_hello.get("max_frame")
        if isinstance(max_frame, int) and max_frame > 0:
            self._conn.max_frame = max_frame

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        with self._cond:
            if self._failure is None:
                self._failure = SidecarConnectionError("the client was closed", code="connection_closed", retryable=False)
            self._cond.notify_all()
        self._conn.close()

    def complete(
        self,
        messages: Messages,
        *,
        thinking: Optional[ThinkingConfig] = None,
        effort: Optional[Effort] = None,
        **options: Any,
    ) -> "Completion":
        """Starts a completion and returns its stream of `Chunk`s; `.result` is set once it ends.

        Options are the `complete` fields: model, agent, system, tools, tool_choice, max_tokens,
        temperature, top_p, stop, stream, cache, metadata; `thinking` and `effort` ask for reasoning (see
        `ThinkingConfig` and `Effort`). A bare string is one user message.
        """
        request_id = self._new_id()
        message = _requests.complete(request_id, messages, thinking=thinking, effort=effort, **options)
        self._open(message)
        return Completion(self, request_id)

    def complete_text(self, prompt: Messages, **options: Any) -> str:
        """The whole answer's text, unstreamed."""
        options.setdefault("stream", False)
        return self.complete(prompt, **options).wait().text

    def ping(self) -> None:
        self._request(_requests.simple("ping", self._new_id()))

    def status(self) -> Dict[str, Any]:
        """The sidecar's status report (providers, breakers, connections)."""
        return self._report(self._request(_requests.simple("status", self._new_id())))

    def usage(self, **query: Any) -> Dict[str, Any]:
        """The ledger's usage report. Filters: since, until (RFC 3339 strings, dates or datetimes), agent,
        provider, model; group_by is agent (default), provider, model or day."""
        return self._report(self._request(_requests.simple("usage", self._new_id(), _requests.usage_query(**query))))

    @staticmethod
    def _report(frame: Dict[str, Any]) -> Dict[str, Any]:
        report = frame.get("report")
        return report if isinstance(report, dict) else {}

    def _new_id(self) -> str:
        return "py-%d" % next(self._ids)

    def _open(self, message: Dict[str, Any]) -> None:
        request_id = message["id"]
        with self._cond:
            if self._failure is not None:
                raise self._failure
            self._queues[request_id] = deque()
        try:
            self._conn.send(message)
        except SidecarError:
            self._finish(request_id)
            raise

    def _request(self, message: Dict[str, Any]) -> Dict[str, Any]:
        """Sends a message and returns its one reply, raising the error it got instead."""
        self._open(message)
        try:
            frame = self._next_frame(message["id"])
        finally:
            self._finish(message["id"])
        if frame.get("type") == "error":
            raise error_from_frame(frame)
        return frame

    def _finish(self, request_id: str) -> None:
        with self._cond:
            self._queues.pop(request_id, None)

    def _abandon(self, request_id: str) -> None:
        """Called by a garbage-collected open `Completion`: only records the id (no locks, no I/O)."""
        self._abandoned.append(request_id)

    def _cancel(self, request_id: str) -> None:
        try:
            self._conn.send(_requests.cancel(request_id))
        except SidecarError:
            pass

    def _reap_abandoned(self) -> None:
        while self._abandoned:
            request_id = self._abandoned.pop()
            if self._queues.pop(request_id, None) is not None:
                self._cancel(request_id)

    def _next_frame(self, request_id: str) -> Dict[str, Any]:
        """Blocks until a frame for `request_id` arrives; reads the socket itself if nobody else is."""
        with self._cond:
            while True:
                self._reap_abandoned()
                queue = self._queues.get(request_id)
                if queue:
                    return queue.popleft()
                if self._failure is not None:
                    raise self._failure
                if queue is None:
                    raise SidecarError("request %s is no longer pending" % request_id, request_id=request_id)
                if self._reading:
                    self._cond.wait()
                    continue
                self._reading = True
                self._cond.release()
                frame: Optional[Dict[str, Any]] = None
                try:
                    frame = self._conn.recv()
                except socket.timeout:
                    raise SidecarTimeoutError("no frame from the sidecar within the client timeout",
                                              request_id=request_id) from None
                except SidecarError as exc:
                    self._failure = exc
                finally:
                    self._cond.acquire()
                    self._reading = False
                    self._cond.notify_all()
                if frame is not None:
                    self._route(frame)

    def _route(self, frame: Dict[str, Any]) -> None:
        request_id = frame.get("id")
        if is_duplicate_id(frame):
            return  # refuses a second request with an id in flight, never the original (PROTOCOL.md §10)
        if isinstance(request_id, str):
            queue = self._queues.get(request_id)
            if queue is not None:
                queue.append(frame)
        elif frame.get("type") == "error":
            # No id could be read from something we sent: the sidecar is about to close the connection.
            self._failure = error_from_frame(frame)


class Completion:
    """One completion's stream: iterate for `Chunk`s; `result` holds the `done` once the stream ended.

    Leaving a `with` block or calling `close()` before the end cancels the request; so does dropping the
    last reference to an unfinished stream.
    """

    def __init__(self, client: Client, request_id: str) -> None:
        self._client = client
        self.id = request_id
        self.result: Optional[Result] = None
        self._ended = False
        self._finalizer = weakref.finalize(self, client._abandon, request_id)

    def __iter__(self) -> Iterator[Chunk]:
        return self

    def __next__(self) -> Chunk:
        if self._ended:
            raise StopIteration
        frame = self._client._next_frame(self.id)
        kind = frame.get("type")
        if kind == "chunk":
            return Chunk.from_frame(frame)
        self._end()
        if kind == "done":
            self.result = Result.from_frame(frame)
            raise StopIteration
        if kind == "error":
            raise error_from_frame(frame)
        raise SidecarError("unexpected %r frame in a completion stream" % kind, request_id=self.id)

    def __enter__(self) -> "Completion":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def wait(self) -> Result:
        """Consumes the rest of the stream and returns the result (raising the request's error, if any)."""
        for _ in self:
            pass
        if self.result is None:
            raise SidecarError("the stream ended without a result", request_id=self.id)
        return self.result

    def cancel(self) -> bool:
        """Cancels the request and waits for the sidecar to confirm. True when it was cancelled, false
        when it had already ended (then `result` is set if it succeeded)."""
        if self._ended:
            return False
        self._client._cancel(self.id)
        try:
            for _ in self:
                pass
        except RequestCancelledError:
            return True
        except SidecarError:
            return False
        return False

    def close(self) -> None:
        """Cancels the request if it is still running and stops delivering its frames; does not wait."""
        if not self._ended:
            self._end()
            self._client._cancel(self.id)

    def _end(self) -> None:
        self._ended = True
        self._finalizer.detach()
        self._client._finish(self.id)
