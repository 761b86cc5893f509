"""Websocket pushes, sent only after the surrounding transaction commits."""

import asyncio
import json
import threading

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


_one_loop = False
_loop: asyncio.AbstractEventLoop | None = None
_loop_lock = threading.Lock()


def use_one_push_loop() -> None:
    """Send this process's pushes from one long-lived event loop (a Celery worker child calls it).

    Outside an ASGI server, `async_to_sync` makes a new event loop per call, and the Redis channel
    layer a new connection per loop: an estimate refresh pushing to 200 ticket pages paid 200
    connections. One loop keeps one connection pool for the life of the process."""
    global _one_loop, _loop
    _one_loop, _loop = True, None  # a loop inherited through fork has no thread running it


def _push_loop() -> asyncio.AbstractEventLoop:
    global _loop
    with _loop_lock:
        if _loop is None:
            _loop = asyncio.new_event_loop()
            threading.Thread(target=_loop.run_forever, name="live-push-loop", daemon=True).start()
        return _loop


def _message(event: str, payload: dict) -> dict:
    # Encoded once here, not once per screen: a lobby group holds hundreds of them (LiveConsumer).
    text = json.dumps({"event": event, "payload": payload}, ensure_ascii=False, cls=DjangoJSONEncoder)
    return {"type": "live.event", "event": event, "payload": payload, "text": text}


def send_now(group: str, event: str, payload: dict) -> None:
    send_all_now([(group, event, payload)])


_send_one = send_now  # tests capture pushes by replacing `send_now`; `_deliver` honours that


def send_all_now(pushes: list[tuple[str, str, dict]]) -> None:
    """Send several live events in one trip to the event loop (concurrently on the layer)."""
    layer = get_channel_layer()
    if layer is None or not pushes:
        return
    messages = [(group, _message(event, payload)) for group, event, payload in pushes]

    async def send() -> None:
        await asyncio.gather(*(layer.group_send(group, message) for group, message in messages))

    if _one_loop:
        asyncio.run_coroutine_threadsafe(send(), _push_loop()).result(timeout=30)
    else:
        async_to_sync(send)()


def push(group: str, event: str, payload: dict) -> None:
    """Queue a live event for `group`; it is sent when the current transaction commits."""
    # robust: a push that cannot be sent (channel layer down) is logged, never turned into an error
    # for a write that has already committed; screens resync with the full state on reconnect.
    transaction.on_commit(lambda: send_now(group, event, payload), robust=True)


def push_all(pushes: list[tuple[str, str, dict]]) -> None:
    """`push` for the several groups one write tells: one after-commit send for all of them."""
    transaction.on_commit(lambda: _deliver(pushes), robust=True)


def _deliver(pushes: list[tuple[str, str, dict]]) -> None:
    if send_now is not _send_one:  # replaced by a test that records what is sent
        for group, event, payload in pushes:
            send_now(group, event, payload)
        return
    send_all_now(pushes)
