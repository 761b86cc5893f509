"""Websockets of the live screens. Thin: check who connects, join the group, send the full state
(so a reconnect is a resync), then relay the group's events; HeartbeatConsumer keeps them from
going silently stale while the channel layer is down."""

from urllib.parse import parse_qs

from django.http import Http404

from branches.access import branch_for_user, user_role
from branches.models import Device
from core.consumers import HeartbeatConsumer
from core.live import groups
from queueing import payloads
from queueing.access import MANAGER_ROLES, WORK_ROLES, ticket_for_token
from queueing.alerts import recent_alerts
from queueing.state import branch_snapshot


def _staff_branch(user, code: str | None, roles):
    if user_role(user) not in roles or not code:
        return None
    try:
        return branch_for_user(user, code)
    except Http404:
        return None


class LobbyConsumer(HeartbeatConsumer):
    """The lobby screen: a lobby-screen device (its own branch) or staff previewing a branch."""

    def authorise(self) -> bool:
        device = self.scope.get("device")
        if device is not None:
            self.branch = device.branch if device.kind == Device.Kind.LOBBY_SCREEN else None
        else:
            query = parse_qs(self.scope.get("query_string", b"").decode())
            code = (query.get("branch") or [None])[0]
            self.branch = _staff_branch(self.scope.get("user"), code, WORK_ROLES)
        if self.branch is None:
            return False
        self.group = groups.lobby(self.branch.code)
        return True

    def state(self, since) -> dict:
        return payloads.cached_lobby_state(self.branch, computed_after=since)


class StaffConsumer(HeartbeatConsumer):
    """The lobby manager's dashboard of one branch."""

    def authorise(self) -> bool:
        self.branch = _staff_branch(self.scope.get("user"), self.scope["url_route"]["kwargs"]["code"],
                                    MANAGER_ROLES)
        if self.branch is None:
            return False
        self.group = groups.staff(self.branch.code)
        return True

    def state(self, since) -> dict:
        snapshot = branch_snapshot(self.branch)
        return payloads.staff_state(snapshot, payloads.stored_estimates(snapshot), recent_alerts(self.branch))


class TicketConsumer(HeartbeatConsumer):
    """The customer's ticket page: the ticket's unguessable token is the credential."""

    def authorise(self) -> bool:
        try:
            self.ticket = ticket_for_token(self.scope["url_route"]["kwargs"]["token"])
        except Http404:
            return False
        self.group = groups.ticket(self.ticket.public_token)
        return True

    def state(self, since) -> dict:
        self.ticket.refresh_from_db()
        return payloads.live_ticket_page(self.ticket)
