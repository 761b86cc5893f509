"""What insights registers in the hooks of lower apps (`connect()`, called from
`InsightsConfig.ready`)."""

from __future__ import annotations

import datetime as dt

from insights.models import RosterSlot, RosterStatus, SlotKind
from queueing.duty import CounterDuty, register_duty_source


def _time(slot: int) -> dt.time:
    minutes = slot * 30
    return dt.time.max if minutes >= 24 * 60 else dt.time(minutes // 60, minutes % 60)


def rostered_counters(*, branch, day) -> dict[int, CounterDuty]:
    """The half-hours a teller is at each counter in the day's published roster, for the wait
    estimates; counters the roster does not name are left to the branch's hours."""
    slots: dict[int, list[int]] = {}
    rows = RosterSlot.objects.filter(
        roster__branch=branch, roster__date=day, roster__status=RosterStatus.PUBLISHED,
        kind=SlotKind.COUNTER).values_list("counter_id", "slot")
    for counter_id, slot in rows:
        slots.setdefault(counter_id, []).append(slot)
    plans = {}
    for counter_id, found in slots.items():
        shifts: list[tuple[int, int]] = []
        for slot in sorted(set(found)):
            if shifts and shifts[-1][1] == slot:
                shifts[-1] = (shifts[-1][0], slot + 1)
            else:
                shifts.append((slot, slot + 1))
        plans[counter_id] = CounterDuty(shifts=tuple((_time(a), _time(b)) for a, b in shifts))
    return plans


def connect() -> None:
    register_duty_source(rostered_counters)
