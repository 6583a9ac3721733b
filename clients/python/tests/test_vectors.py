"""The shared conformance vectors (proto-spec/vectors) that apply to a client.

framing/framed.json: decoding (every split) and encoding; messages/valid.json: the requests this client
builds; messages/server.json: every sidecar message shape decoded into the client's types and back;
errors.json: the code list and default retryable. framing/lines.json does not apply (clients always
speak framed mode); messages/invalid.json and sessions/ run against the real sidecar in test_sessions.py.
"""

from __future__ import annotations

import json
import random
from typing import Any, Dict, List, Optional, Tuple

import pytest

import provider_sidecar as ps
from provider_sidecar import _requests
from provider_sidecar._framing import FrameDecoder, FramingError, decode_payload, encode_frame, encode_json
from provider_sidecar.errors import error_from_frame
from provider_sidecar.types import Chunk, Result
from conftest import VECTORS
from vectors import load, normalize, vectors

FRAMED = vectors("framing/framed.json")


def _run_decoder(data: bytes, cuts: List[int], max_frame: int) -> Tuple[List[Dict[str, Any]], Optional[str]]:
    """Feeds `data` cut at `cuts`; returns what the decoder produced and its end-of-stream verdict."""
    decoder = FrameDecoder(max_frame=max_frame)
    produced: List[Dict[str, Any]] = []
    bounds = [0] + sorted(cuts) + [len(data)]
    for start, end in zip(bounds, bounds[1:]):
        decoder.feed(data[start:end])
        while True:
            try:
                payload = decoder.next()
            except FramingError as exc:
                fatal = exc.code == "frame_too_large"
                produced.append({"error": exc.code, "fatal": fatal})
                if fatal:
                    return produced, None
                continue
            if payload is None:
                break
            produced.append({"payload_hex": payload.hex()})
    try:
        decoder.finish()
        return produced, "clean"
    except FramingError:
        return produced, "truncated"


def _splittings(v: Dict[str, Any]) -> List[List[int]]:
    n = len(bytes.fromhex(v["input_hex"]))
    rng = random.Random(v["name"])
    random_cuts = [sorted(rng.sample(range(1, n), k=min(n - 1, rng.randint(1, 5)))) for _ in range(5)] if n > 1 else []
    return [[], list(range(1, n))] + [list(s) for s in v.get("splits", [])] + random_cuts


@pytest.mark.parametrize("v", FRAMED, ids=[v["name"] for v in FRAMED])
def test_framed_decoding_under_every_split(v):
    data = bytes.fromhex(v["input_hex"])
    expected = [{"payload_hex": e["payload_hex"]} if "payload_hex" in e else e for e in v["expect"]]
    for cuts in _splittings(v):
        produced, eof = _run_decoder(data, cuts, v["max_frame"])
        assert (produced, eof) == (expected, v["eof"]), "cut at %s" % cuts


#: Vectors whose input is nothing but well-formed frames: encoding their payloads must give the input.
WELL_FORMED = [v for v in FRAMED if v["expect"] and v["eof"] == "clean" and all("payload_hex" in e for e in v["expect"])]


@pytest.mark.parametrize("v", WELL_FORMED, ids=[v["name"] for v in WELL_FORMED])
def test_framed_encoding(v):
    payloads = [bytes.fromhex(e["payload_hex"]) for e in v["expect"]]
    assert b"".join(encode_frame(p) for p in payloads).hex() == v["input_hex"]


def test_error_codes_and_default_retryable():
    codes = load("errors.json")["codes"]
    assert list(ps.ERROR_CLASSES) == [c["code"] for c in codes]
    for c in codes:
        err = error_from_frame({"type": "error", "id": "x", "error": {"code": c["code"], "message": "m"}})
        assert type(err) is ps.ERROR_CLASSES[c["code"]]
        assert err.retryable is c["retryable"], c["code"]


def _build(msg: Dict[str, Any]) -> Dict[str, Any]:
    """Builds the vector's message through the client's request builders."""
    kind, rid = msg["type"], msg.get("id")
    if kind == "hello":
        built = _requests.hello(rid or "", msg.get("client"))
        if rid is None:
            del built["id"]
        if msg.get("client") is None:
            del built["client"]
        return built
    if kind == "complete":
        options = {k: msg.get(k) for k in ("model", "agent", "system", "tools", "tool_choice", "max_tokens",
                                           "temperature", "top_p", "stop", "cache", "metadata", "thinking",
                                           "effort")}
        if msg.get("stream") is not None:
            options["stream"] = msg["stream"]
        return _requests.complete(rid, msg["messages"], **options)
    if kind == "cancel":
        return _requests.cancel(rid)
    if kind == "usage":
        query = {k: v for k, v in msg.items() if k not in ("type", "id")}
        return _requests.simple("usage", rid, _requests.usage_query(**query))
    return _requests.simple(kind, rid)


VALID = [v for v in vectors("messages/valid.json") if "decoded" in v]


@pytest.mark.parametrize("v", VALID, ids=[v["name"] for v in VALID])
def test_client_builds_valid_messages(v):
    msg = {k: val for k, val in v["message"].items() if not (k.startswith("x-") or k == "trace")}
    wire = encode_json(_build(msg))
    decoded = decode_payload(wire)
    assert normalize(decoded) == v["decoded"] or v["decoded"]["type"] == "usage" and \
        {"type": decoded["type"], "id": decoded["id"]} == v["decoded"]
    if decoded["type"] == "usage":
        assert {k: decoded[k] for k in decoded if k not in ("type", "id")} == \
            {k: val for k, val in v["message"].items() if k not in ("type", "id")}


def _back_to_wire(frame: Dict[str, Any]) -> Dict[str, Any]:
    """Decodes a sidecar message into the client's typed values, then rebuilds the wire object from them."""
    kind = frame["type"]
    if kind == "chunk":
        c = Chunk.from_frame(frame)
        return {"type": "chunk", "id": c.id, "seq": c.seq, "delta": c.delta}
    if kind == "done":
        r = Result.from_frame(frame)
        u = r.usage
        attempts = []
        for a in r.attempts:
            entry: Dict[str, Any] = {"provider": a.provider, "model": a.model, "duration_ms": a.duration_ms}
            if a.error is not None:
                entry["error"] = a.error
            attempts.append(entry)
        done = {"type": "done", "id": r.id, "provider": r.provider, "model": r.model, "stop_reason": r.stop_reason,
                "content": r.content, "usage": {"input_tokens": u.input_tokens, "output_tokens": u.output_tokens,
                                                "cache_read_tokens": u.cache_read_tokens,
                                                "cache_write_tokens": u.cache_write_tokens, "cost_usd": u.cost_usd,
                                                "reported": u.reported},
                "attempts": attempts, "ttft_ms": r.ttft_ms, "latency_ms": r.latency_ms}
        if u.cache_write_1h_tokens:
            done["usage"]["cache_write_1h_tokens"] = u.cache_write_1h_tokens
        if u.reasoning_tokens is not None:
            done["usage"]["reasoning_tokens"] = u.reasoning_tokens
        if u.web_search_requests:
            done["usage"]["web_search_requests"] = u.web_search_requests
        if u.service_tier is not None:
            done["usage"]["service_tier"] = u.service_tier
        if r.stop_sequence is not None:
            done["stop_sequence"] = r.stop_sequence
        return done
    if kind == "error":
        e = error_from_frame(frame)
        body: Dict[str, Any] = {"code": e.code, "message": e.message, "retryable": e.retryable}
        if e.partial:
            body["partial"] = True
        if e.retry_after_ms is not None:
            body["retry_after_ms"] = e.retry_after_ms
        return {"type": "error", "id": e.request_id, "error": body}
    return dict(frame)  # hello, usage, status, pong are handed to the caller as they are


SERVER = vectors("messages/server.json")


@pytest.mark.parametrize("v", SERVER, ids=[v["name"] for v in SERVER])
def test_client_decodes_every_server_message(v):
    payload = encode_frame(json.dumps(v["message"]).encode())
    decoder = FrameDecoder()
    decoder.feed(payload)
    frame = decode_payload(decoder.next() or b"")
    assert _back_to_wire(frame) == v["message"]


@pytest.mark.parametrize("v", SERVER, ids=[v["name"] for v in SERVER])
def test_canonical_encoding_round_trips(v):
    assert json.loads(encode_json(v["message"])) == v["message"]


def test_tool_calls_show_an_incomplete_call():
    """A tool call cut off by max_tokens comes out incomplete, input None; a complete one is unchanged."""
    frame = next(v["message"] for v in SERVER if v["name"] == "done_tool_use_truncated")
    calls = Result.from_frame(frame).tool_calls
    assert calls[0] == ps.ToolCall(id="toolu_1", name="list_files", input={})
    assert calls[1].incomplete and calls[1].input is None
    assert calls[1].partial_json == '{"path": "notes.txt", "text": "Dear'


def test_thinking_blocks_and_deltas_decode():
    """Thinking blocks keep their signature and data, and go back unchanged in the assistant message."""
    frame = next(v["message"] for v in SERVER if v["name"] == "done_thinking")
    result = Result.from_frame(frame)
    assert result.thinking == [
        ps.Thinking(thinking="Need the clock.", signature="EqQBCkgIARABGAI="),
        ps.Thinking(redacted=True, data="EmwKAhgBEgy3va3pzix/LafPsn4="),
    ]
    assert result.assistant_message()["content"] == frame["content"]
    chunks = {n: Chunk.from_frame(next(v["message"] for v in SERVER if v["name"] == n))
              for n in ("chunk_thinking", "chunk_signature", "chunk_redacted_thinking")}
    assert (chunks["chunk_thinking"].thinking, chunks["chunk_thinking"].text) == ("Need the ", "")
    assert chunks["chunk_signature"].signature == "EqQBCkgIARABGAI="
    assert chunks["chunk_redacted_thinking"].data == "EmwKAhgBEgy3va3pzix/LafPsn4="


def test_stop_reason_constants_are_the_documented_values():
    """`StopReason` lists exactly the values done.json documents; any other string still decodes as itself."""
    schema = json.loads((VECTORS.parent / "schema" / "done.json").read_text(encoding="utf-8"))
    constants = {v for k, v in vars(ps.StopReason).items() if k.isupper()}
    assert constants == set(schema["properties"]["stop_reason"]["examples"])
    frame = next(v["message"] for v in SERVER if v["name"] == "done_unknown_stop_reason")
    assert Result.from_frame(frame).stop_reason == "insufficient_system_resource"


def test_stop_sequence_says_which_sequence_matched():
    frame = next(v["message"] for v in SERVER if v["name"] == "done_stop_sequence")
    result = Result.from_frame(frame)
    assert (result.stop_reason, result.stop_sequence) == (ps.StopReason.STOP_SEQUENCE, "\n\nEND")
    text = next(v["message"] for v in SERVER if v["name"] == "done_text")
    assert Result.from_frame(text).stop_sequence is None
