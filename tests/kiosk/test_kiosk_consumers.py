"""Kiosk websockets: a revoked device is cut off at once; VTM signalling reaches only the other side."""

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from branches.roles import Role
from branches.services import device_revoke
from kiosk import services
from kiosk.consumers import FORBIDDEN_CLOSE_CODE, REVOKED_CLOSE_CODE
from kiosk.models import KioskSession
from kiosk.routing import websocket_urlpatterns
from tests.factories import make_device, make_staff
from tests.kiosk.conftest import asgi_application

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

application = URLRouter(websocket_urlpatterns)


async def connect(path, *, user=None, device=None):
    communicator = WebsocketCommunicator(application, path)
    communicator.scope["user"] = user or AnonymousUser()
    communicator.scope["device"] = device
    connected, code = await communicator.connect()
    return communicator, connected, code


async def test_a_kiosk_connects_and_is_closed_at_once_when_its_token_is_revoked(kiosk_device, branch_admin):
    device = kiosk_device[0]
    communicator, connected, _code = await connect("/ws/kiosk/device/", device=device)
    assert connected
    await sync_to_async(device_revoke)(actor=branch_admin, device=device)
    message = await communicator.receive_json_from(timeout=3)
    assert message["event"] == "device.revoked"
    closed = await communicator.receive_output(timeout=3)
    assert closed == {"type": "websocket.close", "code": REVOKED_CLOSE_CODE}


async def test_staff_and_lobby_screens_cannot_open_the_kiosk_socket(branch, teller):
    screen = (await sync_to_async(make_device)(branch, "lobby_screen"))[0]
    for kwargs in ({"user": teller}, {"device": screen}, {}):
        _communicator, connected, code = await connect("/ws/kiosk/device/", **kwargs)
        assert not connected and code == FORBIDDEN_CLOSE_CODE


async def test_a_revoked_kiosk_browser_session_cannot_connect_through_the_full_stack(kiosk, kiosk_device,
                                                                                     branch_admin):
    full_application = asgi_application()
    cookie = f"sessionid={kiosk.cookies['sessionid'].value}".encode()
    headers = [(b"cookie", cookie), (b"origin", b"http://testserver"), (b"host", b"testserver")]
    communicator = WebsocketCommunicator(full_application, "/ws/kiosk/device/", headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    await communicator.disconnect()
    await sync_to_async(device_revoke)(actor=branch_admin, device=kiosk_device[0])
    communicator = WebsocketCommunicator(full_application, "/ws/kiosk/device/", headers=headers)
    connected, _ = await communicator.connect()
    assert not connected
    response = await sync_to_async(kiosk.post)("/api/kiosk/heartbeat/")
    assert response.status_code in (401, 403)


def _call(vtm_device, account_open, remote_teller):
    session = KioskSession.objects.create(device=vtm_device[0], branch=vtm_device[0].branch)
    call = services.vtm_request(session=session, service_type=account_open)
    return services.vtm_accept(actor=remote_teller, vtm=call)


async def test_signalling_goes_from_the_teller_to_the_kiosk_and_back(vtm_device, account_open, remote_teller,
                                                                     clock):
    call = await sync_to_async(_call)(vtm_device, account_open, remote_teller)
    path = f"/ws/kiosk/vtm/{call.public_id}/"
    kiosk_side, connected, _ = await connect(path, device=vtm_device[0])
    assert connected
    teller_side, connected, _ = await connect(path, user=remote_teller)
    assert connected
    offer = {"description": {"type": "offer", "sdp": "v=0..."}}
    await teller_side.send_json_to({"type": "signal", "data": offer})
    relayed = await kiosk_side.receive_json_from(timeout=3)
    assert relayed == {"event": "signal", "payload": {"from": "teller", **offer}}
    await kiosk_side.send_json_to({"type": "signal", "data": {"candidate": {"candidate": "c"}}})
    relayed = await teller_side.receive_json_from(timeout=3)
    assert relayed["payload"]["candidate"] == {"candidate": "c"}
    assert await teller_side.receive_nothing(timeout=0.2)  # nobody hears their own signals
    await kiosk_side.disconnect()
    await teller_side.disconnect()


async def test_the_teller_confirmation_reaches_the_kiosk_over_the_call_socket(vtm_device, account_open,
                                                                              remote_teller, clock):
    call = await sync_to_async(_call)(vtm_device, account_open, remote_teller)
    kiosk_side, _connected, _ = await connect(f"/ws/kiosk/vtm/{call.public_id}/", device=vtm_device[0])
    await sync_to_async(services.vtm_confirmation_push)(actor=remote_teller, vtm=call, title="确认",
                                                         text="确认开户", needs_signature=False)
    message = await kiosk_side.receive_json_from(timeout=3)
    assert message["event"] == "vtm.confirmation"
    assert message["payload"]["confirmation"]["text"] == "确认开户"
    await kiosk_side.disconnect()


async def test_other_tellers_and_machines_cannot_join_a_call(branch, vtm_device, kiosk_device, account_open,
                                                             remote_teller, clock):
    call = await sync_to_async(_call)(vtm_device, account_open, remote_teller)
    colleague = await sync_to_async(make_staff)(Role.TELLER, branch, username="nosy", is_remote_teller=True)
    path = f"/ws/kiosk/vtm/{call.public_id}/"
    for kwargs in ({"user": colleague}, {"device": kiosk_device[0]}, {}):
        _communicator, connected, _code = await connect(path, **kwargs)
        assert not connected


async def test_remote_tellers_hear_of_new_calls_in_their_branch(vtm_device, account_open, remote_teller,
                                                                clock):
    queue, connected, _ = await connect("/ws/kiosk/tellers/", user=remote_teller)
    assert connected

    def ask():
        session = KioskSession.objects.create(device=vtm_device[0], branch=vtm_device[0].branch)
        return services.vtm_request(session=session, service_type=account_open)

    call = await sync_to_async(ask)()
    message = await queue.receive_json_from(timeout=3)
    assert message["event"] == "vtm.waiting" and message["payload"]["session"] == str(call.public_id)
    await queue.disconnect()


async def test_plain_tellers_get_no_remote_call_queue(teller):
    _communicator, connected, _ = await connect("/ws/kiosk/tellers/", user=teller)
    assert not connected


async def test_a_face_greeting_for_this_kiosk_reaches_its_screen(kiosk_device):
    from core.live import groups, send_now

    communicator, connected, _ = await connect("/ws/kiosk/device/", device=kiosk_device[0])
    assert connected
    greeting = {"greeting": "欢迎您，王先生", "arrival": "t0k", "expires_in": 120, "offers": []}
    await sync_to_async(send_now)(groups.device(kiosk_device[0].pk), "face.greeting", greeting)
    message = await communicator.receive_json_from(timeout=3)
    assert message == {"event": "face.greeting", "payload": greeting}
    await communicator.disconnect()
