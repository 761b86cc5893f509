"""The few calls appointments makes into queueing (tickets, live waits), in one place."""

from __future__ import annotations

import datetime as dt

from branches.models import Branch, Device, ServiceType
from queueing.models import Channel, Source, Ticket, TicketStatus
from queueing.services import IssueRequest, ticket_issue, ticket_recommend


def ticket_for_appointment(
    *, appointment, window: tuple[dt.datetime, dt.datetime] | None, actor=None, device: Device | None = None
):
    """Issue the queue ticket of a checked-in appointment (``source=appointment``).

    ``window`` is the appointment-priority window; ``None`` for a late arrival, who waits with
    normal walk-in priority.
    """

    service_type = appointment.service_type
    self_service = appointment.mode == "self_service" and service_type.allow_kiosk
    return ticket_issue(issue=IssueRequest(
        actor=actor,
        branch=appointment.branch,
        service_type=service_type,
        customer=appointment.customer,
        source=Source.APPOINTMENT,
        device=device,
        appointment_window=window,
        channel=Channel.KIOSK if self_service else None,
        ))


def waiting_count(branch: Branch) -> int:
    """Customers waiting at the branch now."""

    return Ticket.objects.filter(
        branch=branch, status=TicketStatus.WAITING, business_date=branch.local_now().date()
    ).count()


def live_wait_minutes(branch: Branch, service_type: ServiceType) -> int | None:
    """Estimated wait for a new walk-in ticket for the service, or None when unknown."""

    minutes = ticket_recommend(branch=branch, service_type=service_type).estimated_wait_minutes
    return None if minutes is None else round(minutes)
