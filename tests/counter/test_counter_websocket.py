"""The console's websocket: the teller hears their counter's events; nobody else may listen."""

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from branches.roles import Role
from core.live import groups, send_now
from counter.routing import websocket_urlpatterns
from tests.factories import make_counter, make_staff

application = URLRouter(websocket_urlpatterns)


async def connect(user, point):
    communicator = WebsocketCommunicator(application, f"/ws/counter/{point.pk}/")
    communicator.scope["user"] = user
    connected, _ = await communicator.connect()
    return communicator, connected


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_the_teller_receives_the_counters_events(branch):
    teller = await sync_to_async(make_staff)(Role.TELLER, branch)
    point = await sync_to_async(make_counter)(branch, "05")
    communicator, connected = await connect(teller, point)
    assert connected
    assert (await communicator.receive_json_from())["event"] == "state"  # the console refreshes
    await sync_to_async(send_now)(groups.counter(point.pk), "counter.signed", {"record": 1})
    assert (await communicator.receive_json_from())["event"] == "counter.signed"
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_teller_of_another_branch_is_refused(branch, other_branch):
    stranger = await sync_to_async(make_staff)(Role.TELLER, other_branch)
    point = await sync_to_async(make_counter)(branch, "05")
    _, connected = await connect(stranger, point)
    assert not connected
