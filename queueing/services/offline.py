"""Tickets and visits that happened while the server was unreachable (docs/continuity.md): a kiosk's
offline ticket joining the queue, and a service a teller recorded offline. Continuity checks the
offline record (its idempotency key, its number block, its conflicts); these functions write the
ticket at the offline times, record its event and audit record (marked `offline`, with the offline
time and key), and push it where someone may be watching it."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from branches.models import Branch, Device, ServicePoint, ServiceType
from customers.models import Customer
from queueing.models import ACTIVE_STATUSES, Channel, Source, Ticket, TicketEventKind, TicketStatus
from queueing.services.common import _publish, _record
from queueing.services.issuing import take_numbers
from queueing.state import business_date, zone_prefixes


@transaction.atomic
def ticket_issue_offline(*, device: Device, branch: Branch, day: dt.date, prefix: str,
                         sequence: int, service_type: ServiceType, issued_at: dt.datetime,
                         key: uuid.UUID | str) -> Ticket:
    """A kiosk's offline ticket joins its queue: waiting, numbered from the block the kiosk
    reserved (`take_numbers`), issued and queued at the kiosk's offline time."""
    ticket = Ticket.objects.create(
        branch=branch, business_date=day, prefix=prefix, sequence=sequence,
        number=f"{prefix}{sequence:03d}", queue=prefix, service_type=service_type,
        source=Source.KIOSK, channel=Channel.COUNTER, device=device, issued_at=issued_at,
        queued_at=issued_at)
    _record(ticket, TicketEventKind.ISSUED, device=device, source=Source.KIOSK, queue=ticket.queue,
            offline=True, issued_offline_at=issued_at.isoformat(), offline_key=str(key))
    _publish(ticket, "ticket.issued")
    return ticket


@dataclass(frozen=True)
class OfflineService:
    """A service a teller gave while the server was unreachable."""

    key: uuid.UUID
    counter: ServicePoint
    teller: User
    service_type: ServiceType
    served_at: dt.datetime
    customer: Customer | None = None


@transaction.atomic
def ticket_record_served_offline(*, service: OfflineService, ticket: Ticket | None,
                                 actor) -> Ticket:
    """Record a service that happened offline on its ticket and return the ticket.

    With no ticket the server knows, a finished visit is made, numbered from its queue's day
    sequence and timed at the offline service time (nobody watches it: no push). A ticket still
    open is finished at that time (one push). A ticket already closed is left as it is."""
    if ticket is None:
        return _finished_visit(service)
    if ticket.status in ACTIVE_STATUSES:
        _finish_at(ticket, service, actor=actor)
    return ticket


def _finished_visit(service: OfflineService) -> Ticket:
    branch, at = service.counter.branch, service.served_at
    prefix = zone_prefixes(branch).get(service.service_type.zone_kind, "A")
    day = business_date(branch, at)
    sequence = take_numbers(branch=branch, day=day, prefix=prefix, size=1)
    ticket = Ticket.objects.create(
        branch=branch, business_date=day, prefix=prefix, sequence=sequence,
        number=f"{prefix}{sequence:03d}", queue=prefix, status=TicketStatus.DONE,
        service_type=service.service_type, customer=service.customer, source=Source.WALK_IN,
        channel=Channel.COUNTER, counter=service.counter, served_by=service.teller, issued_at=at,
        queued_at=at, first_called_at=at, called_at=at, serving_started_at=at, finished_at=at,
        note=str(_("Served offline")))
    _record(ticket, TicketEventKind.DONE, actor=service.teller, counter=service.counter,
            offline=True, served_offline_at=at.isoformat(), offline_key=str(service.key))
    return ticket


def _finish_at(ticket: Ticket, service: OfflineService, *, actor) -> None:
    ticket = Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)
    before, at = ticket.status, service.served_at
    ticket.status, ticket.finished_at, ticket.position = TicketStatus.DONE, at, None
    ticket.counter = ticket.counter or service.counter
    ticket.served_by = ticket.served_by or service.teller
    ticket.first_called_at = ticket.first_called_at or at
    ticket.called_at = ticket.called_at or at
    ticket.serving_started_at = ticket.serving_started_at or at
    ticket.save(update_fields=["status", "finished_at", "position", "counter", "served_by",
                               "first_called_at", "called_at", "serving_started_at"])
    _record(ticket, TicketEventKind.DONE, actor=actor, counter=service.counter, before=before,
            offline=True, served_offline_at=at.isoformat(), offline_key=str(service.key))
    _publish(ticket, "ticket.done")
