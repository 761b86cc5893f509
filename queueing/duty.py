"""The counters' known hours today, for the wait estimates (`CounterState.hours`,
docs/queueing-engine.md).

A quote that does not know a teller leaves for lunch in ten minutes is optimistic; one that does
not know a teller comes back in five is pessimistic. Queueing knows the branch's opening hours
(its lunch break, its closing time). Higher apps know more and register a source here, since
queueing cannot import them:

    from queueing.duty import CounterDuty, register_duty_source
    register_duty_source(fn)   # fn(*, branch, day) -> {service point pk: CounterDuty}

appointments gives each counter's daily breaks (`CounterBreak`), insights the published roster's
half-hours at each counter. The result is kept with the branch's configuration
(`queueing.config`), so issuing a ticket makes no extra query; the sources' writes bump that
configuration's version.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

Period = tuple[dt.time, dt.time]
Minutes = tuple[float, float]


@dataclass(frozen=True)
class CounterDuty:
    """What a source knows of one counter's day: ``shifts`` the periods a teller is rostered at
    it (None: not known, the branch's hours), ``breaks`` the periods it is closed within them."""

    shifts: tuple[Period, ...] | None = None
    breaks: tuple[Period, ...] = ()


DutySource = Callable[..., "dict[int, CounterDuty]"]
_sources: list[DutySource] = []


def register_duty_source(fn: DutySource) -> DutySource:
    if fn not in _sources:
        _sources.append(fn)
    return fn


def duty_plans(*, branch, day: dt.date) -> dict[int, CounterDuty]:
    """Every registered source's knowledge, merged per counter: the first source that knows the
    shifts gives them, the breaks of all sources add up."""
    merged: dict[int, CounterDuty] = {}
    for source in list(_sources):
        for pk, duty in source(branch=branch, day=day).items():
            known = merged.get(pk, CounterDuty())
            merged[pk] = CounterDuty(
                shifts=known.shifts if known.shifts is not None else duty.shifts,
                breaks=known.breaks + duty.breaks)
    return merged


def _minutes(moment: dt.time) -> float:
    return moment.hour * 60 + moment.minute + moment.second / 60


def _as_minutes(periods: Iterable[Period]) -> list[Minutes]:
    return sorted((_minutes(start), _minutes(end)) for start, end in periods if end > start)


def _intersect(a: list[Minutes], b: list[Minutes]) -> list[Minutes]:
    out = [(max(s1, s2), min(e1, e2)) for s1, e1 in a for s2, e2 in b]
    return sorted((s, e) for s, e in out if e > s)


def _without(periods: list[Minutes], gaps: list[Minutes]) -> list[Minutes]:
    for gap_start, gap_end in gaps:
        cut: list[Minutes] = []
        for start, end in periods:
            if start < gap_start:
                cut.append((start, min(end, gap_start)))
            if end > gap_end:
                cut.append((max(start, gap_end), end))
        periods = [(s, e) for s, e in cut if e > s]
    return periods


def counter_hours(*, opening: list[Period], duty: CounterDuty | None, is_open: bool,
                  now: float) -> tuple[Minutes, ...] | None:
    """One counter's hours for the engine (minutes since local midnight), or None when nothing
    is known that the engine could use.

    A counter closed now comes back only when something says so: its roster, or ``now`` falling
    in one of its breaks (its own or the branch's lunch); a closed counter the roster does not
    name is not staffed today. A period ending at the branch's closing time has no end: the
    tellers on duty then serve everyone still holding a ticket.
    """
    branch = _as_minutes(opening)
    if not branch:
        return None
    closing = max(end for _, end in branch)
    periods = branch
    if duty is not None and duty.shifts is not None:
        periods = _intersect(periods, _as_minutes(duty.shifts))
    if duty is not None:
        periods = _without(periods, _as_minutes(duty.breaks))
    rostered = duty is not None and duty.shifts is not None
    on_break = any(end <= now for _, end in periods) and any(start > now for start, _ in periods)
    if not is_open and not rostered and not on_break:
        return None
    return tuple((start, math.inf if end >= closing else end) for start, end in periods)
