"""Fault tests on the production pieces (Redis channel layer and cache), each against a Redis of
its own that the test starts, stops and starts again — never the machine's shared one.

Redis stops while lobby screens are connected: the kiosks keep issuing tickets over HTTP (a live
push that cannot be sent must not turn a committed ticket into an error the customer retries),
and when Redis is back a screen that reconnects gets the full state: every ticket once."""

import time

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from branchsvc.routing import websocket_urlpatterns
from queueing.models import Ticket
from tests.factories import make_device, make_service_type
from tests.own_redis import own_redis  # noqa: F401 (fixture)

BOUND = 90  # seconds: the whole fault test


async def _lobby_state(device) -> dict:
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns()), "/ws/queue/lobby/")
    communicator.scope["user"] = AnonymousUser()
    communicator.scope["device"] = device
    connected, _ = await communicator.connect(timeout=10)
    assert connected
    message = await communicator.receive_json_from(timeout=10)
    await communicator.disconnect()
    assert message["event"] == "state"
    return message["payload"]


async def _reconnected_lobby_state(device, attempts: int = 20) -> dict:
    """Like the screen's live.js: reconnect with a pause until the server accepts again (the
    channel layer notices its old Redis connection is gone on the first try)."""
    import asyncio

    for _ in range(attempts - 1):
        try:
            return await _lobby_state(device)
        except Exception as error:  # refused, timed out, redis.exceptions.ConnectionError...
            last = error
        await asyncio.sleep(0.5)
    raise AssertionError(f"the lobby never came back: {last!r}")


def _waiting(state: dict, queue: str) -> int:
    return next((q["waiting"] for q in state["queues"] if q["queue"] == queue), 0)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_kiosks_keep_issuing_while_redis_is_down_and_screens_resync_after(
        own_redis, branch, clock):  # noqa: F811
    started = time.monotonic()
    service = await sync_to_async(make_service_type)("FAULT", target_minutes=5)
    screen, screen_token = await sync_to_async(make_device)(branch, "lobby_screen")
    screen_http = Client(HTTP_AUTHORIZATION=f"Device {screen_token}")
    _kiosk, token = await sync_to_async(make_device)(branch, "kiosk")
    kiosk = Client(HTTP_AUTHORIZATION=f"Device {token}")

    def issue():
        return kiosk.post(f"/api/queue/branches/{branch.code}/tickets/",
                          {"service": service.code, "source": "kiosk"}, content_type="application/json")

    assert (await sync_to_async(issue)()).status_code == 201
    before = await _lobby_state(screen)

    own_redis.stop()
    answers = [(await sync_to_async(issue)()).status_code for _ in range(3)]
    assert answers == [201, 201, 201], "a kiosk got an error for a ticket it may then take twice"
    # The screen's fallback while its websocket is down: polling the state over HTTP.
    polled = await sync_to_async(screen_http.get)(f"/api/queue/branches/{branch.code}/lobby/")
    assert polled.status_code == 200
    queue = polled.json()["queues"][0]["queue"]
    assert _waiting(polled.json(), queue) == _waiting(before, queue) + 3

    own_redis.start()
    after = await _reconnected_lobby_state(screen)
    numbers = await sync_to_async(lambda: list(Ticket.objects.values_list("number", flat=True)))()
    assert len(numbers) == len(set(numbers)) == 4
    assert _waiting(after, queue) == _waiting(before, queue) + 3 == 4
    assert time.monotonic() - started < BOUND


def test_the_lobby_page_polls_its_own_branch_only(branch, other_branch, client, clock):
    screen, token = make_device(branch, "lobby_screen")
    stranger = make_device(other_branch, "lobby_screen")[1]
    poll = f"/api/queue/branches/{branch.code}/lobby/"
    assert Client(HTTP_AUTHORIZATION=f"Device {token}").get(poll).status_code == 200
    assert Client(HTTP_AUTHORIZATION=f"Device {stranger}").get(poll).status_code == 404
    assert client.get(poll).status_code in (401, 403)
