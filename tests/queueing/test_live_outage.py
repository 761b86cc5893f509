"""Live screens never go silently stale: their websockets beat, say at once when the channel layer
stops carrying events, and resync exactly once when it is back.

The layer here is the in-memory one with a switch that cuts it (as a stopped Redis does: sends
fail, nothing arrives); tests/queueing/test_browser_redis_outage.py stops a real Redis."""

import datetime as dt

import pytest
from asgiref.sync import sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from branchsvc.routing import websocket_urlpatterns
from core import consumers, heartbeat
from queueing import payloads, services
from tests.factories import make_device

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


class CuttableLayer(InMemoryChannelLayer):
    """The in-memory layer, with `cut` standing for Redis being away."""

    cut = False

    async def send(self, channel, message):
        if self.cut:
            raise ConnectionError("channel layer cut")
        await super().send(channel, message)

    async def group_send(self, group, message):
        if self.cut:
            raise ConnectionError("channel layer cut")
        await super().group_send(group, message)


@pytest.fixture
def layer(settings, monkeypatch):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": f"{__name__}.CuttableLayer"}}
    # Quicker beats than in production, so each test takes a moment rather than seconds.
    # (Not so quick that a busy shared machine stalling the loop would look like an outage.)
    monkeypatch.setattr(heartbeat, "PING_SECONDS", 0.1)
    monkeypatch.setattr(heartbeat, "LOST_AFTER_SECONDS", 1.0)
    monkeypatch.setattr(consumers, "BEAT_SECONDS", 0.3)
    return get_channel_layer()


@pytest.fixture
def lobby_screen(branch):
    return make_device(branch, "lobby_screen")[0]


async def _connect(path, *, user=None, device=None):
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns()), path)
    communicator.scope["user"] = user or AnonymousUser()
    communicator.scope["device"] = device
    connected, code = await communicator.connect()
    return communicator, connected, code


async def _next(communicator, event, *, skip=("live.heartbeat",)):
    """The next message called `event`; fails on any other event not in `skip`."""
    for _ in range(100):
        message = await communicator.receive_json_from(timeout=5)
        if message["event"] == event:
            return message["payload"]
        assert message["event"] in skip, f"{message['event']} came before {event}"
    raise AssertionError(f"no {event}")


async def _beat(communicator, *, layer: bool):
    """The next heartbeat that reports the layer as `layer` (beats saying otherwise are skipped)."""
    for _ in range(100):
        payload = await _next(communicator, "live.heartbeat", skip=())
        if payload["layer"] is layer:
            return
    raise AssertionError(f"the layer was never reported {layer}")


async def test_a_lobby_screen_hears_a_heartbeat_while_the_layer_carries_events(layer, lobby_screen):
    communicator, connected, _ = await _connect("/ws/queue/lobby/", device=lobby_screen)
    assert connected
    await _next(communicator, "state")
    assert await _next(communicator, "live.heartbeat", skip=()) == {"layer": True}
    await communicator.disconnect()


async def test_the_screen_is_told_when_the_layer_is_lost_and_resyncs_once_when_it_returns(
        layer, lobby_screen, issue, open_counter, teller):
    ticket = await sync_to_async(issue)()
    communicator, _, _ = await _connect("/ws/queue/lobby/", device=lobby_screen)
    assert (await _next(communicator, "state"))["calls"] == []

    layer.cut = True
    await _beat(communicator, layer=False)
    # The teller's call commits; its push to the screens cannot be sent.
    await sync_to_async(services.ticket_call_next)(actor=teller, counter=open_counter)

    layer.cut = False
    state = await _next(communicator, "state")
    assert [call["number"] for call in state["calls"]] == [ticket.number]
    # Exactly one resync: from now on only beats, all saying the layer is back.
    for _ in range(3):
        assert await _next(communicator, "live.heartbeat", skip=()) == {"layer": True}
    await communicator.disconnect()


async def test_a_screen_connecting_while_the_layer_is_lost_is_told_to_poll(layer, lobby_screen):
    first, _, _ = await _connect("/ws/queue/lobby/", device=lobby_screen)
    await _next(first, "state")
    layer.cut = True
    await _beat(first, layer=False)
    _, connected, code = await _connect("/ws/queue/lobby/", device=lobby_screen)
    assert not connected and code == consumers.LAYER_LOST
    layer.cut = False
    await _next(first, "state")
    await first.disconnect()


async def test_the_ticket_page_dashboard_and_console_beat_too(layer, issue, lobby_manager, teller,
                                                              open_counter, branch):
    ticket = await sync_to_async(issue)()
    screens = [await _connect(f"/ws/queue/ticket/{ticket.public_token}/"),
               await _connect(f"/ws/queue/staff/{branch.code}/", user=lobby_manager),
               await _connect(f"/ws/counter/{open_counter.pk}/", user=teller)]
    for communicator, connected, _ in screens:
        assert connected
        await _next(communicator, "state")
    layer.cut = True
    for communicator, _, _ in screens:
        await _beat(communicator, layer=False)
    layer.cut = False
    for communicator, _, _ in screens:
        await _next(communicator, "state")
        await communicator.disconnect()


async def test_a_lobby_state_cached_before_the_outage_is_not_the_resync(branch, issue, clock):
    stale = await sync_to_async(payloads.cached_lobby_state)(branch)
    await sync_to_async(issue)()
    # As if the issue's forget_lobby_state had failed with the cache away.
    payloads.cache.set(payloads._lobby_key(branch.code), stale, 30)
    clock.shift(dt.timedelta(seconds=5))
    outage_began = timezone.now()
    assert (await sync_to_async(payloads.cached_lobby_state)(branch))["queues"] == stale["queues"]
    fresh = await sync_to_async(payloads.cached_lobby_state)(branch, computed_after=outage_began)
    assert sum(queue["waiting"] for queue in fresh["queues"]) == 1
