import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from branches.roles import Role
from queueing import services
from queueing.routing import websocket_urlpatterns
from tests.factories import make_customer, make_device, make_staff

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

application = URLRouter(websocket_urlpatterns)


async def _connect(path, *, user=None, device=None):
    from django.contrib.auth.models import AnonymousUser

    communicator = WebsocketCommunicator(application, path)
    communicator.scope["user"] = user or AnonymousUser()
    communicator.scope["device"] = device
    connected, _ = await communicator.connect()
    return communicator, connected


async def _event(communicator, name):
    """The next event called `name` (others, like estimate refreshes, are skipped)."""
    for _ in range(20):
        message = await communicator.receive_json_from(timeout=3)
        if message["event"] == name:
            return message["payload"]
    raise AssertionError(f"no {name} event")


@pytest.fixture
def lobby_screen(branch):
    return make_device(branch, "lobby_screen")[0]


async def test_the_lobby_screen_gets_the_full_state_on_connect(lobby_screen, issue):
    await sync_to_async(issue)()
    communicator, connected = await _connect("/ws/queue/lobby/", device=lobby_screen)
    assert connected
    state = await _event(communicator, "state")
    assert state["branch"]["code"] == "BJ901"
    assert {"queue": "A", "waiting": 1} .items() <= next(
        q for q in state["queues"] if q["queue"] == "A").items()
    await communicator.disconnect()


async def test_a_call_reaches_the_lobby_without_anything_personal(lobby_screen, issue, open_counter,
                                                                  teller, branch):
    customer = await sync_to_async(make_customer)(branch=branch, name="王小明", vip_tier=0)
    ticket = await sync_to_async(issue)(customer=customer)
    communicator, _ = await _connect("/ws/queue/lobby/", device=lobby_screen)
    await _event(communicator, "state")
    await sync_to_async(services.ticket_call_next)(actor=teller, counter=open_counter)
    call = await _event(communicator, "ticket.called")
    assert call["number"] == ticket.number
    assert call["counter"]["code"] == open_counter.code
    flat = str(call)
    assert "王" not in flat and customer.phone not in flat
    assert "customer" not in call and "name" not in call
    await communicator.disconnect()


async def test_a_reconnecting_lobby_screen_resyncs_what_it_missed(lobby_screen, issue, open_counter,
                                                                 teller):
    communicator, _ = await _connect("/ws/queue/lobby/", device=lobby_screen)
    await _event(communicator, "state")
    await communicator.disconnect()
    ticket = await sync_to_async(issue)()
    await sync_to_async(services.ticket_call_next)(actor=teller, counter=open_counter)
    communicator, _ = await _connect("/ws/queue/lobby/", device=lobby_screen)
    state = await _event(communicator, "state")
    assert state["calls"][0]["number"] == ticket.number
    await communicator.disconnect()


async def test_a_kiosk_device_cannot_open_the_lobby_feed(branch):
    kiosk = await sync_to_async(lambda: make_device(branch, "kiosk")[0])()
    _, connected = await _connect("/ws/queue/lobby/", device=kiosk)
    assert not connected


async def test_staff_preview_the_lobby_of_their_branch_only(teller, other_branch, branch):
    _, connected = await _connect(f"/ws/queue/lobby/?branch={branch.code}", user=teller)
    assert connected
    _, connected = await _connect(f"/ws/queue/lobby/?branch={other_branch.code}", user=teller)
    assert not connected


async def test_the_customer_page_hears_its_ticket_called(issue, open_counter, teller):
    ticket = await sync_to_async(issue)()
    communicator, connected = await _connect(f"/ws/queue/ticket/{ticket.public_token}/")
    assert connected
    state = await _event(communicator, "state")
    assert state["number"] == ticket.number and state["status"] == "waiting"
    await sync_to_async(services.ticket_call_next)(actor=teller, counter=open_counter)
    update = await _event(communicator, "ticket.updated")
    assert update["status"] == "called"
    assert update["counter"]["code"] == open_counter.code
    await communicator.disconnect()


async def test_the_customer_page_learns_it_is_next(issue, open_counter, teller):
    await sync_to_async(issue)()
    second = await sync_to_async(issue)()
    communicator, _ = await _connect(f"/ws/queue/ticket/{second.public_token}/")
    assert (await _event(communicator, "state"))["you_are_next"] is False
    await sync_to_async(services.ticket_call_next)(actor=teller, counter=open_counter)
    update = await _event(communicator, "ticket.updated")
    assert update["position"] == 1 and update["you_are_next"] is True
    await communicator.disconnect()


async def test_an_unknown_ticket_token_is_refused(db):
    _, connected = await _connect("/ws/queue/ticket/not-a-token/")
    assert not connected


async def test_the_dashboard_feed_is_for_lobby_managers_of_the_branch(lobby_manager, teller, branch,
                                                                       other_branch, issue):
    await sync_to_async(issue)()
    communicator, connected = await _connect(f"/ws/queue/staff/{branch.code}/", user=lobby_manager)
    assert connected
    state = await _event(communicator, "state")
    assert [t["number"] for t in state["waiting"]] == ["A001"]
    await communicator.disconnect()
    _, connected = await _connect(f"/ws/queue/staff/{branch.code}/", user=teller)
    assert not connected
    stranger = await sync_to_async(make_staff)(Role.LOBBY_MANAGER, other_branch)
    _, connected = await _connect(f"/ws/queue/staff/{branch.code}/", user=stranger)
    assert not connected


async def test_the_dashboard_gets_alerts_from_other_apps(lobby_manager, branch):
    from queueing.alerts import alert_raise

    communicator, _ = await _connect(f"/ws/queue/staff/{branch.code}/", user=lobby_manager)
    await _event(communicator, "state")
    await sync_to_async(alert_raise)(branch=branch, kind="vip_face", level="info",
                                     text={"zh-hans": "贵宾到店", "en": "VIP arrived"})
    alert = await _event(communicator, "alert")
    assert alert["text"]["en"] == "VIP arrived" and alert["level"] == "info"
    await communicator.disconnect()
