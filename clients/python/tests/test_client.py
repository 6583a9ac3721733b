"""The blocking client's own logic against a scripted peer: routing by id, cancel, failures."""

import threading

import pytest

import provider_sidecar as ps
from scripted import Script


@pytest.fixture
def peer(peer_factory):
    script = Script()
    p = peer_factory(script)
    p.script = script
    return p


def test_hello_then_stream_and_result(peer):
    with ps.Client(peer.path) as client:
        assert client.server_hello["server"]["name"] == "scripted"
        stream = client.complete("hello", model="echo", max_tokens=5)
        assert [c.text for c in stream] == ["hi", " there"]
        assert stream.result.text == "hi there" and stream.result.usage.output_tokens == 2
    sent = peer.wait_for(lambda m: m.get("type") == "complete")
    assert sent["messages"] == [{"role": "user", "content": "hello"}] and sent["max_tokens"] == 5
    assert sent["stream"] is True and "system" not in sent
    assert "thinking" not in sent and "effort" not in sent


def test_reasoning_fields(peer):
    with ps.Client(peer.path) as client:
        stream = client.complete("hello", model="echo", thinking={"type": "enabled", "budget_tokens": 2048},
                                 effort="minimal")
        assert stream.wait().text == "hi there"
    sent = peer.wait_for(lambda m: m.get("type") == "complete")
    assert sent["thinking"] == {"type": "enabled", "budget_tokens": 2048} and sent["effort"] == "minimal"


def test_interleaved_requests_are_routed_by_id(peer):
    with ps.Client(peer.path) as client:
        a = client.complete("a", model="pair")
        b = client.complete("b", model="pair")
        assert [c.text for c in b] == ["%s:0" % b.id, "%s:1" % b.id]
        assert [c.text for c in a] == ["%s:0" % a.id, "%s:1" % a.id]
        assert (a.result.text, b.result.text) == ("a", "b")


def test_threads_share_one_client(peer):
    with ps.Client(peer.path) as client:
        results = []

        def run(tag):
            results.append(client.complete(tag, model="pair").wait().text)

        threads = [threading.Thread(target=run, args=(t,)) for t in ("x", "y")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == ["a", "b"]


def test_error_frame_raises_typed_error(peer):
    with ps.Client(peer.path) as client:
        with pytest.raises(ps.RateLimitedError) as info:
            client.complete("x", model="fail").wait()
        assert info.value.retryable and info.value.retry_after_ms == 250
        client.ping()  # the connection stays usable


def test_closing_an_unfinished_stream_sends_cancel(peer):
    with ps.Client(peer.path) as client:
        with client.complete("x", model="hold") as stream:
            first = next(iter(stream))
            assert first.text == "..."
        peer.wait_for(lambda m: m.get("type") == "cancel" and m.get("id") == stream.id)
        client.ping()


def test_dropping_an_unfinished_stream_sends_cancel(peer):
    with ps.Client(peer.path) as client:
        stream = client.complete("x", model="hold")
        target = stream.id
        for _ in stream:
            break
        del stream
        client.ping()  # the next request on the client flushes the cancel first
        peer.wait_for(lambda m: m.get("type") == "cancel" and m.get("id") == target)


def test_status_and_usage_return_the_report(peer):
    with ps.Client(peer.path) as client:
        assert client.status() == {"echo": {}}
        import datetime

        report = client.usage(agent="coder", since=datetime.date(2026, 11, 25),
                              until=datetime.datetime(2026, 12, 1, 8, 30, tzinfo=datetime.timezone.utc))
        assert report == {"echo": {"agent": "coder", "since": "2026-11-25", "until": "2026-12-01T08:30:00Z"}}


def test_connection_loss_fails_pending_requests(peer):
    with ps.Client(peer.path) as client:
        stream = client.complete("x", model="drop")
        peer.script.drop.wait()
        peer.drop_connections()
        with pytest.raises(ps.SidecarConnectionError):
            stream.wait()
        with pytest.raises(ps.SidecarConnectionError):
            client.ping()


def test_complete_text_sends_an_unstreamed_request(peer):
    with ps.Client(peer.path) as client:
        assert client.complete_text("hi", model="echo") == "hi there"
    sent = peer.wait_for(lambda m: m.get("type") == "complete")
    assert sent["stream"] is False


def test_cancel_waits_for_the_sidecar_to_confirm(peer):
    with ps.Client(peer.path) as client:
        stream = client.complete("x", model="hold")
        next(stream)
        assert stream.cancel() is True
        assert stream.result is None
        finished = client.complete("x", model="echo")
        finished.wait()
        assert finished.cancel() is False


def test_oversized_request_is_refused_before_sending(peer):
    with ps.Client(peer.path) as client:
        client._conn.max_frame = 200  # as if the sidecar's hello had announced it
        with pytest.raises(ps.FrameTooLargeError):
            client.complete("x" * 500, model="echo")
        client.ping()
    assert not any(m.get("type") == "complete" for m in peer.received)


def test_unknown_types_and_duplicate_id_do_not_end_a_stream(peer):
    with ps.Client(peer.path) as client:
        stream = client.complete("x", model="noisy")
        assert [c.text for c in stream] == ["a", "b"] and stream.result.text == "ab"


def test_reads_frames_larger_than_max_frame(peer):
    with ps.Client(peer.path) as client:
        assert len(client.complete_text("x", model="big")) == 9 * 1024 * 1024
