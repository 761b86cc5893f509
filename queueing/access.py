"""Who may see and work which tickets and counters. Objects outside the user's branches are 404."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404

from branches.access import branch_for_user, staff_branches, user_role
from branches.models import Branch, ServicePoint
from branches.roles import BRANCH_SERVICE_ROLES, Role
from queueing.models import CounterSession, Ticket

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
                     readers=None, kind: str | None = None, lock: bool = False) -> ServicePoint:
    """A counter or VTM of the user's branches, else 404 — the one rule for every app.

    `readers`: the roles that may see it at all (None: any staff of the branch); `operators`: the
    roles that may operate it (write=True), else 403; `kind`: only that kind of service point.
    The teller console passes its own (`counter.access.CONSOLE`). `lock`: only inside
    `with locking():`, the row locked until that block ends (see `locking`)."""
    points = (ServicePoint.objects.filter(branch__in=staff_branches(user), pk=counter_id)
              .exclude(kind=ServicePoint.Kind.KIOSK))
    if kind is not None:
        points = points.filter(kind=kind)
    if lock:
        points = points.select_for_update(of=("self",))
    point = points.select_related("branch", "zone").first()
    if point is None or (readers is not None and user_role(user) not in readers):
        raise Http404("no such counter")
    _check_write(user, write, operators)
    if lock:
        _mark_locked(point)
    return point


# --- one locked read instead of a read and a re-read under lock -----------------------------------
# A teller's step used to load its counter or ticket here, then lock and read it again inside the
# service's transaction. A view may instead open the transaction itself (`locking`), load the row
# locked, and the service, finding it still locked by a block that is still open (`still_locked`),
# skips its own read (issue 27: one statement and its ORM work less per call-next, start, finish).

@contextmanager
def locking() -> Iterator[None]:
    """A transaction whose rows loaded with `lock=True` (or by `ticket_to_work`) stay locked,
    and are known to be, until the block ends. An error inside it ends the block: nothing in it
    may catch one and go on writing (the service steps skip their savepoint here)."""
    with transaction.atomic():
        yield


def _mark_locked(obj) -> None:
    blocks = transaction.get_connection().atomic_blocks
    if not blocks:
        raise RuntimeError("a locked read must run inside `with locking():`")
    obj._locked_by = blocks[-1]  # a new Atomic per `with`: it names this block, and no other


def still_locked(obj) -> bool:
    """`obj` was read locked inside a block that has not ended: its row is locked and unchanged
    since (nobody else can write it meanwhile)."""
    block = getattr(obj, "_locked_by", None)
    return block is not None and any(open_block is block
                                     for open_block in transaction.get_connection().atomic_blocks)


def locked_just_here(obj) -> bool:
    """`obj` was read locked by the innermost block open now: a service called straight inside
    `with locking():` needs no savepoint of its own, as an error it raises ends that block."""
    blocks = transaction.get_connection().atomic_blocks
    return bool(blocks) and getattr(obj, "_locked_by", None) is blocks[-1]


def ticket_to_work(user, ticket_id: int) -> Ticket:
    """`ticket_for_user(write=True)`, locked (only inside `with locking():`), with whether
    `user` works at its counter now (`ticket.user_at_counter`), as a step at the counter needs."""
    at_counter = Exists(CounterSession.objects.current().filter(
        counter_id=OuterRef("counter_id"), teller_id=user.pk))
    ticket = (Ticket.objects.filter(branch__in=staff_branches(user), pk=ticket_id)
              .select_for_update(of=("self",)).annotate(user_at_counter=at_counter)
              .select_related("branch", "service_type", "customer", "counter").first())
    if ticket is None:
        raise Http404("no such ticket")
    _check_write(user, True)
    ticket.worked_by = user.pk  # whom user_at_counter is about
    _mark_locked(ticket)
    return ticket


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
