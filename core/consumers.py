import asyncio
import contextlib
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from core.heartbeat import layer_watch
from core.live import groups

BEAT_SECONDS = 2.0
LAYER_LOST = 4503  # close code: this websocket's events cannot arrive (channel layer down)

log = logging.getLogger("branchsvc.consumers")


class LiveConsumer(AsyncJsonWebsocketConsumer):
    """Base of every websocket that relays events pushed with `core.live.push`."""

    async def dispatch(self, message):
        # Channels closes stale database connections before every handler: a hop to the one
        # shared sync thread. Relaying a pushed event touches no database, and with 500 lobby
        # screens those hops were most of a call's fan-out time (bench/live_latency).
        if message["type"] == "live.event":
            await self.live_event(message)
        else:
            await super().dispatch(message)

    async def live_event(self, message):
        await self.relay(message)

    async def relay(self, message):
        """Send the event as `send_now` encoded it once for the whole group."""
        text = message.get("text")
        if text is None:  # sent by something other than send_now
            await self.send_json({"event": message["event"], "payload": message["payload"]})
        else:
            await self.send(text_data=text)


class HeartbeatConsumer(LiveConsumer):
    """A live screen's websocket (lobby, ticket page, console, dashboard) that never goes silent.

    Every BEAT_SECONDS, and at once when it changes, it tells the browser whether the channel layer
    carries events (`live.heartbeat` with `{"layer": bool}`); live.js shows "reconnecting" and polls
    while it is lost, or when the beats stop. When the layer is back the consumer joins its group
    again and sends the full `state` once, so the screen resyncs what it missed.

    Subclasses implement `authorise()` (sync; sets `group`) and `state(since)` (sync): the full
    state, computed after `since` (when the outage was noticed) where that is given."""

    group = ""
    beating = None

    async def connect(self):
        self.watch = layer_watch(self.channel_layer)
        if not await database_sync_to_async(self.authorise)():
            await self.close(code=4403)
            return
        if not self.watch.alive:
            await self.close(code=LAYER_LOST)  # the browser polls meanwhile and tries again
            return
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_state()
        self.watch.join(self)
        self.beating = asyncio.ensure_future(self.beat())

    async def send_state(self, since=None):
        state = await database_sync_to_async(self.state)(since)
        await self.send_json({"event": "state", "payload": state})

    async def beat(self):
        lost_at = None
        try:
            while True:
                await self.watch.changed(BEAT_SECONDS)
                if not self.watch.alive and lost_at is None:
                    lost_at = self.watch.lost_at
                elif self.watch.alive and lost_at is not None:
                    # Redis may have restarted empty: subscribe again (a no-op when still there).
                    await self.channel_layer.group_add(self.group, self.channel_name)
                    await self.send_state(lost_at)
                    lost_at = None
                await self.send_json({"event": "live.heartbeat", "payload": {"layer": self.watch.alive}})
        except Exception:
            # Half a resync is worse than none: close, the browser reconnects and gets the state.
            log.warning("live screen heartbeat failed; closing its websocket", exc_info=True)
            with contextlib.suppress(Exception):
                await self.close(code=LAYER_LOST)
        finally:
            self.watch.leave(self)

    async def receive_json(self, content, **kwargs):
        # Screens only listen; a "resync" request gets the full state again.
        if content.get("type") == "resync":
            await self.send_state()

    async def websocket_disconnect(self, message):
        if self.beating is not None:
            self.beating.cancel()
        await super().websocket_disconnect(message)

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    def authorise(self) -> bool:
        raise NotImplementedError

    def state(self, since) -> dict:
        raise NotImplementedError


class UserEventsConsumer(LiveConsumer):
    """The signed-in person's own events (their `user.<id>` group): toasts, escalations, work
    orders, knowledge change notices. base.js shows those with a text as a toast on every page."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.group = groups.user(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

