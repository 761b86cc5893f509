from channels.generic.websocket import AsyncJsonWebsocketConsumer

from branchsvc.live import groups


class UserEventsConsumer(AsyncJsonWebsocketConsumer):
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

    async def live_event(self, message):
        await self.send_json({"event": message["event"], "payload": message["payload"]})
