from core.consumers import LiveConsumer
from core.live import groups


class FaceDeviceConsumer(LiveConsumer):
    """Greetings for the device page that sent the frames (events named face.*)."""

    async def connect(self):
        device = self.scope.get("device")
        if device is None:
            await self.close(code=4403)
            return
        self.group = groups.device(device.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def live_event(self, message):
        if message["event"].startswith("face."):
            await self.relay(message)
