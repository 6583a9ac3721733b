"""Shared test helpers: paths, a scripted peer speaking the wire protocol, and the real-binary fixture."""

from __future__ import annotations

import os
import socket
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from provider_sidecar._framing import FrameDecoder, decode_payload, encode_message  # noqa: E402

REPO = HERE.parent.parent.parent
VECTORS = Path(os.environ.get("PROVIDER_SIDECAR_VECTORS") or REPO / "proto-spec" / "vectors")

Send = Callable[[Dict[str, Any]], None]


class ScriptedPeer:
    """A tiny server on a real Unix socket that answers each message with `handler(message, send)`.

    It stands in for the sidecar in unit tests of the client's own logic (routing, cancel, failures);
    the end-to-end tests run the real binary instead.
    """

    def __init__(self, path: str, handler: Callable[[Dict[str, Any], Send], None]) -> None:
        self.path = path
        self.handler = handler
        self.received: List[Dict[str, Any]] = []
        self.cond = threading.Condition()
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(path)
        self._listener.listen(8)
        self._conns: List[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self._conns.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        decoder = FrameDecoder()
        lock = threading.Lock()

        def send(message: Dict[str, Any]) -> None:
            with lock:
                try:
                    conn.sendall(encode_message(message))
                except OSError:
                    pass  # the client went away: what it would have read no longer matters

        while True:
            try:
                data = conn.recv(65536)
            except OSError:
                return
            if not data:
                return
            decoder.feed(data)
            while True:
                payload = decoder.next()
                if payload is None:
                    break
                message = decode_payload(payload)
                with self.cond:
                    self.received.append(message)
                    self.cond.notify_all()
                self.handler(message, send)

    def wait_for(self, predicate: Callable[[Dict[str, Any]], bool]) -> Dict[str, Any]:
        """Blocks until a received message matches (no timing assumptions: the test hangs rather than lies)."""
        with self.cond:
            while True:
                for message in self.received:
                    if predicate(message):
                        return message
                self.cond.wait()

    def drop_connections(self) -> None:
        for conn in self._conns:
            conn.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._listener.close()
        for conn in self._conns:
            conn.close()


def hello_reply(message: Dict[str, Any]) -> Dict[str, Any]:
    return {
        "type": "hello", "id": message.get("id"), "protocol": 1,
        "server": {"name": "scripted", "version": "0"}, "agent": None, "models": ["sim-echo"], "max_frame": 8388608,
    }


def done_frame(request_id: str, text: str) -> Dict[str, Any]:
    return {
        "type": "done", "id": request_id, "provider": "sim", "model": "sim-echo", "stop_reason": "end_turn",
        "content": [{"type": "text", "text": text}],
        "usage": {"input_tokens": 3, "output_tokens": 2, "cache_read_tokens": 0, "cache_write_tokens": 0,
                  "cost_usd": None, "reported": True},
        "attempts": [{"provider": "sim", "model": "sim-echo", "duration_ms": 1}], "ttft_ms": 1, "latency_ms": 2,
    }


@pytest.fixture
def socket_dir() -> Iterator[str]:
    # AF_UNIX paths are limited to ~107 bytes: keep them short.
    with tempfile.TemporaryDirectory(prefix="ps-", dir="/tmp") as d:
        yield d


@pytest.fixture
def peer_factory(socket_dir: str) -> Iterator[Callable[..., ScriptedPeer]]:
    peers: List[ScriptedPeer] = []

    def make(handler: Callable[[Dict[str, Any], Send], None]) -> ScriptedPeer:
        peer = ScriptedPeer(os.path.join(socket_dir, "peer-%d.sock" % len(peers)), handler)
        peers.append(peer)
        return peer

    yield make
    for peer in peers:
        peer.close()


def sidecar_binary() -> Optional[Path]:
    explicit = os.environ.get("PROVIDER_SIDECAR_BIN")
    path = Path(explicit) if explicit else REPO / ".build" / "debug" / "provider-sidecar"
    return path if path.is_file() and os.access(path, os.X_OK) else None


SIM_MODELS = ["sim-echo", "sim-fast", "sim-tools", "sim-pace-200", "sim-hang", "sim-fail-400"]


class RunningSidecar:
    """The real `provider-sidecar serve` with the simulated provider on a temporary socket."""

    def __init__(self, binary: Path, directory: str) -> None:
        import json
        import subprocess

        self.path = os.path.join(directory, "sidecar.sock")
        #: A second listener, bound to agent `coder` (the sessions' `listener: coder`).
        self.coder_path = os.path.join(directory, "coder.sock")
        config = {
            "listen": [{"path": self.path}, {"path": self.coder_path, "agent": "coder"}],
            "ledger": {"path": os.path.join(directory, "ledger.sqlite")},
            "providers": [{"name": "sim", "kind": "simulated", "models": SIM_MODELS}],
            # An agent may use only the models its chain lists.
            "agents": {"default": {"models": ["sim/" + m for m in SIM_MODELS]}, "coder": {"models": ["sim/sim-echo"]}},
        }
        config_path = os.path.join(directory, "config.json")
        with open(config_path, "w") as f:
            json.dump(config, f)
        self.log = open(os.path.join(directory, "sidecar.log"), "w+")
        self.process = subprocess.Popen([str(binary), "serve", "--config", config_path],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_until_listening()

    def _wait_until_listening(self) -> None:
        import time

        # Readiness polling, not a timed assertion: the generous deadline only turns a hang into a report.
        deadline = time.monotonic() + 120
        while True:
            if self.process.poll() is not None:
                raise RuntimeError("the sidecar exited with %s:\n%s" % (self.process.returncode, self.output()))
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(self.path)
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the sidecar did not listen on %s:\n%s" % (self.path, self.output()))
                time.sleep(0.02)
            finally:
                s.close()

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self) -> None:
        import signal
        import subprocess

        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


@pytest.fixture(scope="module")
def sidecar() -> Iterator[RunningSidecar]:
    binary = sidecar_binary()
    if binary is None:
        pytest.skip("no provider-sidecar binary (set PROVIDER_SIDECAR_BIN or run `swift build`)")
    with tempfile.TemporaryDirectory(prefix="ps-e2e-", dir="/tmp") as directory:
        running = RunningSidecar(binary, directory)
        try:
            yield running
        finally:
            running.stop()
