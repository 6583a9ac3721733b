"""Finding the sidecar's socket and holding one blocking framed connection to it."""

from __future__ import annotations

import errno
import os
import socket
import threading
from typing import Any, Dict, Mapping, Optional

from ._framing import (
    DEFAULT_MAX_FRAME,
    SERVER_TYPES,
    UNBOUNDED,
    FrameDecoder,
    FramingError,
    decode_payload,
    encode_frame,
    encode_json,
)
from .errors import START_HINT, FrameTooLargeError, ProtocolError, SidecarConnectionError

_RECV_SIZE = 65536


def default_socket_path(environ: Optional[Mapping[str, str]] = None) -> str:
    """PROVIDER_SIDECAR_SOCKET, else `$XDG_RUNTIME_DIR/provider-sidecar/sidecar.sock`, else
    `/tmp/provider-sidecar-<uid>/sidecar.sock`: the same default the sidecar listens on."""
    env = os.environ if environ is None else environ
    explicit = env.get("PROVIDER_SIDECAR_SOCKET")
    if explicit:
        return explicit
    runtime = env.get("XDG_RUNTIME_DIR", "")
    if runtime.startswith("/"):  # the XDG spec says relative values must be ignored
        return runtime.rstrip("/") + "/provider-sidecar/sidecar.sock"
    return "/tmp/provider-sidecar-%d/sidecar.sock" % os.getuid()


def connect_error(path: str, exc: OSError) -> SidecarConnectionError:
    """A connection failure worded so that the user knows what to do next."""
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        why = "no socket there"
    elif exc.errno == errno.ECONNREFUSED:
        why = "connection refused (a stale socket: nobody is listening)"
    elif exc.errno == errno.EACCES:
        return SidecarConnectionError(
            "cannot connect to the sidecar at %s: permission denied (check the socket's mode and group)" % path,
            retryable=False,
        )
    else:
        why = exc.strerror or str(exc)
    return SidecarConnectionError("cannot connect to the sidecar at %s: %s (%s)" % (path, why, START_HINT))


def frame_for(message: Dict[str, Any], max_frame: int) -> bytes:
    """Encodes a message, refusing locally what the sidecar would refuse as `frame_too_large`."""
    payload = encode_json(message)
    if len(payload) > max_frame:
        raise FrameTooLargeError(
            "request of %d bytes exceeds the sidecar's max_frame %d" % (len(payload), max_frame),
            request_id=message.get("id"),
        )
    return encode_frame(payload)


class Connection:
    """One blocking, framed connection. `send` may be called from any thread; `recv` from one at a time."""

    def __init__(self, path: Optional[str] = None, *, timeout: Optional[float] = None) -> None:
        self.path = path or default_socket_path()
        self.max_frame = DEFAULT_MAX_FRAME
        self._decoder = FrameDecoder(max_frame=UNBOUNDED)
        self._send_lock = threading.Lock()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(self.path)
        except OSError as exc:
            sock.close()
            raise connect_error(self.path, exc) from None
        self._sock = sock

    def send(self, message: Dict[str, Any]) -> None:
        data = frame_for(message, self.max_frame)
        with self._send_lock:
            try:
                self._sock.sendall(data)
            except OSError as exc:
                raise SidecarConnectionError("lost the connection to the sidecar: %s" % exc, code="connection_lost") from None

    def recv(self) -> Dict[str, Any]:
        """The next message of a type this client knows (others are skipped, as the protocol requires).
        Raises `socket.timeout` (the connection stays usable) when `timeout` elapses."""
        while True:
            try:
                payload = self._decoder.next()
                if payload is not None:
                    message = decode_payload(payload)
                    if message.get("type") in SERVER_TYPES:
                        return message
                    continue
            except FramingError as exc:
                raise ProtocolError("the sidecar sent a bad frame: %s" % exc.message, code=exc.code) from None
            try:
                data = self._sock.recv(_RECV_SIZE)
            except socket.timeout:
                raise
            except OSError as exc:
                raise SidecarConnectionError("lost the connection to the sidecar: %s" % exc, code="connection_lost") from None
            if not data:
                raise SidecarConnectionError("the sidecar closed the connection", code="connection_lost")
            self._decoder.feed(data)

    def close(self) -> None:
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()
