"""The teller console's websocket: the counter's live events, so the console refreshes itself."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from branchsvc.consumers import HeartbeatConsumer
from branchsvc.live import groups
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
