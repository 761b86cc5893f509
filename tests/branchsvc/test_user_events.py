"""A signed-in person's own events (toasts, knowledge notices) reach their browser on any page."""

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from core.consumers import UserEventsConsumer
from core.live import groups


def _communicator(user):
    communicator = WebsocketCommunicator(UserEventsConsumer.as_asgi(), "/ws/me/")
    communicator.scope["user"] = user
    return communicator


@pytest.mark.django_db
def test_events_pushed_to_the_user_arrive_in_order(teller):
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
        messages = [await communicator.receive_json_from(), await communicator.receive_json_from()]
        await communicator.disconnect()
        return messages

    assert async_to_sync(scenario)() == [
        {"event": "knowledge.changed", "payload": {}},
        {"event": "toast", "payload": {"text": "工单 WO1 已超时"}},
    ]


def test_every_signed_in_page_listens_for_the_persons_events(client, teller):
    client.force_login(teller)
    assert 'data-user-events="/ws/me/"' in client.get("/staff/").content.decode()
    client.logout()
    assert "data-user-events" not in client.get("/accounts/login/").content.decode()


def test_a_visitor_is_turned_away():
    async def scenario():
        return await _communicator(AnonymousUser()).connect()

    assert async_to_sync(scenario)() == (False, 4401)
