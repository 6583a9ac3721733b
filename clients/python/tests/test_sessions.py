"""Conformance against the real sidecar: every session of proto-spec/vectors/sessions (framed mode, the
mode clients speak) and every refusal of messages/invalid.json, over this client's framing layer."""

from __future__ import annotations

import socket

import pytest

from conftest import VECTORS
from provider_sidecar._framing import FrameDecoder, decode_payload, encode_frame, encode_json
from provider_sidecar.errors import error_from_frame
from sessions import Session
from vectors import vectors

SESSIONS = sorted((VECTORS / "sessions").glob("*.jsonl"))


@pytest.mark.parametrize("path", SESSIONS, ids=[p.stem for p in SESSIONS])
def test_session(sidecar, path):
    session = Session(path)
    if "framed" not in session.meta["modes"]:
        pytest.skip("line-mode only session")
    socket_path = sidecar.coder_path if session.meta.get("listener") == "coder" else sidecar.path
    session.run(socket_path)


INVALID = vectors("messages/invalid.json")


@pytest.mark.parametrize("v", INVALID, ids=[v["name"] for v in INVALID])
def test_sidecar_refuses_invalid_message(sidecar, v):
    payload = bytes.fromhex(v["payload_hex"]) if "payload_hex" in v else encode_json(v["message"])
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(30)
    sock.connect(sidecar.path)
    decoder = FrameDecoder()
    try:
        sock.sendall(encode_frame(payload) + encode_frame(encode_json({"type": "ping", "id": "after"})))
        frames = []
        while len(frames) < 2:
            next_payload = decoder.next()
            if next_payload is None:
                data = sock.recv(65536)
                assert data, "the sidecar closed the connection"
                decoder.feed(data)
                continue
            frames.append(decode_payload(next_payload))
    finally:
        sock.close()
    error = error_from_frame(frames[0])
    expected = v["error"]
    assert (frames[0]["type"], error.code, frames[0]["id"]) == ("error", expected["code"], expected["id"])
    if "path" in expected:
        assert error.message.startswith(expected["path"] + ":"), error.message
    assert frames[1] == {"type": "pong", "id": "after"}
