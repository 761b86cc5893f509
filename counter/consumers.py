"""The counter's websockets: the teller console hears its counter's events (and never goes
silently stale, see HeartbeatConsumer), the customer's counter page for a ticket hears that
ticket's events, so both refresh themselves."""

from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied
from django.http import Http404

from core.consumers import HeartbeatConsumer, LiveConsumer
from core.live import groups
from counter.access import counter_for_user


class CounterConsumer(HeartbeatConsumer):
    """The signed-in teller's own counter."""

    def authorise(self) -> bool:
        point_id = self.scope["url_route"]["kwargs"]["point_id"]
        try:
            counter_for_user(self.scope.get("user"), point_id, write=True)
        except (Http404, PermissionDenied):
            return False
        self.group = groups.counter(point_id)
        return True

    def state(self, since) -> dict:
        # The console renders its panels itself: a "state" only tells it to refresh them.
        return {}


class TicketPageConsumer(LiveConsumer):
    """The ticket's unguessable token is the credential (as for the queue's ticket page). It relays
    the ticket's events (a signature asked for, signed, the receipt) so the page changes live."""

    group = ""

    def authorise(self) -> bool:
        from queueing.models import Ticket

        token = self.scope["url_route"]["kwargs"]["token"]
        if not Ticket.objects.filter(public_token=token).exists():
            return False
        self.group = groups.ticket(token)
        return True

    async def connect(self):
        if not await database_sync_to_async(self.authorise)():
            await self.close(code=4403)
            return
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)
