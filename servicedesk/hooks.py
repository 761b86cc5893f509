"""Callbacks that apps above servicedesk register (servicedesk may not import them).

`register_served_counter(fn)`: `fn(branch_ids: list[int], start: datetime, end: datetime) ->
dict[int, int]` returns how many customers each branch served in [start, end). Queueing registers
one so reports can show complaints per 10,000 customers served.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.apps import apps
from django.db.models import Count

ServedCounter = Callable[[list[int], dt.datetime, dt.datetime], dict[int, int]]
served_counters: list[ServedCounter] = []


def register_served_counter(counter: ServedCounter) -> ServedCounter:
    if counter not in served_counters:
        served_counters.append(counter)
    return counter


def _tickets_served(branch_ids: list[int], start: dt.datetime, end: dt.datetime) -> dict[int, int]:
    """Fallback while no counter is registered: count queueing tickets if that app has them."""
    if not apps.is_installed("queueing"):
        return {}
    try:
        ticket = apps.get_model("queueing", "Ticket")
    except LookupError:
        return {}
    names = {f.name for f in ticket._meta.get_fields()}
    stamp = next(
        (n for n in ("served_at", "finished_at", "completed_at", "called_at", "created_at") if n in names),
        None,
    )
    if stamp is None or "branch" not in names:
        return {}
    rows = (
        ticket.objects.filter(branch_id__in=branch_ids, **{f"{stamp}__gte": start, f"{stamp}__lt": end})
        .values("branch_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["branch_id"]: row["n"] for row in rows}


def served_counts(branch_ids: list[int], start: dt.datetime, end: dt.datetime) -> dict[int, int]:
    if not served_counters:
        return _tickets_served(branch_ids, start, end)
    totals: dict[int, int] = {}
    for counter in served_counters:
        for branch_id, count in counter(branch_ids, start, end).items():
            totals[branch_id] = totals.get(branch_id, 0) + count
    return totals
