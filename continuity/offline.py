"""The offline kiosk ticket: a kiosk reserves a block of numbers per queue while online, issues
from it while the server is unreachable, and syncs each offline ticket exactly once on reconnect
(docs/continuity.md, "Offline kiosk tickets")."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Device, ServiceType
from compliance.audit import audit_record
from continuity.models import OfflineNumberBlock, OfflineTicket
from core.api_errors import Refusal
from queueing.models import Ticket
from queueing.services import take_numbers, ticket_issue_offline
from queueing.state import business_date, zone_prefixes

# A kiosk's clock is only roughly the server's (it keeps the offset read at page load); beyond
# this either side of the block's life an offline time is refused.
CLOCK_SLACK = dt.timedelta(minutes=2)


@transaction.atomic
def number_block_reserve(*, device: Device, prefix: str, size: int) -> OfflineNumberBlock:
    """Reserve `size` numbers of queue `prefix` for this kiosk, today."""
    branch = device.branch
    if prefix not in set(zone_prefixes(branch).values()):
        raise ValidationError({"queue": [_("This branch has no such queue.")]})
    now = timezone.now()
    day = business_date(branch, now)
    last = take_numbers(branch=branch, day=day, prefix=prefix, size=size)
    block = OfflineNumberBlock.objects.create(device=device, branch=branch, business_date=day,
                                              prefix=prefix, first=last - size + 1, last=last,
                                              reserved_at=now)
    audit_record(actor=None, action="continuity.number_block_reserved", obj=block, branch=branch,
                 device=device, after={"queue": prefix, "first": block.first, "last": block.last,
                                       "business_date": day.isoformat()})
    return block


def offline_ticket_sync(*, device: Device, key, block_id: int, sequence: int, service_code: str,
                        issued_at: dt.datetime) -> tuple[Ticket, bool]:
    """Turn one offline ticket into a real waiting ticket, once: (ticket, created). A replay of the
    same key returns the ticket already made and changes nothing."""
    done = _already_synced(key=key, block_id=block_id, sequence=sequence)
    if done is not None:
        return done, False
    try:
        return _sync(device=device, key=key, block_id=block_id, sequence=sequence,
                     service_code=service_code, issued_at=issued_at), True
    except IntegrityError:  # the same ticket synced concurrently: the other attempt won
        done = _already_synced(key=key, block_id=block_id, sequence=sequence)
        if done is None:
            raise
        return done, False


def _already_synced(*, key, block_id: int, sequence: int) -> Ticket | None:
    offline = OfflineTicket.objects.select_related("ticket").filter(key=key).first()
    if offline is not None:
        return offline.ticket
    if OfflineTicket.objects.filter(block_id=block_id, sequence=sequence).exists():
        raise Refusal("number_synced", str(_("This offline number was already synced as another "
                                             "ticket.")), 409)
    return None


@transaction.atomic
def _sync(*, device, key, block_id, sequence, service_code, issued_at) -> Ticket:
    block = OfflineNumberBlock.objects.filter(pk=block_id, device=device).first()
    errors = {}
    if block is None:
        errors["block"] = [_("This kiosk reserved no such number block.")]
    elif not block.first <= sequence <= block.last:
        errors["sequence"] = [_("The number is outside the kiosk's block.")]
    elif not block.reserved_at - CLOCK_SLACK <= issued_at <= timezone.now() + CLOCK_SLACK:
        errors["issued_at"] = [_("The offline issue time is not within the block's life.")]
    service = ServiceType.objects.filter(code=service_code, is_active=True).first()
    if service is None:
        errors["service_type"] = [_("This service is not offered.")]
    if errors or block is None or service is None:
        raise ValidationError(errors)
    if block.business_date != business_date(block.branch, timezone.now()):
        raise Refusal("day_over", str(_("The business day of this offline ticket is over; "
                                        "re-enter it by hand.")), 409)
    ticket = ticket_issue_offline(device=device, branch=block.branch, day=block.business_date,
                                  prefix=block.prefix, sequence=sequence, service_type=service,
                                  issued_at=issued_at, key=key)
    OfflineTicket.objects.create(key=key, block=block, sequence=sequence, ticket=ticket,
                                 issued_offline_at=issued_at)
    return ticket


def _ranges(numbers: list[int], prefix: str) -> str:
    """[3, 4, 5, 9] → "A003–A005, A009"."""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ", ".join(f"{prefix}{a:03d}" if a == b else f"{prefix}{a:03d}–{prefix}{b:03d}" for a, b in spans)


def number_gaps(*, branches, days: int = 7) -> list[dict]:
    """The numbers kiosks reserved for offline use and never issued, per block, over the last
    `days` business days: each is a gap in that day's ticket numbers (never a duplicate). Blocks of
    today are still held by their kiosk: their unused numbers may yet be issued."""
    now = timezone.now()
    blocks = (OfflineNumberBlock.objects.filter(branch__in=branches,
                                                reserved_at__gte=now - dt.timedelta(days=days + 1))
              .select_related("device", "branch").prefetch_related("tickets")
              .order_by("-business_date", "prefix", "first"))
    rows = []
    for block in blocks:
        used = {ticket.sequence for ticket in block.tickets.all()}
        unused = [n for n in range(block.first, block.last + 1) if n not in used]
        if unused:
            rows.append({"block": block, "used": len(used), "unused": len(unused),
                         "numbers": _ranges(unused, block.prefix),
                         "held": block.business_date == business_date(block.branch, now)})
    return rows
