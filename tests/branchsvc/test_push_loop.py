"""A Celery worker sends its live pushes from one event loop (one channel-layer connection pool),
not a new loop and connection per push (issue 27: 438 ms of CPU for one refresh's 203 pushes)."""

import asyncio

import pytest
from channels.layers import get_channel_layer

from core import live


@pytest.fixture
def one_loop(monkeypatch):
    monkeypatch.setattr(live, "_one_loop", False)
    monkeypatch.setattr(live, "_loop", None)
    live.use_one_push_loop()
    yield
    loop = live._loop
    if loop is not None:
        loop.call_soon_threadsafe(loop.stop)


def test_pushes_from_a_worker_share_one_loop_and_arrive(one_loop):
    layer = get_channel_layer()
    loop = live._push_loop()
    channel = asyncio.run_coroutine_threadsafe(layer.new_channel(), loop).result(5)
    asyncio.run_coroutine_threadsafe(layer.group_add("ticket.T1", channel), loop).result(5)
    for number in ("A001", "A002"):
        live.send_now("ticket.T1", "estimate.changed", {"number": number})
    assert live._loop is loop
    received = [asyncio.run_coroutine_threadsafe(layer.receive(channel), loop).result(5)
                for _ in range(2)]
    assert [m["payload"]["number"] for m in received] == ["A001", "A002"]
    assert received[0]["text"].startswith('{"event": "estimate.changed"')
