from channels.generic.websocket import AsyncJsonWebsocketConsumer

from branchsvc.live import groups


class LiveConsumer(AsyncJsonWebsocketConsumer):
    """Base of every websocket that relays events pushed with `branchsvc.live.push`."""

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

