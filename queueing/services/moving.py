"""Moving a ticket after it was called: requeue, transfer, park, resume, prioritise, cancel."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import ServicePoint
from queueing.errors import TicketStateError
from queueing.models import (
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
)
from queueing.services.common import CURRENT, _lock, _publish, _record, _require_own_ticket, _require_status
from queueing.state import (
    VTM_PREFIX,
    business_date,
    zone_prefixes,
)


@transaction.atomic
def ticket_requeue(*, actor, ticket: Ticket, keep_arrival: bool = False) -> Ticket:
    """A customer who missed their call came back: back in the queue, at the end unless
    `keep_arrival`."""
    ticket = _lock(ticket)
    _require_status(ticket, TicketStatus.NO_SHOW)
    if ticket.business_date != business_date(ticket.branch):
        raise TicketStateError(_("Only today's tickets can go back into the queue."),
                               code="ticket_expired")
    ticket.status = TicketStatus.WAITING
    ticket.recall_count = 0
    ticket.no_show_at = None
    if not keep_arrival:
        ticket.queued_at = timezone.now()
    ticket.save(update_fields=["status", "recall_count", "no_show_at", "queued_at"])
    _record(ticket, TicketEventKind.REQUEUED, actor=actor, before=TicketStatus.NO_SHOW,
            keep_arrival=keep_arrival)
    _publish(ticket, "ticket.requeued")
    return ticket


@transaction.atomic
def ticket_transfer(*, actor, ticket: Ticket, service_type=None, queue: str = "",
                    counter: ServicePoint | None = None, keep_arrival: bool = True,
                    note: str = "") -> Ticket:
    """Send a ticket to another queue, service or counter. It keeps its number and (unless the
    teller chooses otherwise) its original arrival time, so it is not punished for the move."""
    ticket = _lock(ticket)
    _require_status(ticket, TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING,
                    TicketStatus.PARKED)
    if ticket.status in CURRENT:
        _require_own_ticket(ticket, actor)
    if not (service_type or queue or counter):
        raise ValidationError({"queue": [_("Choose a queue, a service or a counter.")]})
    prefixes = zone_prefixes(ticket.branch)
    if counter is not None:
        if counter.branch_id != ticket.branch_id or counter.kind == ServicePoint.Kind.KIOSK:
            raise ValidationError({"counter": [_("Choose a counter of this branch.")]})
        target_queue, channel = counter.zone.ticket_prefix, counter.kind
    elif queue:
        if queue not in {*prefixes.values(), VTM_PREFIX}:
            raise ValidationError({"queue": [_("Unknown queue.")]})
        target_queue = queue
        channel = {VTM_PREFIX: "vtm", prefixes["self_service"]: "kiosk"}.get(queue, "counter")
    else:
        target_queue, channel = prefixes.get(service_type.zone_kind, "A"), "counter"
    if service_type is not None and not service_type.is_active:
        raise ValidationError({"service_type": [_("This service is not offered.")]})
    before = ticket.status
    from_counter = ticket.counter if before in CURRENT or before == TicketStatus.PARKED else None
    ticket.status = TicketStatus.WAITING
    ticket.service_type = service_type or ticket.service_type
    ticket.queue, ticket.channel = target_queue, channel
    ticket.target_counter = counter
    ticket.counter = None
    ticket.recall_count = 0
    ticket.note = note[:200]
    # A new place in a new line, and the ticket page says why it changed.
    ticket.position, ticket.position_reason = None, "rerouted"
    if not keep_arrival:
        ticket.queued_at = timezone.now()
    ticket.save(update_fields=["status", "service_type", "queue", "channel", "target_counter",
                               "counter", "recall_count", "note", "queued_at", "position",
                               "position_reason"])
    _record(ticket, TicketEventKind.TRANSFERRED, actor=actor, counter=from_counter,
            before=before, queue=target_queue,
            service=ticket.service_type.code, to_counter=counter.code if counter else "",
            keep_arrival=keep_arrival, note=ticket.note)
    _publish(ticket, "ticket.transferred")
    return ticket


def transferred_from(ticket: Ticket) -> ServicePoint | None:
    """The counter that last sent this ticket on (where "transfer back" returns it)."""
    event = (TicketEvent.objects.filter(ticket=ticket, kind=TicketEventKind.TRANSFERRED,
                                        counter__isnull=False)
             .select_related("counter__zone").order_by("-at", "-id").first())
    return event.counter if event else None


@transaction.atomic
def ticket_transfer_back(*, actor, ticket: Ticket, note: str = "") -> Ticket:
    """Send a transferred ticket back to the counter it came from, keeping its arrival time."""
    origin = transferred_from(ticket)
    if origin is None:
        raise ValidationError({"ticket": [_("This ticket was not transferred from a counter.")]})
    return ticket_transfer(actor=actor, ticket=ticket, counter=origin, keep_arrival=True,
                           note=note)


@transaction.atomic
def ticket_park(*, actor, ticket: Ticket, note: str = "") -> Ticket:
    """Set a ticket aside (the customer went to fetch a document); the counter is free again."""
    ticket = _lock(ticket)
    _require_status(ticket, TicketStatus.CALLED, TicketStatus.SERVING)
    _require_own_ticket(ticket, actor)
    before = ticket.status
    ticket.status = TicketStatus.PARKED
    ticket.parked_at = timezone.now()
    ticket.note = note[:200]
    ticket.save(update_fields=["status", "parked_at", "note"])
    _record(ticket, TicketEventKind.PARKED, actor=actor, counter=ticket.counter, before=before,
            note=ticket.note)
    _publish(ticket, "ticket.parked")
    return ticket


@transaction.atomic
def ticket_resume(*, actor, ticket: Ticket) -> Ticket:
    """A parked ticket goes back into its queue with its original arrival time."""
    ticket = _lock(ticket)
    _require_status(ticket, TicketStatus.PARKED)
    ticket.status = TicketStatus.WAITING
    ticket.save(update_fields=["status"])
    _record(ticket, TicketEventKind.RESUMED, actor=actor, before=TicketStatus.PARKED)
    _publish(ticket, "ticket.resumed")
    return ticket


@transaction.atomic
def ticket_prioritise(*, actor, ticket: Ticket, boost_minutes: float) -> Ticket:
    """A lobby manager moves a waiting ticket up, as if it had waited `boost_minutes` longer."""
    ticket = _lock(ticket)
    _require_status(ticket, TicketStatus.WAITING)
    if not 0 <= boost_minutes <= 240:
        raise ValidationError({"boost_minutes": [_("Give between 0 and 240 minutes.")]})
    before = ticket.boost
    ticket.boost = float(boost_minutes)
    ticket.save(update_fields=["boost"])
    _record(ticket, TicketEventKind.PRIORITISED, actor=actor, boost_before=before,
            boost=ticket.boost)
    _publish(ticket, "ticket.prioritised")
    return ticket


@transaction.atomic
def ticket_cancel(*, ticket: Ticket, actor=None) -> Ticket:
    """The customer (from their ticket page, `actor` None) or staff cancel a ticket not yet
    being served."""
    ticket = _lock(ticket)
    _require_status(ticket, TicketStatus.WAITING, TicketStatus.PARKED, TicketStatus.CALLED)
    before = ticket.status
    ticket.status = TicketStatus.CANCELLED
    ticket.cancelled_at = timezone.now()
    ticket.position = None
    ticket.save(update_fields=["status", "cancelled_at", "position"])
    _record(ticket, TicketEventKind.CANCELLED, actor=actor, before=before,
            by="staff" if actor is not None else "customer")
    _publish(ticket, "ticket.cancelled")
    return ticket
