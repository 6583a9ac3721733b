"""End to end: both clients against the real `provider-sidecar` binary and its simulated provider.

Skipped only when the binary has not been built (PROVIDER_SIDECAR_BIN, else <repo>/.build/debug).
"""

import asyncio
import json

import pytest

import provider_sidecar as ps

WEATHER = {
    "name": "get_weather",
    "description": "Current weather for a city",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
}


def test_hello_names_the_server_and_models(sidecar):
    with ps.Client(sidecar.path) as client:
        assert client.server_hello["protocol"] == 1
        assert client.server_hello["max_frame"] > 0
        client.ping()


def test_stream_text_with_usage(sidecar):
    with ps.Client(sidecar.path) as client:
        stream = client.complete("Hello there", model="sim/sim-fast", max_tokens=200)
        chunks = list(stream)
        assert chunks and all(c.type == "text" for c in chunks)
        assert [c.seq for c in chunks] == list(range(len(chunks)))
        result = stream.result
        assert result.text == "".join(c.text for c in chunks)
        assert result.provider == "sim" and result.stop_reason == "end_turn"
        assert result.usage.input_tokens > 0 and result.usage.output_tokens > 0


def test_tool_call_round_trip(sidecar):
    messages = [{"role": "user", "content": "What is the weather in Paris?"}]
    with ps.Client(sidecar.path) as client:
        stream = client.complete(messages, model="sim-tools", tools=[WEATHER])
        chunks = list(stream)
        starts = [c for c in chunks if c.type == "tool_use"]
        assert len(starts) == 1 and starts[0].name == "get_weather"
        arguments = "".join(c.partial_json for c in chunks if c.type == "tool_input" and c.index == starts[0].index)
        call = stream.result.tool_calls[0]
        assert stream.result.stop_reason == "tool_use"
        assert call.name == "get_weather" and call.id == starts[0].tool_use_id
        assert json.loads(arguments) == call.input and isinstance(call.input, dict)

        messages += [stream.result.assistant_message(), ps.tool_result(call.id, {"temperature_c": 18})]
        answer = client.complete(messages, model="sim-tools", tools=[WEATHER]).wait()
        assert answer.stop_reason == "end_turn" and answer.text and not answer.tool_calls


def test_typed_errors(sidecar):
    with ps.Client(sidecar.path) as client:
        with pytest.raises(ps.BadRequestError) as info:
            client.complete("x", model="sim-fail-400").wait()
        assert isinstance(info.value, ps.ProtocolError) and not info.value.retryable
        with pytest.raises(ps.UnknownModelError):
            client.complete_text("x", model="no-such-provider/no-such-model")
        assert client.complete_text("still usable", model="sim-fast")


def test_cancel_mid_stream(sidecar):
    with ps.Client(sidecar.path) as client:
        stream = client.complete("tell me a long story", model="sim-pace-200")
        first = next(stream)
        assert first.type == "text"
        assert stream.cancel() is True
        assert stream.result is None
        client.ping()


def test_status_and_usage_reports(sidecar):
    with ps.Client(sidecar.path) as client:
        client.complete_text("count me", model="sim-fast", agent="default")
        status = client.status()
        assert "sidecar" in status and "providers" in status
        assert isinstance(client.usage(group_by="model"), dict)


def test_async_multiplexing_and_cancel(sidecar):
    async def main():
        async with ps.AsyncClient(sidecar.path) as client:
            async def one(i):
                stream = client.complete("request %d" % i, model="sim-fast")
                text = "".join([c.text async for c in stream])
                assert text == stream.result.text
                return stream.result

            results = await asyncio.gather(*(one(i) for i in range(8)))
            assert len({r.id for r in results}) == 8
            assert all("request" in r.text for r in results)

            slow = client.complete("slow", model="sim-pace-200")
            async for _ in slow:
                break  # leaving the loop cancels the request
            hang = client.complete("never", model="sim-hang")
            task = asyncio.ensure_future(hang.wait())
            await client.ping()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            await client.ping()
            with pytest.raises(ps.BadRequestError):
                await client.complete("x", model="sim-fail-400")

    asyncio.run(main())


def test_python_agent_example_runs_a_tool_call(sidecar):
    """examples/python_agent.py, as a developer would run it, streams a tool call and prints usage."""
    import os
    import subprocess
    import sys

    from conftest import REPO

    env = dict(os.environ, PYTHONPATH=str(REPO / "clients" / "python"), PROVIDER_SIDECAR_SOCKET=sidecar.path)
    done = subprocess.run([sys.executable, str(REPO / "examples" / "python_agent.py"), "--model", "sim-tools"],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "[calling get_weather]" in done.stdout
    assert "[turn 1: sim/sim-tools" in done.stderr and "[turn 2: sim/sim-tools" in done.stderr
    assert "get_weather(" in done.stderr
