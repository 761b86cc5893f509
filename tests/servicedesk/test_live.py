"""Toasts reach the signed-in user's browser over the websocket."""

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from branchsvc.live import groups
from servicedesk.consumers import UserNotificationsConsumer


def _communicator(user):
    communicator = WebsocketCommunicator(UserNotificationsConsumer.as_asgi(), "/ws/sd/notifications/")
    communicator.scope["user"] = user
    return communicator


@pytest.mark.django_db
def test_a_toast_pushed_to_the_user_arrives(teller):
    async def scenario():
        communicator = _communicator(teller)
        connected, _ = await communicator.connect()
        assert connected
        layer = get_channel_layer()
        await layer.group_send(
            groups.user(teller.pk),
            {"type": "live.event", "event": "knowledge.changed", "payload": {}},
        )
        await layer.group_send(
            groups.user(teller.pk),
            {"type": "live.event", "event": "toast", "payload": {"text": "工单 WO1 已超时"}},
        )
        message = await communicator.receive_json_from()
        await communicator.disconnect()
        return message

    assert async_to_sync(scenario)() == {"event": "toast", "payload": {"text": "工单 WO1 已超时"}}


def test_a_visitor_is_turned_away():
    async def scenario():
        return await _communicator(AnonymousUser()).connect()

    assert async_to_sync(scenario)() == (False, 4401)
