"""What queueing registers in the hooks of lower apps (`connect()`, called from `QueueingConfig.ready`).

- `ticket.priority`: a VIP the face greeting recognised takes a priority ticket with one tap
  (customers.face.hooks, docs/face.md).
- the served counter of servicedesk's "complaints per 10,000 customers served"
  (servicedesk.hooks).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import ServiceType
from customers.face.hooks import Offer, register_arrival_action
from queueing.models import Source, Ticket, TicketStatus
from queueing.state import business_date
from servicedesk.hooks import register_served_counter

PRIORITY_ACTION = "ticket.priority"


def priority_service(customer) -> ServiceType | None:
    """The service a one-tap priority ticket is for: the customer's latest walk-in service, else
    the first counter service of the VIP zone, else of the cash zone. Never one that needs an
    appointment."""
    usable = ServiceType.objects.filter(is_active=True, allow_counter=True,
                                        needs_appointment=False)
    last = (Ticket.objects.filter(customer=customer, service_type__in=usable)
            .order_by("-issued_at").values_list("service_type_id", flat=True).first())
    if last is not None:
        return usable.get(pk=last)
    for zone_kind in ("vip", "wealth", "cash"):
        found = usable.filter(zone_kind=zone_kind).first()
        if found is not None:
            return found
    return None


def _active_ticket(arrival) -> Ticket | None:
    return (Ticket.objects.active()
            .filter(customer=arrival.customer, branch=arrival.branch,
                    business_date=business_date(arrival.branch)).first())


def priority_ticket_offer(arrival):
    """Offered to a recognised VIP at an open branch who holds no ticket there yet (read-only)."""

    customer, branch = arrival.customer, arrival.branch
    if customer.vip_tier <= 0 or not branch.is_active or not branch.is_open_at(timezone.now()):
        return None
    if _active_ticket(arrival) is not None:
        return None
    service = priority_service(customer)
    if service is None:
        return None
    return Offer(label=_("Take a priority ticket"), detail=str(service),
                 staff_hint=_("VIP customer is taking a priority ticket: greet them in the lobby."))


def priority_ticket_perform(arrival) -> dict:
    """The tap: issue the VIP's ticket through `ticket_issue` (source face)."""
    from queueing.services import IssueRequest, ticket_issue

    held = _active_ticket(arrival)
    if held is not None:
        return {"message": _("You already have ticket %(number)s.") % {"number": held.number},
                "ticket": held.number}
    service = priority_service(arrival.customer)
    if service is None:
        return {"message": _("Please ask the lobby manager for a ticket.")}
    try:
        ticket = ticket_issue(issue=IssueRequest(
            branch=arrival.branch, service_type=service, source=Source.FACE,
            customer=arrival.customer, device=arrival.device))
    except ValidationError as refused:
        return {"message": " ".join(str(message) for message in refused.messages)}
    return {"message": _("Your priority ticket is %(number)s.") % {"number": ticket.number},
            "ticket": ticket.number, "ticket_url": f"/queue/t/{ticket.public_token}/"}


def served_counts(branch_ids: list[int], start: dt.datetime, end: dt.datetime) -> dict[int, int]:
    """Customers served (tickets finished) per branch in [start, end)."""
    rows = (Ticket.objects.filter(branch_id__in=branch_ids, status=TicketStatus.DONE,
                                  finished_at__gte=start, finished_at__lt=end)
            .values("branch_id").annotate(served=Count("pk")).order_by())
    return {row["branch_id"]: row["served"] for row in rows}


def connect() -> None:
    # A recognised VIP takes a priority ticket with one tap (docs/face.md).
    register_arrival_action(key=PRIORITY_ACTION, offer=priority_ticket_offer,
                            perform=priority_ticket_perform)
    # Complaints per 10,000 customers served count queueing's finished tickets.
    register_served_counter(served_counts)
