"""Behaviours of the scripted peer, chosen by the request's model as the simulated provider does."""

from __future__ import annotations

import threading
from typing import Any, Dict, List

from conftest import Send, done_frame, hello_reply


class Script:
    """`echo` streams two chunks then done; `hold` streams one chunk then waits for `cancel`; `fail`
    answers `rate_limited`; `pair` holds requests until two arrived, then interleaves their frames;
    `noisy` mixes in an unknown message type and a `duplicate_id` refusal; `big` answers with a 9 MiB
    done frame; `drop` closes the connection."""

    def __init__(self) -> None:
        self.held: List[str] = []
        self.lock = threading.Lock()
        self.drop = threading.Event()

    def __call__(self, msg: Dict[str, Any], send: Send) -> None:
        kind, rid = msg.get("type"), msg.get("id")
        if kind == "hello":
            send(hello_reply(msg))
        elif kind == "ping":
            send({"type": "pong", "id": rid})
        elif kind in ("status", "usage"):
            send({"type": kind, "id": rid, "report": {"echo": {k: v for k, v in msg.items() if k not in ("type", "id")}}})
        elif kind == "cancel":
            send({"type": "error", "id": rid, "error": {"code": "cancelled", "message": "cancelled", "retryable": False,
                                                      "partial": True}})
        elif kind == "complete":
            self._complete(msg, send)
        else:
            send({"type": "error", "id": rid, "error": {"code": "unknown_type", "message": "?", "retryable": False}})

    def _complete(self, msg: Dict[str, Any], send: Send) -> None:
        rid, model = msg["id"], msg.get("model")
        if model == "echo":
            send({"type": "chunk", "id": rid, "seq": 0, "delta": {"type": "text", "text": "hi"}})
            send({"type": "chunk", "id": rid, "seq": 1, "delta": {"type": "text", "text": " there"}})
            send(done_frame(rid, "hi there"))
        elif model == "hold":
            send({"type": "chunk", "id": rid, "seq": 0, "delta": {"type": "text", "text": "..."}})
        elif model == "fail":
            send({"type": "error", "id": rid, "error": {"code": "rate_limited", "message": "slow down",
                                                      "retryable": True, "retry_after_ms": 250}})
        elif model == "pair":
            with self.lock:
                self.held.append(rid)
                if len(self.held) < 2:
                    return
                a, b = self.held
            for seq in range(2):
                for r in (a, b):
                    send({"type": "chunk", "id": r, "seq": seq, "delta": {"type": "text", "text": "%s:%d" % (r, seq)}})
            send(done_frame(b, "b"))
            send(done_frame(a, "a"))
        elif model == "noisy":  # what a newer or stricter sidecar may also send: none of it ends the stream
            send({"type": "chunk", "id": rid, "seq": 0, "delta": {"type": "text", "text": "a"}})
            send({"type": "progress", "id": rid, "note": "a notification type from a future version"})
            send({"type": "error", "id": rid, "error": {"code": "duplicate_id", "message": "in flight",
                                                      "retryable": False}})
            send({"type": "chunk", "id": rid, "seq": 1, "delta": {"type": "text", "text": "b"}})
            send(done_frame(rid, "ab"))
        elif model == "big":  # the sidecar's frames are not bounded by max_frame
            send(done_frame(rid, "x" * (9 * 1024 * 1024)))
        elif model == "drop":
            send({"type": "chunk", "id": rid, "seq": 0, "delta": {"type": "text", "text": "x"}})
            self.drop.set()
