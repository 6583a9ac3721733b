"""Framing and canonical JSON, independent of any socket."""

import json
import random

import pytest

from provider_sidecar._framing import FrameDecoder, FramingError, decode_payload, encode_frame, encode_json


def test_frame_is_big_endian_length_then_payload():
    assert encode_frame(b'{"type":"ping"}') == b"\x00\x00\x00\x0f" + b'{"type":"ping"}'


def test_decoder_yields_same_frames_for_any_split():
    payloads = [b'{"a":1}', b'{"type":"chunk","id":"x"}', "{\"t\":\"\u00e9\"}".encode()]
    stream = b"".join(encode_frame(p) for p in payloads)
    rng = random.Random(7)
    for _ in range(50):
        decoder = FrameDecoder()
        out = []
        i = 0
        while i < len(stream):
            step = rng.randint(1, 9)
            decoder.feed(stream[i : i + step])
            i += step
            while True:
                p = decoder.next()
                if p is None:
                    break
                out.append(p)
        assert out == payloads
        decoder.finish()


def test_zero_length_frame_is_reported_and_skipped():
    decoder = FrameDecoder()
    decoder.feed(b"\x00\x00\x00\x00" + encode_frame(b"{}"))
    with pytest.raises(FramingError) as info:
        decoder.next()
    assert info.value.code == "bad_request"
    assert decoder.next() == b"{}"


def test_oversized_frame_is_frame_too_large():
    decoder = FrameDecoder(max_frame=10)
    decoder.feed(b"\x00\x00\x00\x0b")
    with pytest.raises(FramingError) as info:
        decoder.next()
    assert info.value.code == "frame_too_large"


def test_truncated_frame_is_reported_at_end_of_stream():
    decoder = FrameDecoder()
    decoder.feed(b"\x00\x00\x00\x05{}")
    assert decoder.next() is None
    with pytest.raises(FramingError):
        decoder.finish()


@pytest.mark.parametrize("payload,code", [(b"\xff\xfe", "bad_request"), (b"{nope", "bad_request"), (b"[1]", "bad_request")])
def test_payload_must_be_a_utf8_json_object(payload, code):
    with pytest.raises(FramingError) as info:
        decode_payload(payload)
    assert info.value.code == code


def test_canonical_json_puts_type_and_id_first_and_sorts_the_rest():
    out = encode_json({"z": 1, "id": "r1", "a": {"b": [True, None, 1.5]}, "type": "complete"})
    assert out == b'{"type":"complete","id":"r1","a":{"b":[true,null,1.5]},"z":1}'


def test_canonical_json_escapes_like_the_server():
    out = encode_json({"s": "q\"b\\n\nr\rt\t\x01\x08\x0c\u00e9\u2028"})
    assert out == '{"s":"q\\"b\\\\n\\nr\\rt\\t\\u0001\\u0008\\u000c\u00e9\u2028"}'.encode()
    assert json.loads(out) == {"s": "q\"b\\n\nr\rt\t\x01\x08\x0c\u00e9\u2028"}


@pytest.mark.parametrize(
    "number,text",
    [(3, "3"), (2.0, "2"), (-0.5, "-0.5"), (0.1, "0.1"), (1e-5, "1e-05"), (0.0001, "0.0001"), (123456789.5, "123456789.5"),
     (9e15, "9000000000000000.0"), (9.1e15, "9.1e+15"), (1e21, "1e+21"), (1.5e300, "1.5e+300"), (float("nan"), "null")],
)
def test_numbers_match_swift_double_description(number, text):
    assert encode_json(number) == text.encode()
