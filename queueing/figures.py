"""Today's figures for the lobby manager, and how good the quoted waits were."""

import datetime as dt
from collections import Counter
from statistics import fmean

from django.utils import timezone

from queueing.models import Ticket, TicketStatus
from queueing.state import business_date

WITHIN_SECONDS = 15 * 60


def _mean(values) -> float | None:
    values = list(values)
    return round(fmean(values), 1) if values else None


def estimate_error(tickets) -> dict:
    """Quoted wait at issue vs actual wait until the first call, in minutes."""
    pairs = [(t.quoted_wait_seconds / 60, t.actual_wait_seconds / 60) for t in tickets
             if t.quoted_wait_seconds is not None and t.actual_wait_seconds is not None]
    return {
        "tickets": len(pairs),
        "mean_absolute_error_minutes": _mean(abs(q - a) for q, a in pairs),
        # Positive: customers waited longer than we told them.
        "mean_bias_minutes": _mean(a - q for q, a in pairs),
    }


def today_figures(branch, day: dt.date | None = None) -> dict:
    day = day or business_date(branch)
    tickets = list(Ticket.objects.of_day(branch, day).select_related("service_type"))
    called = [t for t in tickets if t.actual_wait_seconds is not None]
    waits = [t.actual_wait_seconds for t in called]
    no_shows = sum(1 for t in tickets if t.status == TicketStatus.NO_SHOW)
    served = sum(1 for t in tickets if t.status == TicketStatus.DONE)
    handling: dict[str, list] = {}
    for ticket in tickets:
        if ticket.handling_seconds is not None:
            handling.setdefault(ticket.service_type, []).append(ticket.handling_seconds / 60)
    tz = branch.tz
    arrivals_by_hour = Counter(t.issued_at.astimezone(tz).hour for t in tickets)
    served_by_hour = Counter(t.finished_at.astimezone(tz).hour for t in tickets
                             if t.status == TicketStatus.DONE and t.finished_at)
    hours = sorted(set(arrivals_by_hour) | set(served_by_hour)) or [timezone.now().astimezone(tz).hour]
    return {
        "date": day.isoformat(),
        "arrivals": len(tickets),
        "served": served,
        "waiting": sum(1 for t in tickets if t.status == TicketStatus.WAITING),
        "mean_wait_minutes": _mean(w / 60 for w in waits),
        "max_wait_minutes": round(max(waits) / 60, 1) if waits else None,
        "within_15_minutes_percent": round(100 * sum(w <= WITHIN_SECONDS for w in waits) / len(waits))
        if waits else None,
        "no_show_percent": round(100 * no_shows / (no_shows + served)) if no_shows + served else None,
        "handling_minutes": [
            {"service": service.code,
             "name": {"zh-hans": service.name_zh_hans, "en": service.name_en or service.name_zh_hans},
             "target_minutes": service.target_minutes, "mean_minutes": _mean(minutes)}
            for service, minutes in sorted(handling.items(), key=lambda item: item[0].code)],
        "hourly": [{"hour": h, "arrivals": arrivals_by_hour[h], "served": served_by_hour[h]}
                   for h in range(min(hours), max(hours) + 1)],
        "estimate": estimate_error(called),
    }
