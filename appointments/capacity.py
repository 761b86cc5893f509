"""Bookable slots of a branch for a service, from the database facts through ``slots.py``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from appointments import slots
from appointments.models import SlotCapacity
from appointments.policy import policy
from branches.models import Branch, ServicePoint, ServiceType


@dataclass(frozen=True)
class OpenSlot:
    start: dt.datetime
    end: dt.datetime
    capacity: int
    booked: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)

    @property
    def key(self) -> str:
        return slot_key(self.start)


def slot_key(start: dt.datetime) -> str:
    return start.strftime("%Y%m%dT%H%M")


def parse_slot_key(key: str, *, branch: Branch) -> dt.datetime | None:
    try:
        naive = dt.datetime.strptime(key, "%Y%m%dT%H%M")
    except (TypeError, ValueError):
        return None
    return naive.replace(tzinfo=branch.tz)


def counters_for(branch: Branch, service_type: ServiceType) -> list[slots.Counter]:
    """Counters (and video tellers) of the branch that list the service, with their breaks."""
    points = (
        ServicePoint.objects.filter(
            branch=branch,
            kind__in=[ServicePoint.Kind.COUNTER, ServicePoint.Kind.VTM],
            service_types=service_type,
        )
        .prefetch_related("appointment_breaks")
        .distinct()
    )
    return [
        slots.Counter(
            id=point.pk,
            skills=frozenset({service_type.code}),
            breaks=tuple((b.start, b.end) for b in point.appointment_breaks.all()),
        )
        for point in points
    ]


def generated_slots(
    *,
    branch: Branch,
    service_type: ServiceType,
    now: dt.datetime | None = None,
    day: dt.date | None = None,
) -> list[slots.Slot]:
    rules = policy().slot_rules(service_minutes=service_type.target_minutes)
    return slots.generate_slots(
        now=now or timezone.now(),
        periods_on=branch.hours_on,
        counters=counters_for(branch, service_type),
        required_skills=frozenset({service_type.code}),
        rules=rules,
        tz=branch.tz,
        first_day=day,
        last_day=day,
    )


def open_slots(
    *,
    branch: Branch,
    service_type: ServiceType,
    now: dt.datetime | None = None,
    day: dt.date | None = None,
) -> list[OpenSlot]:
    """Every slot in the booking horizon (or on ``day``) with its booked count."""
    generated = generated_slots(branch=branch, service_type=service_type, now=now, day=day)
    if not generated:
        return []
    booked = dict(
        SlotCapacity.objects.filter(
            branch=branch,
            service_type=service_type,
            start__gte=generated[0].start,
            start__lte=generated[-1].start,
        ).values_list("start", "booked")
    )
    return [OpenSlot(s.start, s.end, s.capacity, booked.get(s.start, 0)) for s in generated]


def free_slots_after(
    *, branch: Branch, service_type: ServiceType, after: dt.datetime, limit: int = 3
) -> list[OpenSlot]:
    """The next ``limit`` slots with a free place from ``after`` on, looking day by day."""
    found: list[OpenSlot] = []
    day = after.astimezone(branch.tz).date()
    last_day = timezone.now().astimezone(branch.tz).date() + dt.timedelta(days=policy().horizon_days)
    while day <= last_day and len(found) < limit:
        found += [
            s
            for s in open_slots(branch=branch, service_type=service_type, day=day)
            if s.start >= after and s.free
        ]
        day += dt.timedelta(days=1)
    return found[:limit]


def days_with_slots(*, branch: Branch, service_type: ServiceType) -> list[dt.date]:
    seen: list[dt.date] = []
    for slot in open_slots(branch=branch, service_type=service_type):
        day = slot.start.astimezone(branch.tz).date()
        if slot.free and day not in seen:
            seen.append(day)
    return seen


def day_bounds(branch: Branch, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The start and end of ``day`` in the branch's own time zone."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=branch.tz)
    return start, start + dt.timedelta(days=1)
