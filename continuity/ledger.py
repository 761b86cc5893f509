"""The offline ledger (docs/continuity.md, "Offline ledger"): services a teller recorded while the
server was unreachable, or wrote on paper during a full outage, turned into service records once.

A console entry syncs under the device's idempotency key (unique in the database): a replay
returns the entry already made. A paper slip waits for a second person (compliance's
maker-checker, kind "ledger_reentry"). Either is then checked against what the server knows:
with no conflict it becomes a finished service record and visit at once; a conflict (the ticket
was meanwhile served or cancelled, the customer does not match, the amount is over the offline
limit) waits for the lobby manager to accept or reject it with a reason. Every step is audited
with the entry's offline times."""

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import ServicePoint, ServiceType
from compliance.audit import audit_record
from continuity.models import (
    LEDGER_AMOUNT_LIMIT,
    LedgerConflict,
    LedgerEntry,
    LedgerSource,
    LedgerStatus,
)
from core.api_errors import Refusal
from counter.models import Outcome, RecordStatus, ServiceRecord
from customers.models import Customer
from queueing.alerts import Level, alert_raise
from queueing.models import ACTIVE_STATUSES, Ticket
from queueing.payloads import both_format
from queueing.services import OfflineService, ticket_record_served_offline
from queueing.state import business_date

# A device's clock is only roughly the server's; an offline time further ahead than this is refused.
CLOCK_SLACK = dt.timedelta(minutes=2)
# Older than this, a slip is not re-entered here but handled as an exception by head office.
OLDEST = dt.timedelta(days=7)


@dataclass(frozen=True)
class Slip:
    """What the teller wrote down, offline or on paper."""

    key: uuid.UUID
    counter: ServicePoint
    teller: User
    service_code: str
    outcome: str
    served_at: dt.datetime
    recorded_at: dt.datetime
    ticket_number: str = ""
    customer_name: str = ""
    customer_id_number: str = ""
    outcome_reason: str = ""
    amount: Decimal | None = None
    note: str = ""


def _validated(slip: Slip) -> ServiceType:
    errors: dict[str, list] = {}
    service = ServiceType.objects.filter(code=slip.service_code, is_active=True).first()
    if service is None:
        errors["service_type"] = [_("This service is not offered.")]
    if slip.outcome not in Outcome.values:
        errors["outcome"] = [_("Choose the outcome.")]
    elif slip.outcome == Outcome.NOT_DONE and not slip.outcome_reason.strip():
        errors["outcome_reason"] = [_("Say why the service was not done.")]
    now = timezone.now()
    if not now - OLDEST <= slip.served_at <= now + CLOCK_SLACK:
        errors["served_at"] = [_("The service time must be within the last seven days.")]
    if slip.recorded_at < slip.served_at - CLOCK_SLACK:
        errors["recorded_at"] = [_("The ledger cannot be written before the service.")]
    if slip.amount is not None and slip.amount < 0:
        errors["amount"] = [_("The amount cannot be negative.")]
    if errors:
        raise ValidationError(errors)
    return service  # type: ignore[return-value]


def _new_entry(slip: Slip, *, source: str, entered_by, status: str) -> LedgerEntry:
    service = _validated(slip)
    return LedgerEntry.objects.create(
        key=slip.key, source=source, branch=slip.counter.branch, counter=slip.counter,
        teller=slip.teller, entered_by=entered_by, ticket_number=slip.ticket_number.strip().upper(),
        customer_name=slip.customer_name.strip(), customer_id_number=slip.customer_id_number.strip(),
        service_type=service, outcome=slip.outcome, outcome_reason=slip.outcome_reason.strip(),
        amount=slip.amount, note=slip.note.strip(), served_at=slip.served_at,
        recorded_at=slip.recorded_at, status=status)


def offline_times(entry: LedgerEntry) -> dict:
    """The entry as the audit trail keeps it: its offline times in the branch's clock time."""
    tz = entry.branch.tz
    return {"source": entry.source, "served_offline_at": entry.served_at.astimezone(tz).isoformat(),
            "recorded_offline_at": entry.recorded_at.astimezone(tz).isoformat(),
            "synced_at": entry.synced_at.astimezone(tz).isoformat(), "counter": entry.counter.code,
            "teller": entry.teller.get_username(), "service": entry.service_type.code,
            "outcome": entry.outcome, "amount": str(entry.amount) if entry.amount is not None else None,
            "ticket": entry.ticket_number, "customer_id_number": entry.masked_id_number,
            "status": entry.status, "conflicts": list(entry.conflicts)}


# Console entries ---------------------------------------------------------------------------------


def ledger_entry_sync(*, actor, slip: Slip) -> tuple[LedgerEntry, bool]:
    """Sync one console entry, once: (entry, created). A replay of its key changes nothing."""
    done = _replayed(slip, actor)
    if done is not None:
        return done, False
    try:
        with transaction.atomic():
            entry = _new_entry(slip, source=LedgerSource.CONSOLE, entered_by=actor,
                               status=LedgerStatus.CONFLICT)
            audit_record(actor=actor, action="continuity.ledger_entry.synced", obj=entry,
                         branch=entry.branch, after=offline_times(entry))
            _settle(entry, actor=actor)
    except IntegrityError:  # the same entry synced concurrently: the other attempt won
        done = _replayed(slip, actor)
        if done is None:
            raise
        return done, False
    return entry, True


def _replayed(slip: Slip, actor) -> LedgerEntry | None:
    done = LedgerEntry.objects.select_related("ticket").filter(key=slip.key).first()
    if done is not None and done.entered_by_id != actor.pk:
        raise Refusal("key_taken", str(_("This ledger key belongs to another teller's entry.")), 409)
    return done


# Checking and reconciling --------------------------------------------------------------------------


def _match(entry: LedgerEntry) -> list[str]:
    """Find the entry's ticket and customer; the conflicts found on the way."""
    conflicts = []
    if entry.ticket_number:
        day = business_date(entry.branch, entry.served_at)
        entry.ticket = (Ticket.objects.select_related("customer")
                        .filter(branch=entry.branch, business_date=day, number=entry.ticket_number)
                        .first())
        if entry.ticket is None:
            conflicts.append(LedgerConflict.TICKET_UNKNOWN)
        elif entry.ticket.status not in ACTIVE_STATUSES:
            conflicts.append(LedgerConflict.TICKET_CLOSED)
    if entry.customer_id_number:
        entry.customer = Customer.objects.by_id_number(entry.customer_id_number).first()
        if entry.customer is None:
            conflicts.append(LedgerConflict.CUSTOMER_UNKNOWN)
    ticket_customer = entry.ticket.customer if entry.ticket else None
    if entry.customer is None and ticket_customer is not None and not entry.customer_id_number:
        entry.customer = ticket_customer
    mismatch = (ticket_customer is not None and entry.customer is not None
                and ticket_customer.pk != entry.customer.pk)
    if entry.customer is not None and entry.customer_name and entry.customer_name != entry.customer.name:
        mismatch = True
    if mismatch:
        conflicts.append(LedgerConflict.CUSTOMER_MISMATCH)
    if entry.amount is not None and entry.amount > LEDGER_AMOUNT_LIMIT:
        conflicts.append(LedgerConflict.AMOUNT_OVER_LIMIT)
    return [str(code) for code in conflicts]


def _settle(entry: LedgerEntry, *, actor) -> None:
    """Reconcile an entry that has no conflict; hold one that has, for the lobby manager."""
    entry.conflicts = _match(entry)
    if entry.conflicts:
        entry.status = LedgerStatus.CONFLICT
        entry.save(update_fields=["ticket", "customer", "conflicts", "status"])
        audit_record(actor=actor, action="continuity.ledger_entry.conflict", obj=entry,
                     branch=entry.branch, customer=entry.customer_id, after=offline_times(entry))
        alert_raise(branch=entry.branch, kind="offline_ledger", level=Level.WARNING,
                    ticket=entry.ticket_number or None, once_key=f"ledger:{entry.pk}",
                    text=both_format(_("An offline ledger entry of counter %(counter)s needs your "
                                       "decision."), counter=entry.counter.code))
        return
    _reconcile(entry, actor=actor)


def _reconcile(entry: LedgerEntry, *, actor) -> None:
    """The entry's ticket (found, or a finished visit made for it) is done at the offline time."""
    service = OfflineService(key=entry.key, counter=entry.counter, teller=entry.teller,
                             service_type=entry.service_type, served_at=entry.served_at,
                             customer=entry.customer)
    ticket = ticket_record_served_offline(service=service, ticket=entry.ticket, actor=actor)
    entry.ticket = ticket
    entry.service_record = _service_record(entry, ticket)
    entry.status = LedgerStatus.RECONCILED
    entry.save(update_fields=["ticket", "customer", "conflicts", "status", "service_record",
                              "decided_by", "decided_at", "decision_reason"])
    audit_record(actor=actor, action="continuity.ledger_entry.reconciled", obj=entry,
                 branch=entry.branch, customer=entry.customer_id,
                 after={**offline_times(entry), "ticket": ticket.number,
                        "service_record": entry.service_record.pk})


def _service_record(entry: LedgerEntry, ticket: Ticket) -> ServiceRecord:
    """The service line the insights count: the one left open when the server went away, finished
    with the ledger's outcome, or a new one."""
    record = ServiceRecord.objects.filter(ticket=ticket, status=RecordStatus.IN_PROGRESS).first()
    if record is None:
        record = ServiceRecord(ticket=ticket, branch=entry.branch, counter=entry.counter,
                               teller=entry.teller, service_type=entry.service_type,
                               started_at=entry.served_at)
    record.customer = record.customer or entry.customer
    record.status, record.finished_at = RecordStatus.FINISHED, max(entry.served_at, record.started_at)
    record.outcome = entry.outcome
    record.outcome_reason = entry.outcome_reason or (
        str(_("Recorded offline")) if entry.outcome == Outcome.NOT_DONE else "")
    if entry.outcome == Outcome.REFERRED:
        record.referred_to = entry.note or str(_("Recorded offline"))
    record.save()
    return record
