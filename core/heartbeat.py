"""Is the channel layer carrying messages? A live screen cannot tell by itself: when Redis stops,
its websocket to the ASGI server stays open and simply goes quiet, so a lobby screen froze on
old calls with nothing on it saying so.

One `LayerWatch` per event loop (per ASGI process) sends a ping to a channel of its own through
the layer every PING_SECONDS and counts the layer lost once no ping has come back for
LOST_AFTER_SECONDS. The live screens' consumers (`HeartbeatConsumer`) pass its verdict on to their
browsers. One watch per process, not one per screen: 500 lobby screens would otherwise publish
500 pings through Redis every second; the screens of a process share its one subscription
connection, so one round trip speaks for all of them.
"""

import asyncio
import contextlib
import logging
import time

from django.utils import timezone

PING_SECONDS = 0.5
LOST_AFTER_SECONDS = 2.5

log = logging.getLogger("branchsvc.heartbeat")


class LayerWatch:
    def __init__(self, layer):
        self.layer = layer
        self.members: set = set()
        self.last_echo = time.monotonic()  # trusted until the first pings say otherwise
        self.lost_at = None  # when the current outage was noticed (timezone-aware), else None
        self._changed = asyncio.Event()
        self._task: asyncio.Task | None = None

    @property
    def alive(self) -> bool:
        return self.lost_at is None

    async def changed(self, timeout: float) -> None:
        """Return when the layer is lost or back, or after `timeout` seconds."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)

    def join(self, member) -> None:
        self.members.add(member)
        if self._task is None:
            self._task = asyncio.ensure_future(self._run())

    def leave(self, member) -> None:
        self.members.discard(member)
        if not self.members and self._task is not None:
            self._task.cancel()
            self._task = None
            _watches.pop((asyncio.get_running_loop(), id(self.layer)), None)

    def _flip(self, *, alive: bool) -> None:
        if alive == self.alive:
            return
        self.lost_at = None if alive else timezone.now()
        log.warning("channel layer %s", "is back" if alive else "lost: no ping came back")
        # Wake every consumer waiting on this change; later waiters wait for the next one.
        self._changed.set()
        self._changed = asyncio.Event()

    async def _run(self) -> None:
        channel = await self._new_channel()
        receiver = asyncio.ensure_future(self._receive(channel))
        try:
            while True:
                with contextlib.suppress(Exception):  # a dead layer refuses or hangs: both are "no echo"
                    await asyncio.wait_for(self.layer.send(channel, {"type": "layer.ping"}), PING_SECONDS)
                await asyncio.sleep(PING_SECONDS)
                if time.monotonic() - self.last_echo > LOST_AFTER_SECONDS:
                    self._flip(alive=False)
        finally:
            receiver.cancel()

    async def _new_channel(self) -> str:
        # A process that starts during an outage cannot subscribe yet: it is lost until it can.
        started = time.monotonic()
        while True:
            try:
                return await asyncio.wait_for(self.layer.new_channel("layer-watch."), PING_SECONDS * 2)
            except Exception:  # noqa: BLE001 - each layer backend fails its own way: all mean "not yet"
                if time.monotonic() - started > LOST_AFTER_SECONDS:
                    self._flip(alive=False)
                await asyncio.sleep(PING_SECONDS)

    async def _receive(self, channel: str) -> None:
        while True:
            await self.layer.receive(channel)
            self.last_echo = time.monotonic()
            self._flip(alive=True)


_watches: dict[tuple, LayerWatch] = {}


def layer_watch(layer) -> LayerWatch:
    """The watch of `layer` in the running event loop (tests run each in a loop of its own)."""
    key = (asyncio.get_running_loop(), id(layer))
    if key not in _watches:
        _watches[key] = LayerWatch(layer)
    return _watches[key]
