"""Websocket pushes, sent only after the surrounding transaction commits."""

import json

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction


class groups:  # noqa: N801 - a namespace of group-name builders
    @staticmethod
    def lobby(branch_code: str) -> str:
        return f"lobby.{branch_code}"

    @staticmethod
    def staff(branch_code: str) -> str:
        return f"staff.{branch_code}"

    @staticmethod
    def counter(service_point_id: int) -> str:
        return f"counter.{service_point_id}"

    @staticmethod
    def device(device_id: int) -> str:
        return f"device.{device_id}"

    @staticmethod
    def ticket(public_token: str) -> str:
        return f"ticket.{public_token}"

    @staticmethod
    def user(user_id: int) -> str:
        return f"user.{user_id}"


def send_now(group: str, event: str, payload: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    # Encoded once here, not once per screen: a lobby group holds hundreds of them (LiveConsumer).
    text = json.dumps({"event": event, "payload": payload}, ensure_ascii=False, cls=DjangoJSONEncoder)
    async_to_sync(layer.group_send)(group, {"type": "live.event", "event": event, "payload": payload,
                                            "text": text})


def push(group: str, event: str, payload: dict) -> None:
    """Queue a live event for `group`; it is sent when the current transaction commits."""
    # robust: a push that cannot be sent (channel layer down) is logged, never turned into an error
    # for a write that has already committed; screens resync with the full state on reconnect.
    transaction.on_commit(lambda: send_now(group, event, payload), robust=True)
