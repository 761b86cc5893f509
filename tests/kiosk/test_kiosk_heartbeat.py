"""Heartbeats keep a kiosk online on the lobby manager's dashboard; silence raises one alert."""

import asyncio
import datetime as dt

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from core.live import groups
from kiosk.models import DeviceStatus
from kiosk.services import devices_mark_silent
from kiosk.tasks import scan_silent_devices
from queueing.alerts import recent_alerts


def listen(group: str):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group, channel)
    return layer, channel


def received(layer, channel) -> list[dict]:
    async def drain():
        messages = []
        while True:
            try:
                messages.append(await asyncio.wait_for(layer.receive(channel), timeout=0.2))
            except TimeoutError:
                return messages

    return async_to_sync(drain)()


def test_a_heartbeat_marks_the_kiosk_online_and_tells_the_lobby_manager(
        kiosk, kiosk_device, branch, clock, django_capture_on_commit_callbacks, settings):
    # Listening from a test needs a layer whose channels live here (Redis pub/sub's do not).
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    layer, channel = listen(groups.staff(branch.code))
    with django_capture_on_commit_callbacks(execute=True):
        response = kiosk.post("/api/kiosk/heartbeat/")
    assert response.status_code == 200 and response.json()["online"] is True
    device = kiosk_device[0]
    device.refresh_from_db()
    assert device.last_seen_at is not None
    events = [m["event"] for m in received(layer, channel)]
    assert "device.status" in events and "alert" in events


def test_a_silent_kiosk_goes_offline_once_with_one_alert(kiosk, kiosk_device, branch, clock):
    kiosk.post("/api/kiosk/heartbeat/")
    clock.shift(dt.timedelta(seconds=30))
    assert devices_mark_silent() == []
    clock.shift(dt.timedelta(seconds=60))
    scan_silent_devices.delay()
    scan_silent_devices.delay()
    assert DeviceStatus.objects.get(device=kiosk_device[0]).online is False
    offline = [a for a in recent_alerts(branch) if a["kind"] == "device.offline"]
    point = kiosk_device[0].service_point  # named in each language, not by the device's one name
    assert len(offline) == 1
    assert point.name_en in offline[0]["text"]["en"] and point.name_zh_hans in offline[0]["text"]["zh-hans"]


def test_the_kiosk_comes_back_online_with_its_next_heartbeat(kiosk, kiosk_device, branch, clock):
    kiosk.post("/api/kiosk/heartbeat/")
    clock.shift(dt.timedelta(minutes=5))
    devices_mark_silent()
    kiosk.post("/api/kiosk/heartbeat/")
    assert DeviceStatus.objects.get(device=kiosk_device[0]).online is True
    assert [a["kind"] for a in recent_alerts(branch)][:2] == ["device.online", "device.offline"]


def test_the_lobby_manager_sees_online_and_offline_devices(client, kiosk, kiosk_device, vtm_device,
                                                           lobby_manager):
    kiosk.post("/api/kiosk/heartbeat/")
    client.force_login(lobby_manager)
    page = client.get("/kiosk/devices/").content.decode()
    assert kiosk_device[0].name in page and vtm_device[0].name in page
    assert page.count('class="badge good"') == 1 and page.count('class="badge bad"') == 1


def test_tellers_and_customers_do_not_see_the_device_list(client, teller, customer_user):
    for user in (teller, customer_user):
        client.force_login(user)
        assert client.get("/kiosk/devices/").status_code == 403
