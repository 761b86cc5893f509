"""Appointment slot generation: pure functions, no database.

The caller gathers the facts (a branch's opening periods per date, the counters able to serve the
service and their breaks, the rules) and this module turns them into bookable slots with a
capacity each. Keeping it pure makes the arithmetic easy to check by hand in tests.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

Period = tuple[time, time]


@dataclass(frozen=True)
class Counter:
    """A service point that may take appointments, with its skills and its own breaks."""

    id: int
    skills: frozenset[str]
    breaks: tuple[Period, ...] = ()

    def covers(self, required: frozenset[str]) -> bool:
        return required <= self.skills

    def free_during(self, start: time, end: time) -> bool:
        return not any(_overlaps(start, end, b_start, b_end) for b_start, b_end in self.breaks)


@dataclass(frozen=True)
class SlotRules:
    """How a branch cuts its day into bookable slots for one service."""

    slot_minutes: int = 30
    service_minutes: int = 15
    # Share of counter time kept free for walk-in customers (0.0 – 1.0).
    walk_in_share: float = 0.5
    lead_time: timedelta = timedelta(hours=2)
    horizon_days: int = 14
    # Breaks that apply to the whole branch on top of the opening periods (e.g. a staff meeting).
    breaks: tuple[Period, ...] = ()

    def __post_init__(self) -> None:
        if self.slot_minutes <= 0 or self.service_minutes <= 0:
            raise ValueError("slot_minutes and service_minutes must be positive")
        if not 0.0 <= self.walk_in_share <= 1.0:
            raise ValueError("walk_in_share must be between 0 and 1")
        if self.horizon_days < 0:
            raise ValueError("horizon_days must not be negative")


@dataclass(frozen=True, order=True)
class Slot:
    start: datetime
    end: datetime
    capacity: int = field(compare=False)

    @property
    def key(self) -> str:
        """A stable identifier of the slot start, used in URLs and forms."""
        return self.start.strftime("%Y%m%dT%H%M")


def slot_capacity(*, counters: int, rules: SlotRules) -> int:
    """How many appointments fit in one slot once the walk-in share is set aside.

    Counted in counter-minutes so that a share of several counters is not rounded away per counter.
    """
    bookable_minutes = counters * rules.slot_minutes * (1.0 - rules.walk_in_share)
    # A tiny epsilon keeps 0.7 * 30 style products from landing just below an integer.
    return max(0, math.floor(bookable_minutes / rules.service_minutes + 1e-9))


def slots_on(
    day: date,
    *,
    periods: Sequence[Period],
    counters: Sequence[Counter],
    required_skills: frozenset[str],
    rules: SlotRules,
    tz: tzinfo,
) -> list[Slot]:
    """Slots of one day, ignoring lead time and horizon. Slots with no capacity are left out."""
    able = [c for c in counters if c.covers(required_skills)]
    slots = []
    for start, end in _grid(periods, rules.slot_minutes):
        if any(_overlaps(start, end, b_start, b_end) for b_start, b_end in rules.breaks):
            continue
        present = sum(1 for c in able if c.free_during(start, end))
        capacity = slot_capacity(counters=present, rules=rules)
        if capacity:
            slots.append(
                Slot(
                    start=datetime.combine(day, start, tzinfo=tz),
                    end=datetime.combine(day, end, tzinfo=tz),
                    capacity=capacity,
                )
            )
    return slots


def generate_slots(
    *,
    now: datetime,
    periods_on: Callable[[date], Sequence[Period]],
    counters: Sequence[Counter],
    required_skills: frozenset[str] = frozenset(),
    rules: SlotRules,
    tz: tzinfo,
    first_day: date | None = None,
    last_day: date | None = None,
) -> list[Slot]:
    """Bookable slots from ``now + lead time`` to the end of the booking horizon.

    ``periods_on(day)`` gives the opening periods of that day with the lunch break already cut out
    and holidays / make-up working days already applied (``Branch.hours_on``), an empty list when
    the branch is closed. ``first_day``/``last_day`` narrow the range (e.g. one date picked by
    the customer) but never widen it beyond the horizon.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    local_now = now.astimezone(tz)
    earliest = local_now + rules.lead_time
    horizon_end = local_now.date() + timedelta(days=rules.horizon_days)
    day = max(local_now.date(), first_day or local_now.date())
    end_day = min(horizon_end, last_day or horizon_end)
    result: list[Slot] = []
    while day <= end_day:
        for slot in slots_on(
            day,
            periods=periods_on(day),
            counters=counters,
            required_skills=required_skills,
            rules=rules,
            tz=tz,
        ):
            if slot.start >= earliest:
                result.append(slot)
        day += timedelta(days=1)
    return result


def weekly_periods(
    weekly: dict[int, Sequence[Period]],
    *,
    day_kind: Callable[[date], str],
    makeup_weekday: int = 0,
) -> Callable[[date], Sequence[Period]]:
    """Build a ``periods_on`` from weekly hours and a calendar, for callers without a Branch.

    ``weekly`` maps ``date.weekday()`` to periods. Public holidays are closed; a make-up working
    day (a weekend day worked in exchange for a holiday) keeps the hours of ``makeup_weekday``.
    """

    def periods_on(day: date) -> Sequence[Period]:
        kind = day_kind(day)
        if kind == "holiday":
            return ()
        if kind == "makeup_workday":
            return weekly.get(makeup_weekday, ())
        return weekly.get(day.weekday(), ())

    return periods_on


def next_free(
    slots: Sequence[Slot], booked: dict[datetime, int], *, after: datetime, limit: int = 3
) -> list[Slot]:
    """The first ``limit`` slots starting at or after ``after`` that still have a free place."""
    return [s for s in sorted(slots) if s.start >= after and booked.get(s.start, 0) < s.capacity][:limit]


def _grid(periods: Sequence[Period], minutes: int) -> Iterator[Period]:
    step = timedelta(minutes=minutes)
    anchor = date(2000, 1, 3)
    for p_start, p_end in sorted(periods):
        cursor = datetime.combine(anchor, p_start)
        stop = datetime.combine(anchor, p_end)
        while cursor + step <= stop:
            yield cursor.time(), (cursor + step).time()
            cursor += step


def _overlaps(a_start: time, a_end: time, b_start: time, b_end: time) -> bool:
    return a_start < b_end and b_start < a_end
