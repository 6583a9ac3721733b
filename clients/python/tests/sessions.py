"""Runs proto-spec/vectors/sessions/*.jsonl against a live sidecar over the client's framing layer."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any, Dict, List, Optional

from provider_sidecar._framing import FrameDecoder, decode_payload, encode_frame, encode_json

PLACEHOLDERS = {
    "<any>": lambda v: True,
    "<string>": lambda v: isinstance(v, str),
    "<int>": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
    "<number>": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "<bool>": lambda v: isinstance(v, bool),
    "<object>": lambda v: isinstance(v, dict),
    "<array>": lambda v: isinstance(v, list),
}
_ABSENT = object()


def matches(pattern: Any, value: Any) -> bool:
    if isinstance(pattern, str) and pattern in PLACEHOLDERS:
        return value is not _ABSENT and PLACEHOLDERS[pattern](value)
    if pattern == "<absent>":
        return value is _ABSENT
    if value is _ABSENT:
        return False
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(matches(p, value.get(k, _ABSENT)) for k, p in pattern.items())
    if isinstance(pattern, list):
        return isinstance(value, list) and len(value) == len(pattern) and all(map(matches, pattern, value))
    if isinstance(pattern, bool) or isinstance(value, bool):
        return pattern is value
    return bool(pattern == value)


class Line:
    def __init__(self, raw: Dict[str, Any]) -> None:
        self.patterns: List[Any] = raw["alt"] if "alt" in raw else [raw["msg"]]
        self.id = self.patterns[0].get("id")
        self.repeat: Optional[str] = raw.get("repeat")
        self.unordered = bool(raw.get("unordered"))
        self.count = 0

    def accepts(self, frame: Dict[str, Any]) -> bool:
        return any(matches(p, frame) for p in self.patterns)


class Session:
    """One session file, run on one fresh framed connection."""

    def __init__(self, path: Path) -> None:
        with open(path, encoding="utf-8") as f:
            self.lines = [json.loads(line) for line in f if line.strip()]
        self.meta = self.lines[0]
        assert self.meta["dir"] == "meta"

    def run(self, socket_path: str) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(30)  # only turns a hung run into a failure; never asserts speed
        sock.connect(socket_path)
        self.sock, self.decoder = sock, FrameDecoder()
        self.seqs: Dict[Any, int] = {}
        self.ended: set = set()
        try:
            steps = self.lines[1:]
            i = 0
            while i < len(steps):
                batch = b""  # one write, so that the sidecar reads the run together (duplicate_id relies on it)
                while i < len(steps) and steps[i]["dir"] == "c2s":
                    batch += self._encode(steps[i])
                    i += 1
                self.sock.sendall(batch)
                group = []
                while i < len(steps) and steps[i]["dir"] == "s2c":
                    group.append(steps[i])
                    i += 1
                self._await(group)
        finally:
            sock.close()

    def _encode(self, step: Dict[str, Any]) -> bytes:
        if "wire_hex" in step:
            data = bytes.fromhex(step["wire_hex"])
        elif "payload_hex" in step:
            payload = bytes.fromhex(step["payload_hex"])
            data = encode_frame(payload) if payload else b"\x00\x00\x00\x00"
        else:
            msg = step["msg"]
            if isinstance(msg, dict) and msg.get("type") == "complete":  # an id may be reused once finished
                self.ended.discard(msg.get("id"))
                self.seqs.pop(msg.get("id"), None)
            data = encode_frame(encode_json(msg))
        return data

    def _recv(self) -> Optional[Dict[str, Any]]:
        while True:
            payload = self.decoder.next()
            if payload is not None:
                return decode_payload(payload)
            data = self.sock.recv(65536)
            if not data:
                self.decoder.finish()
                return None
            self.decoder.feed(data)

    def _await(self, group: List[Dict[str, Any]]) -> None:
        expect_close = any(step.get("closed") for step in group)
        by_id: Dict[Any, List[Line]] = {}
        for step in group:
            if not step.get("closed"):
                line = Line(step)
                by_id.setdefault(line.id, []).append(line)
        position = {key: 0 for key in by_id}
        while any(self._pending(lines, position[key]) for key, lines in by_id.items()):
            frame = self._recv()
            assert frame is not None, "the sidecar closed the connection; still expected %s" % self._describe(by_id, position)
            self._check_invariants(frame)
            key = frame.get("id")
            assert key in by_id, "unexpected frame %s" % frame
            position[key] = self._match(by_id[key], position[key], frame)
        if expect_close:
            assert self._recv() is None, "expected the sidecar to close the connection"

    @staticmethod
    def _pending(lines: List[Line], at: int) -> bool:
        ordered_left = any(not line.unordered and not (line.repeat and (line.repeat == "*" or line.count))
                           for line in lines[at:])
        return ordered_left or any(line.unordered and line.count == 0 for line in lines)

    @staticmethod
    def _match(lines: List[Line], start: int, frame: Dict[str, Any]) -> int:
        at = start
        while at < len(lines):
            line = lines[at]
            if line.unordered:
                at += 1
                continue
            if line.accepts(frame):
                line.count += 1
                return at if line.repeat else at + 1
            if line.repeat and (line.repeat == "*" or line.count):
                at += 1
                continue
            break
        for line in lines:
            if line.unordered and line.count == 0 and line.accepts(frame):
                line.count = 1
                return start
        raise AssertionError("frame %s matches no expected line" % frame)

    def _check_invariants(self, frame: Dict[str, Any]) -> None:
        key, kind = frame.get("id"), frame.get("type")
        if kind == "chunk":
            assert key not in self.ended, "chunk after the terminal frame: %s" % frame
            assert frame.get("seq") == self.seqs.get(key, 0), "seq gap: %s" % frame
            self.seqs[key] = frame["seq"] + 1
        elif kind == "done" or kind == "error" and frame.get("error", {}).get("code") != "duplicate_id":
            self.ended.add(key)

    @staticmethod
    def _describe(by_id: Dict[Any, List[Line]], position: Dict[Any, int]) -> str:
        return "; ".join("%s: %s" % (key, [l.patterns[0] for l in lines[position[key]:]]) for key, lines in by_id.items())
