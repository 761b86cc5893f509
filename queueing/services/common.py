"""Helpers shared by the queueing services: events, live pushes, locks and the actor checks."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.access import user_role
from branches.models import ServicePoint
from branches.roles import Role
from compliance.audit import audit_record
from core.live import groups, push_all
from queueing import payloads
from queueing.errors import TicketStateError
from queueing.models import (
    CounterSession,
    Source,
    Ticket,
    TicketEvent,
    TicketStatus,
)

MANAGER_ROLES = frozenset({Role.LOBBY_MANAGER, Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN})
CURRENT = (TicketStatus.CALLED, TicketStatus.SERVING)
# Sources that are not backed by an appointment: they may not take a by-appointment service.
WALK_IN_SOURCES = frozenset({Source.KIOSK, Source.REMOTE, Source.WALK_IN})
# An appointment checked in without its window counts as on time for this long.
DEFAULT_APPOINTMENT_WINDOW = dt.timedelta(minutes=15)


# --- helpers ------------------------------------------------------------------------------

def _record(ticket: Ticket, kind: str, *, actor=None, counter=None, device=None,
            before: str = "", **data) -> None:
    TicketEvent.objects.create(ticket=ticket, kind=kind, at=timezone.now(), counter=counter,
                               actor=actor if getattr(actor, "is_authenticated", False) else None,
                               data=data)
    audit_record(actor=actor, action=f"ticket.{kind}", obj=ticket, branch=ticket.branch,
                 customer=ticket.customer_id, device=device,
                 before={"status": before} if before else None,
                 after={"status": ticket.status, "number": ticket.number, **data})


def _publish(ticket: Ticket, event: str, *, lobby: bool = False) -> None:
    """Push the ticket's new state to everyone watching it, then refresh the branch's estimates."""
    code = ticket.branch.code
    full = payloads.staff_ticket(ticket)
    payloads.forget_lobby_state(code)
    pushes = [(groups.lobby(code), "ticket.called", payloads.lobby_call(ticket))] if lobby else []
    pushes.append((groups.staff(code), event, full))
    if event != "ticket.issued":  # nobody can have a ticket's page open before it exists
        pushes.append((groups.ticket(ticket.public_token), "ticket.updated",
                       payloads.ticket_page(ticket)))
    if ticket.counter_id:
        pushes.append((groups.counter(ticket.counter_id), event, full))
    push_all(pushes)  # one send after commit for every group the change concerns
    request_refresh(ticket.branch)


def request_refresh(branch) -> None:
    from queueing.tasks import schedule_refresh

    branch_id = branch.pk
    transaction.on_commit(lambda: schedule_refresh(branch_id))


def _require_status(ticket: Ticket, *allowed: str) -> None:
    if ticket.status not in allowed:
        raise TicketStateError(
            _("Ticket %(number)s is %(status)s; this step is not possible now.")
            % {"number": ticket.number, "status": ticket.get_status_display()},
            code="ticket_state")


def _lock(ticket: Ticket) -> Ticket:
    return (Ticket.objects.select_for_update(of=("self",))
            .select_related("branch", "service_type", "customer", "counter").get(pk=ticket.pk))


def _lock_counter(counter: ServicePoint) -> ServicePoint:
    return ServicePoint.objects.select_for_update(of=("self",)).select_related(
        "branch", "zone").get(pk=counter.pk)


def _is_manager(actor) -> bool:
    return user_role(actor) in MANAGER_ROLES


def _require_session(point: ServicePoint, actor, session: CounterSession | None) -> None:
    """The counter is open and `actor` is the teller working it."""
    if point.status != ServicePoint.Status.OPEN or session is None:
        raise TicketStateError(_("Counter %(counter)s is not open.") % {"counter": point.name},
                               code="counter_closed")
    if session.teller_id != actor.pk:
        raise TicketStateError(_("Counter %(counter)s is open for another teller.")
                               % {"counter": point.name}, code="counter_other_teller")


def _require_own_ticket(ticket: Ticket, actor) -> None:
    """A teller works the tickets at their own counter; managers may step in anywhere."""
    if _is_manager(actor):
        return
    at_counter = ticket.counter_id and CounterSession.objects.current().filter(
        counter_id=ticket.counter_id, teller=actor).exists()
    if not at_counter:
        raise TicketStateError(_("Ticket %(number)s is not at your counter.")
                               % {"number": ticket.number}, code="not_your_ticket")
