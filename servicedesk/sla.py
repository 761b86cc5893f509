"""SLA clocks of a work order: which policy applies, its deadlines, and how far each clock has run."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from branches.calendar import day_kind
from servicedesk import sla_clock
from servicedesk.models import (
    ACTIVE_STATUSES,
    Level,
    SLAPolicy,
    Status,
    Target,
    WorkOrder,
    WorkOrderKind,
)


def business_calendar() -> sla_clock.BusinessCalendar:
    """The bank's calendar; each call gets a fresh per-day cache so admin corrections apply."""
    return sla_clock.BusinessCalendar(day_kind=functools.lru_cache(maxsize=1024)(day_kind))


def policy_for(work_order: WorkOrder) -> SLAPolicy | None:
    for policy in SLAPolicy.objects.filter(is_active=True).select_related("category"):
        if policy.matches(work_order):
            return policy
    return None


@dataclass(frozen=True)
class Clock:
    target: Target
    started_at: dt.datetime
    duration: dt.timedelta
    calendar: sla_clock.BusinessCalendar
    due_at: dt.datetime | None  # None while paused with time still left
    # Complaints also run against the regulator's hard ceiling, in calendar time, never paused.
    ceiling: dt.datetime | None = None

    @property
    def effective_due(self) -> dt.datetime | None:
        if self.ceiling is None:
            return self.due_at
        return min(d for d in (self.due_at, self.ceiling) if d is not None)

    def fraction_used(self, now: dt.datetime, pauses) -> float:
        used = sla_clock.fraction_used(self.started_at, self.duration, now, self.calendar, pauses=pauses)
        if self.ceiling is not None:
            used = max(used, (now - self.started_at) / (self.ceiling - self.started_at))
        return used


def pauses_of(work_order: WorkOrder) -> list[tuple[dt.datetime, dt.datetime | None]]:
    return [(p.started_at, p.ended_at) for p in work_order.pauses.all()]


def clocks(work_order: WorkOrder, *, calendar: sla_clock.BusinessCalendar | None = None) -> list[Clock]:
    """The clocks still running for an active work order (first response, update, resolution)."""
    policy = work_order.sla_policy
    if policy is None or work_order.status not in ACTIVE_STATUSES:
        return []
    calendar = calendar or business_calendar()
    pauses = pauses_of(work_order)
    result = []
    if work_order.first_responded_at is None:
        duration = dt.timedelta(minutes=policy.first_response_minutes)
        due = sla_clock.add_business_time(work_order.received_at, duration, calendar, pauses=pauses)
        result.append(Clock(Target.FIRST_RESPONSE, work_order.received_at, duration, calendar, due))
    resolution = _resolution_clock(work_order, policy, calendar, pauses)
    if policy.update_cadence_hours and work_order.kind == WorkOrderKind.COMPLAINT:
        start = work_order.last_customer_update_at or work_order.received_at
        duration = dt.timedelta(hours=policy.update_cadence_hours)
        due = _in_business_hours(
            sla_clock.add_business_time(start, duration, sla_clock.ROUND_THE_CLOCK, pauses=pauses),
            calendar)
        # A progress notice after the resolution deadline would come too late to mean anything.
        if due is not None and resolution.effective_due is not None:
            due = min(due, resolution.effective_due)
        result.append(Clock(Target.UPDATE, start, duration, sla_clock.ROUND_THE_CLOCK, due))
    result.append(resolution)
    return result


def _in_business_hours(due: dt.datetime | None, calendar: sla_clock.BusinessCalendar):
    """A deadline in calendar time that falls at night or on a holiday moves to the next opening:
    nobody can answer a customer at 02:48, and the back office reads its deadlines by day."""
    return None if due is None else sla_clock.next_working_moment(due, calendar)


def _resolution_clock(work_order, policy, calendar, pauses) -> Clock:
    duration = dt.timedelta(minutes=policy.resolution_minutes)
    if policy.resolution_clock == SLAPolicy.Clock.BUSINESS:
        due = sla_clock.add_business_time(work_order.received_at, duration, calendar, pauses=pauses)
        return Clock(Target.RESOLUTION, work_order.received_at, duration, calendar, due,
                     ceiling=work_order.regulatory_due)
    # Calendar hours start when the back office opens: a complaint received at night has its
    # 24 hours counted from 09:00, and its deadline falls in business hours too.
    start = sla_clock.next_working_moment(work_order.received_at, calendar)
    due = _in_business_hours(
        sla_clock.add_business_time(start, duration, sla_clock.ROUND_THE_CLOCK, pauses=pauses),
        calendar)
    return Clock(Target.RESOLUTION, start, duration, sla_clock.ROUND_THE_CLOCK, due,
                 ceiling=work_order.regulatory_due)


def regulatory_due(work_order: WorkOrder) -> dt.datetime | None:
    if work_order.kind != WorkOrderKind.COMPLAINT:
        return None
    return sla_clock.regulatory_ceiling(
        work_order.received_at,
        complex_case=work_order.complex_case,
        extended=work_order.extended_at is not None,
    )


def refresh_deadlines(work_order: WorkOrder, *, calendar=None) -> list[str]:
    """Recompute the stored deadlines (for sorting queues); returns the fields changed."""
    work_order.regulatory_due = regulatory_due(work_order)
    by_target = {c.target: c.effective_due for c in clocks(work_order, calendar=calendar)}
    work_order.first_response_due = by_target.get(
        Target.FIRST_RESPONSE, work_order.first_response_due if work_order.first_responded_at else None
    )
    work_order.next_update_due = by_target.get(Target.UPDATE)
    if work_order.status in ACTIVE_STATUSES:
        work_order.resolution_due = by_target.get(Target.RESOLUTION)
    return ["regulatory_due", "first_response_due", "next_update_due", "resolution_due"]


def levels_reached(fraction: float, policy: SLAPolicy, target: Target) -> list[Level]:
    thresholds = [
        (Level.WARNING, policy.warn_percent / 100),
        (Level.DEPARTMENT_HEAD, 1.0),
        (Level.BRANCH_HEAD, policy.branch_head_percent / 100),
        (Level.HEAD_OFFICE, policy.head_office_percent / 100),
    ]
    # A late first response or customer update goes to the department head; only a late
    # resolution climbs the whole ladder.
    top = Level.HEAD_OFFICE if target in (Target.RESOLUTION, Target.EMERGENCY) else Level.DEPARTMENT_HEAD
    return [level for level, at in thresholds if fraction >= at and level <= top]


@dataclass(frozen=True)
class ClockView:
    target: Target
    due_at: dt.datetime | None
    percent: int
    paused: bool

    @property
    def state(self) -> str:
        if self.percent >= 100:
            return "breached"
        if self.percent >= 80:
            return "warning"
        return "paused" if self.paused else "running"


def clock_views(work_order: WorkOrder, now: dt.datetime, *, calendar=None) -> list[ClockView]:
    pauses = pauses_of(work_order)
    paused = work_order.status == Status.WAITING_CUSTOMER
    return [
        ClockView(c.target, c.effective_due, int(c.fraction_used(now, pauses) * 100), paused)
        for c in clocks(work_order, calendar=calendar)
    ]
