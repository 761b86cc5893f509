"""Kiosk websockets. Thin: check who connects, join the groups, relay.

- `ws/kiosk/device/`: the kiosk or VTM page. Joins the device's group, relays its events (face
  greetings, revocation) and closes at once on "device.revoked".
- `ws/kiosk/vtm/<id>/`: one VTM call. The kiosk and the remote teller who took it exchange
  WebRTC signalling (offer/answer/ICE) through the call's group; media never passes here.
- `ws/kiosk/tellers/`: a remote teller's live queue of waiting calls."""

from channels.db import database_sync_to_async
from django.http import Http404

from branches.access import staff_branches
from core.consumers import LiveConsumer
from core.live import groups
from kiosk.models import VtmSession, VtmStatus
from kiosk.services import KIOSK_KINDS, is_remote_teller, remote_tellers_group, sign_agent_present

REVOKED_CLOSE_CODE = 4401
FORBIDDEN_CLOSE_CODE = 4403
SIGNAL_MAX_BYTES = 64 * 1024


class _RelayConsumer(LiveConsumer):
    """Joins `self.groups_joined`, relays their live events, closes when the device is revoked."""

    groups_joined: list[str]

    async def connect(self):
        self.groups_joined = []
        joined = await database_sync_to_async(self.authorise)()
        if not joined:
            await self.close(code=FORBIDDEN_CLOSE_CODE)
            return
        for group in joined:
            await self.channel_layer.group_add(group, self.channel_name)
        self.groups_joined = joined
        await self.accept()

    async def disconnect(self, code):
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def live_event(self, event):
        if event["event"] == "device.revoked":
            await self.send_json({"event": "device.revoked", "payload": {}})
            await self.close(code=REVOKED_CLOSE_CODE)
            return
        await self.relay(event)

    def authorise(self) -> list[str]:
        raise NotImplementedError


def _kiosk_device(scope):
    device = scope.get("device")
    return device if device is not None and device.kind in KIOSK_KINDS else None


class KioskDeviceConsumer(_RelayConsumer):
    def authorise(self) -> list[str]:
        device = _kiosk_device(self.scope)
        return [groups.device(device.pk)] if device else []

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            await self.send_json({"event": "pong", "payload": {}})


class VtmSignalConsumer(_RelayConsumer):
    """Relays {"type": "signal", "data": {...}} from one side of the call to the other."""

    def authorise(self) -> list[str]:
        try:
            public_id = self.scope["url_route"]["kwargs"]["public_id"]
            vtm = VtmSession.objects.select_related("device").get(public_id=public_id)
        except (VtmSession.DoesNotExist, Http404, ValueError):
            return []
        if vtm.status not in (VtmStatus.WAITING, VtmStatus.CONNECTED):
            return []
        device, user = _kiosk_device(self.scope), self.scope.get("user")
        if device is not None and vtm.device_id == device.pk:
            self.side = "kiosk"
            return [vtm.group, groups.device(device.pk)]
        if device is None and user is not None and user.is_authenticated and vtm.teller_id == user.pk:
            self.side = "teller"
            return [vtm.group]
        return []

    async def receive_json(self, content, **kwargs):
        if content.get("type") != "signal" or not isinstance(content.get("data"), dict):
            return
        if len(str(content["data"])) > SIGNAL_MAX_BYTES:
            return
        await self.channel_layer.group_send(self.groups_joined[0], {
            "type": "vtm.signal", "data": content["data"], "side": self.side, "sender": self.channel_name})

    async def vtm_signal(self, event):
        if event["sender"] != self.channel_name:
            await self.send_json({"event": "signal", "payload": {"from": event["side"], **event["data"]}})


class RemoteTellerQueueConsumer(_RelayConsumer):
    def authorise(self) -> list[str]:
        user = self.scope.get("user")
        if self.scope.get("device") is not None or user is None or not is_remote_teller(user):
            return []
        sign_agent_present(user, True)
        return [remote_tellers_group(code) for code in staff_branches(user).values_list("code", flat=True)]

    async def disconnect(self, code):
        await super().disconnect(code)
        if self.groups_joined:
            await database_sync_to_async(sign_agent_present)(self.scope["user"], False)
