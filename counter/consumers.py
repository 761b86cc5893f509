"""The teller console's websocket: the counter's live events, so the console refreshes itself."""

from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied
from django.http import Http404

from branchsvc.consumers import LiveConsumer
from branchsvc.live import groups
from counter.access import counter_for_user


class CounterConsumer(LiveConsumer):
    group = ""

    async def connect(self):
        if not await database_sync_to_async(self.authorise)():
            await self.close(code=4403)
            return
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    def authorise(self) -> bool:
        point_id = self.scope["url_route"]["kwargs"]["point_id"]
        try:
            counter_for_user(self.scope.get("user"), point_id, write=True)
        except (Http404, PermissionDenied):
            return False
        self.group = groups.counter(point_id)
        return True

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)
