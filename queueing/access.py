"""Who may see and work which tickets and counters. Objects outside the user's branches are 404."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from branches.access import branch_for_user, staff_branches, user_role
from branches.models import Branch, ServicePoint
from branches.roles import BRANCH_SERVICE_ROLES, Role
from queueing.models import Ticket

# Work tickets and counters (call, transfer, open a counter...).
WORK_ROLES = BRANCH_SERVICE_ROLES | {Role.HEAD_OFFICE_ADMIN}
# Run the lobby: dashboard, walk-in tickets, re-routing, opening counters for colleagues.
MANAGER_ROLES = frozenset({Role.LOBBY_MANAGER, Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN})


def _check_write(user, write: bool, roles=WORK_ROLES) -> None:
    if write and user_role(user) not in roles:
        raise PermissionDenied


def ticket_for_user(user, ticket_id: int, *, write: bool = False) -> Ticket:
    ticket = (Ticket.objects.filter(branch__in=staff_branches(user), pk=ticket_id)
              .select_related("branch", "service_type", "customer", "counter").first())
    if ticket is None:
        raise Http404("no such ticket")
    _check_write(user, write)
    return ticket


def counter_for_user(user, counter_id: int, *, write: bool = False, operators=WORK_ROLES,
                     readers=None, kind: str | None = None) -> ServicePoint:
    """A counter or VTM of the user's branches, else 404 — the one rule for every app.

    `readers`: the roles that may see it at all (None: any staff of the branch); `operators`: the
    roles that may operate it (write=True), else 403; `kind`: only that kind of service point.
    The teller console passes its own (`counter.access.CONSOLE`)."""
    points = (ServicePoint.objects.filter(branch__in=staff_branches(user), pk=counter_id)
              .exclude(kind=ServicePoint.Kind.KIOSK))
    if kind is not None:
        points = points.filter(kind=kind)
    point = points.select_related("branch", "zone").first()
    if point is None or (readers is not None and user_role(user) not in readers):
        raise Http404("no such counter")
    _check_write(user, write, operators)
    return point


def ticket_for_token(token: str) -> Ticket:
    """The customer's own ticket: the unguessable token in its link is the credential."""
    ticket = (Ticket.objects.filter(public_token=token)
              .select_related("branch", "service_type", "counter", "customer").first())
    if ticket is None or not token:
        raise Http404("no such ticket")
    return ticket


def branch_for_manager(user, code: str | None = None) -> Branch:
    """The branch whose lobby `user` manages: `code`, or their own branch."""
    if user_role(user) not in MANAGER_ROLES:
        raise PermissionDenied
    if code:
        return branch_for_user(user, code, write=True)
    branch = staff_branches(user).order_by("code").first()
    if branch is None:
        raise Http404("no branch")
    return branch


def branch_for_request(request, code: str, *, write: bool = False) -> Branch:
    """A branch for a signed-in device (only its own) or a staff member (their branches)."""
    device = getattr(request, "device", None)
    if device is not None:
        if device.branch.code != code:
            raise Http404("no such branch")
        return device.branch
    branch = branch_for_user(request.user, code, write=write)
    _check_write(request.user, write)
    return branch
