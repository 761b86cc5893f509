"""`{% offline_tickets branch as rows %}`: today's tickets a kiosk issued offline, still open;
`{% offline_ledger_open branch as counts %}`: the ledger entries the lobby manager must decide."""

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from continuity.models import OPEN_LEDGER, LedgerEntry, LedgerStatus, OfflineTicket
from queueing.models import ACTIVE_STATUSES
from queueing.state import business_date

register = template.Library()


@register.simple_tag
def offline_tickets(branch) -> list[OfflineTicket]:
    day = business_date(branch, timezone.now())
    rows = list(OfflineTicket.objects.filter(ticket__branch=branch, ticket__business_date=day)
                .filter(ticket__status__in=ACTIVE_STATUSES)
                .select_related("ticket__service_type", "block__device")
                .order_by("issued_offline_at"))
    for row in rows:  # the lobby manager reads the branch's own time
        row.local_time = timezone.localtime(row.issued_offline_at, branch.tz).strftime("%H:%M")
    return rows


@register.simple_tag
def offline_ledger_open(branch) -> dict:
    return LedgerEntry.objects.filter(branch=branch, status__in=OPEN_LEDGER).aggregate(
        conflicts=Count("id", filter=Q(status=LedgerStatus.CONFLICT)),
        waiting=Count("id", filter=Q(status=LedgerStatus.AWAITING_APPROVAL)),
        overdue=Count("id", filter=Q(escalation_level__gt=0)))
