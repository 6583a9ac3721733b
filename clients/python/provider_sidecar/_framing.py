"""Wire framing and the canonical JSON encoding, shared by the sync and asyncio clients.

A frame is a u32 big-endian length N (1 <= N <= max_frame) followed by N bytes: one UTF-8 JSON object.
`encode_json` writes JSON byte for byte as the Swift server's JSONWriter does (compact, `type` and `id`
first, other keys sorted), so the two sides agree on the conformance vectors.
"""

from __future__ import annotations

import json
import math
import struct
from typing import Any, Dict, List, Optional, Tuple

#: The largest request the sidecar accepts until its `hello` announces its own `max_frame` (8 MiB).
DEFAULT_MAX_FRAME = 8 * 1024 * 1024

#: The limit for frames the sidecar sends: none but the header's. Its frames are not bounded by
#: `max_frame` (a `done` carries the whole answer); the decoder buffers only what actually arrived.
UNBOUNDED = 0xFFFFFFFF

#: The message types a sidecar sends in protocol v1. Clients ignore any other type (PROTOCOL.md §3).
SERVER_TYPES = frozenset({"hello", "chunk", "done", "error", "usage", "status", "pong"})

_HEADER = struct.Struct(">I")
_INT_LIMIT = 9.0e15
_EXP_ABOVE = 2.0 ** 53


class FramingError(Exception):
    """The byte stream cannot be cut into frames. `code` is the protocol error code it corresponds to."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def encode_json(value: Any) -> bytes:
    """Compact JSON bytes in the server's canonical form."""
    out: List[str] = []
    _write(value, out)
    return "".join(out).encode("utf-8")


def encode_frame(payload: bytes) -> bytes:
    """The 4-byte big-endian length, then the payload."""
    if not payload:
        raise FramingError("bad_request", "a frame must carry at least one byte")
    return _HEADER.pack(len(payload)) + payload


def encode_message(message: Dict[str, Any]) -> bytes:
    """One message as a complete frame."""
    return encode_frame(encode_json(message))


def decode_payload(payload: bytes) -> Dict[str, Any]:
    """Parses one frame's body; anything but a UTF-8 JSON object is a `FramingError`."""
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        raise FramingError("bad_request", "message is not valid UTF-8") from None
    try:
        value = json.loads(text)
    except ValueError:
        raise FramingError("bad_request", "message is not valid JSON") from None
    if not isinstance(value, dict):
        raise FramingError("bad_request", "message must be a JSON object, got %s" % _type_name(value))
    return value


class FrameDecoder:
    """Cuts received bytes into frame payloads. Pure: feed it bytes split anywhere, then drain `next()`."""

    def __init__(self, max_frame: int = DEFAULT_MAX_FRAME) -> None:
        self.max_frame = max_frame
        self._buffer = bytearray()

    @property
    def buffered(self) -> int:
        """Bytes received but not yet returned as a payload."""
        return len(self._buffer)

    def feed(self, data: bytes) -> None:
        self._buffer += data

    def next(self) -> Optional[bytes]:
        """The next complete payload, or None when more bytes are needed."""
        if len(self._buffer) < 4:
            return None
        (length,) = _HEADER.unpack_from(self._buffer)
        if length == 0:
            del self._buffer[:4]
            raise FramingError("bad_request", "empty frame (length 0)")
        if length > self.max_frame:
            raise FramingError("frame_too_large", "frame of %d bytes exceeds max_frame %d" % (length, self.max_frame))
        if len(self._buffer) < 4 + length:
            return None
        payload = bytes(self._buffer[4 : 4 + length])
        del self._buffer[: 4 + length]
        return payload

    def finish(self) -> None:
        """Call at end of stream: raises when a frame was left incomplete."""
        if self._buffer:
            raise FramingError("bad_request", "connection closed inside a frame (%d bytes buffered)" % len(self._buffer))


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _key_order(key: str) -> Any:
    return (0 if key == "type" else 1 if key == "id" else 2, key.encode("utf-8"))


def _write(value: Any, out: List[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, (int, float)):
        out.append(_number(float(value) if not isinstance(value, int) or abs(value) >= _INT_LIMIT else value))
    elif isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, dict):
        out.append("{")
        for i, key in enumerate(sorted(value, key=_key_order)):
            if i:
                out.append(",")
            out.append(_string(key))
            out.append(":")
            _write(value[key], out)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _write(item, out)
        out.append("]")
    else:
        raise TypeError("cannot encode %s as JSON" % type(value).__name__)


def _number(n: Any) -> str:
    if isinstance(n, int):
        return str(n)
    if not math.isfinite(n):
        return "null"
    if n == int(n) and abs(n) < _INT_LIMIT:
        return str(int(n))
    return _swift_double(n)


def _swift_double(n: float) -> str:
    """Formats like Swift's `Double.description`: shortest digits, exponent form below 1e-4 or above 2^53."""
    sign = "-" if n < 0 else ""
    a = abs(n)
    digits, exp = _shortest(a)
    if a < 1e-4 or a > _EXP_ABOVE:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return "%s%se%s%02d" % (sign, mantissa, "-" if exp < 0 else "+", abs(exp))
    point = exp + 1
    if point <= 0:
        return sign + "0." + "0" * -point + digits
    if point >= len(digits):
        return sign + digits + "0" * (point - len(digits)) + ".0"
    return sign + digits[:point] + "." + digits[point:]


def _shortest(a: float) -> Tuple[str, int]:
    """The shortest round-trip digits of `a` (no leading zeros) and the decimal exponent of the first."""
    mantissa, _, exp_text = ("%r" % a).partition("e")
    exp = int(exp_text) if exp_text else 0
    whole, _, frac = mantissa.partition(".")
    digits = (whole + frac).lstrip("0")
    exp += len(whole.lstrip("0")) - 1 if whole.lstrip("0") else -(len(frac) - len(frac.lstrip("0")) + 1)
    digits = digits.rstrip("0") or "0"
    return digits, exp


def _string(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)
