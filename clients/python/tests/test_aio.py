"""The asyncio client against a scripted peer: multiplexing, cancel on task cancel and on break."""

import asyncio

import pytest

import provider_sidecar as ps
from scripted import Script


@pytest.fixture
def peer(peer_factory):
    script = Script()
    p = peer_factory(script)
    p.script = script
    return p


def run(coro):
    return asyncio.run(coro)


def test_concurrent_streams_share_one_connection(peer):
    async def main():
        async with ps.AsyncClient(peer.path) as client:
            async def collect(tag):
                stream = client.complete(tag, model="pair")
                texts = [c.text async for c in stream]
                return stream.id, texts, stream.result.text

            results = await asyncio.gather(collect("a"), collect("b"))
            for rid, texts, _ in results:
                assert texts == ["%s:0" % rid, "%s:1" % rid]
            assert sorted(r[2] for r in results) == ["a", "b"]

    run(main())


def test_await_gives_the_result(peer):
    async def main():
        async with ps.AsyncClient(peer.path) as client:
            result = await client.complete([{"role": "user", "content": "q"}], model="echo")
            assert result.text == "hi there" and result.stop_reason == "end_turn"
            assert await client.complete_text("q", model="echo") == "hi there"

    run(main())


def test_breaking_out_of_async_for_sends_cancel(peer):
    async def main():
        async with ps.AsyncClient(peer.path) as client:
            stream = client.complete("x", model="hold")
            async for _ in stream:
                break
            await client.ping()
            return stream.id

    target = run(main())
    peer.wait_for(lambda m: m.get("type") == "cancel" and m.get("id") == target)


def test_cancelling_the_task_sends_cancel(peer):
    async def main():
        async with ps.AsyncClient(peer.path) as client:
            stream = client.complete("x", model="hold")
            started = asyncio.Event()

            async def consume():
                async for _ in stream:
                    started.set()

            task = asyncio.ensure_future(consume())
            await started.wait()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            await client.ping()
            return stream.id

    target = run(main())
    peer.wait_for(lambda m: m.get("type") == "cancel" and m.get("id") == target)


def test_typed_errors_and_connection_loss(peer):
    async def main():
        async with ps.AsyncClient(peer.path) as client:
            with pytest.raises(ps.RateLimitedError):
                await client.complete("x", model="fail")
            stream = client.complete("x", model="drop")
            chunks = stream.__aiter__()
            await chunks.__anext__()
            peer.drop_connections()
            with pytest.raises(ps.SidecarConnectionError):
                await chunks.__anext__()

    run(main())


def test_missing_socket_message(socket_dir):
    async def main():
        with pytest.raises(ps.SidecarConnectionError) as info:
            await ps.AsyncClient(socket_dir + "/none.sock").ping()
        assert "provider-sidecar serve" in str(info.value)

    run(main())


def test_cancel_waits_for_the_sidecar_to_confirm(peer):
    async def main():
        async with ps.AsyncClient(peer.path) as client:
            stream = client.complete("x", model="hold")
            async for _ in stream:
                break
            # the loop's generator was abandoned, the request cancelled: cancel() has nothing left to do
            other = client.complete("y", model="hold")
            chunks = other.__aiter__()
            await chunks.__anext__()
            assert await other.cancel() is True

    run(main())


def test_async_ignores_unknown_types_and_duplicate_id_and_reads_big_frames(peer):
    async def main():
        async with ps.AsyncClient(peer.path) as client:
            stream = client.complete("x", model="noisy")
            assert [c.text async for c in stream] == ["a", "b"]
            assert len(await client.complete_text("x", model="big")) == 9 * 1024 * 1024

    run(main())
