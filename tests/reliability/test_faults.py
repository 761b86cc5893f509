"""Fault tests on the production pieces (Redis channel layer and cache), each against a Redis of
its own that the test starts, stops and starts again — never the machine's shared one.

Redis stops while lobby screens are connected: the kiosks keep issuing tickets over HTTP (a live
push that cannot be sent must not turn a committed ticket into an error the customer retries),
and when Redis is back a screen that reconnects gets the full state: every ticket once."""

import shutil
import socket
import subprocess
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

BOUND = 90  # seconds: the whole fault test


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnRedis:
    def __init__(self, tmp_path):
        self.port = _free_port()
        self.dir = tmp_path

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        subprocess.run(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                        "--appendonly", "no", "--dir", str(self.dir), "--daemonize", "yes"], check=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True,
                              text=True).stdout.strip() == "PONG":
                return
            time.sleep(0.1)
        raise AssertionError("own redis-server did not start")

    def stop(self) -> None:
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True)


@pytest.fixture
def own_redis(require_service, tmp_path, settings):
    require_service("redis")
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server")
    redis = OwnRedis(tmp_path)
    redis.start()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": redis.url, "KEY_PREFIX": "fault"}}
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                                           "CONFIG": {"hosts": [redis.url], "prefix": "fault"}}}
    yield redis
    redis.stop()


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
        own_redis, branch, clock):
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
