"""Recurring appointments: a series books each of its dates as a real appointment.

Each occurrence takes its own place in its own slot through the same race-safe claim as a single
booking (``SlotCapacity``'s conditional UPDATE), so a series can never overbook a slot. The dates
follow the branch's official calendar (``branches.calendar``: public holidays, make-up working
days, the branch's own exceptions): "the 3rd working day of each month" counts only days the
calendar says are worked. A date whose time is full moves to the nearest free time that day; a
date with no free time at all is kept in ``skipped`` with its reason, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appointments import slots
from appointments.capacity import counters_for
from appointments.models import (
    Appointment,
    AppointmentSeries,
    AppointmentStatus,
    SeriesRule,
    ServiceMode,
    SlotCapacity,
)
from appointments.policy import policy
from appointments.services import (
    BookingError,
    _check_changeable,
    _claim_place,
    _leave_booked,
    _push_staff,
    _release_place,
    _SlotFull,
    _unused_code,
    check_no_show_pause,
)
from branches.calendar import is_working_day
from branches.models import Branch, ServiceType
from compliance.audit import audit_record
from customers.models import Customer

MAX_OCCURRENCES = 12
# How far ahead a series may reach: a year of monthly dates.
SERIES_HORIZON_DAYS = 400
MAX_ACTIVE_SERIES = 3

SKIP_REASONS = {
    "closed": _("The branch is closed that day."),
    "full": _("No free time that day."),
    "taken": _("You already have an appointment at that time."),
    "too_soon": _("Too soon to book."),
}


@dataclass(frozen=True)
class PlannedDate:
    day: dt.date
    start: dt.datetime | None
    reason: str = ""  # a SKIP_REASONS key when the date cannot be booked

    @property
    def reason_text(self) -> str:
        return str(SKIP_REASONS[self.reason]) if self.reason else ""


def nth_working_day(*, branch: Branch, year: int, month: int, nth: int) -> dt.date | None:
    """The ``nth`` working day of the month by the branch's official calendar, or None."""
    day, seen = dt.date(year, month, 1), 0
    while day.month == month:
        if is_working_day(day, branch=branch):
            seen += 1
            if seen == nth:
                return day
        day += dt.timedelta(days=1)
    return None


def series_dates(*, branch: Branch, rule: str, nth: int, first_day: dt.date, count: int) -> list[dt.date]:
    """The dates of a series: ``count`` months (Nth working day) or weeks from ``first_day``."""
    if rule == SeriesRule.WEEKLY:
        return [first_day + dt.timedelta(weeks=i) for i in range(count)]
    dates: list[dt.date] = []
    year, month = first_day.year, first_day.month
    while len(dates) < count:
        day = nth_working_day(branch=branch, year=year, month=month, nth=nth)
        if day is not None and day >= first_day:
            dates.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dates


def _slots_that_day(branch: Branch, service_type: ServiceType, day: dt.date) -> list[slots.Slot]:
    rules = policy().slot_rules(service_minutes=service_type.target_minutes)
    return slots.slots_on(
        day,
        periods=branch.hours_on(day),
        counters=counters_for(branch, service_type),
        required_skills=frozenset({service_type.code}),
        rules=rules,
        tz=branch.tz,
    )


def _nearest_first(day_slots: list[slots.Slot], wanted: dt.datetime) -> list[slots.Slot]:
    return sorted(day_slots, key=lambda s: (abs((s.start - wanted).total_seconds()), s.start))


def series_plan(
    *,
    customer: Customer | None,
    branch: Branch,
    service_type: ServiceType,
    rule: str,
    nth: int,
    first_day: dt.date,
    time_of_day: dt.time,
    count: int,
    now: dt.datetime | None = None,
) -> list[PlannedDate]:
    """What a series would book now (read-only: the preview the customer confirms)."""
    now = now or timezone.now()
    _check_series_input(branch=branch, service_type=service_type, first_day=first_day, count=count, now=now)
    earliest = now + policy().slot_rules(service_minutes=service_type.target_minutes).lead_time
    mine = set()
    if customer is not None:
        mine = set(
            Appointment.objects.filter(
                customer=customer, status=AppointmentStatus.BOOKED, start__gte=now
            ).values_list("start", flat=True)
        )
    plan = []
    for day in series_dates(branch=branch, rule=rule, nth=nth, first_day=first_day, count=count):
        plan.append(_plan_day(branch, service_type, day, time_of_day, earliest=earliest, mine=mine))
    return plan


def _plan_day(branch, service_type, day, time_of_day, *, earliest, mine) -> PlannedDate:
    wanted = dt.datetime.combine(day, time_of_day, tzinfo=branch.tz)
    if wanted < earliest:
        return PlannedDate(day, None, "too_soon")
    day_slots = [s for s in _slots_that_day(branch, service_type, day) if s.start >= earliest]
    if not day_slots:
        return PlannedDate(day, None, "closed")
    if wanted in mine:
        return PlannedDate(day, None, "taken")
    booked = dict(
        SlotCapacity.objects.filter(
            branch=branch, service_type=service_type, start__in=[s.start for s in day_slots]
        ).values_list("start", "booked")
    )
    for slot in _nearest_first(day_slots, wanted):
        if booked.get(slot.start, 0) < slot.capacity and slot.start not in mine:
            return PlannedDate(day, slot.start)
    return PlannedDate(day, None, "full")


def _check_series_input(*, branch, service_type, first_day, count, now) -> None:
    if not (branch.is_active and service_type.is_active):
        raise BookingError(_("This service cannot be booked at this branch."), field="service_type")
    if not 1 <= count <= MAX_OCCURRENCES:
        raise BookingError(_("A series has 1 to %(max)d dates.") % {"max": MAX_OCCURRENCES}, field="count")
    today = now.astimezone(branch.tz).date()
    if first_day < today or first_day > today + dt.timedelta(days=SERIES_HORIZON_DAYS):
        raise BookingError(_("The first date must be within the next year."), field="first_day")


def series_create(
    *,
    actor,
    customer: Customer,
    branch: Branch,
    service_type: ServiceType,
    rule: str,
    nth: int,
    first_day: dt.date,
    time_of_day: dt.time,
    count: int,
    mode: str = ServiceMode.STAFF,
    now: dt.datetime | None = None,
) -> AppointmentSeries:
    """Book every date of a series, each in its own slot; at least one date must be bookable."""
    now = now or timezone.now()
    _check_customer_may_start_series(customer=customer, now=now)
    plan = series_plan(
        customer=customer,
        branch=branch,
        service_type=service_type,
        rule=rule,
        nth=nth,
        first_day=first_day,
        time_of_day=time_of_day,
        count=count,
        now=now,
    )
    if not any(p.start for p in plan):
        raise BookingError(_("None of these dates can be booked. Please choose another time."))
    with transaction.atomic():
        series = AppointmentSeries.objects.create(
            customer=customer,
            branch=branch,
            service_type=service_type,
            rule=SeriesRule(rule),
            nth=nth,
            first_day=first_day,
            time_of_day=time_of_day,
            count=count,
            mode=mode,
            created_by=actor if getattr(actor, "pk", None) else None,
            created_at=now,
        )
        _book_dates(series, plan, actor=actor, now=now)
    return series


def _book_dates(series: AppointmentSeries, plan: list[PlannedDate], *, actor, now: dt.datetime) -> None:
    """Book the plan's dates; those lost since the preview join the skipped ones. Audited once."""
    booked = [p for p in plan if p.start and _book_occurrence(series, p.start, actor=actor, now=now)]
    if not booked:
        raise BookingError(_("Sorry, the last places were just taken. Please choose another time."))
    series.skipped = [
        {"day": p.day.isoformat(), "reason": p.reason or "full"} for p in plan if p not in booked
    ]
    series.save(update_fields=["skipped"])
    audit_record(
        actor=actor,
        action="appointment_series.create",
        obj=series,
        branch=series.branch,
        customer=series.customer,
        after={
            "rule": series.rule,
            "nth": series.nth,
            "time": series.time_of_day.isoformat("minutes"),
            "booked": [p.start.isoformat() for p in booked if p.start],
            "skipped": series.skipped,
        },
    )


def _book_occurrence(series: AppointmentSeries, start: dt.datetime, *, actor, now) -> bool:
    """One date of the series in its own savepoint: a place lost to a racing booking skips it."""
    slot = next(
        (
            s
            for s in _slots_that_day(
                series.branch, series.service_type, start.astimezone(series.branch.tz).date()
            )
            if s.start == start
        ),
        None,
    )
    if slot is None:
        return False
    try:
        with transaction.atomic():
            capacity = _claim_place(branch=series.branch, service_type=series.service_type, slot=slot)
            appointment = Appointment.objects.create(
                branch=series.branch,
                service_type=series.service_type,
                customer=series.customer,
                slot=capacity,
                start=slot.start,
                end=slot.end,
                mode=series.mode,
                code=_unused_code(),
                series=series,
                created_at=now,
            )
            audit_record(
                actor=actor,
                action="appointment.book",
                obj=appointment,
                branch=series.branch,
                customer=series.customer,
                after={
                    "start": slot.start.isoformat(),
                    "service": series.service_type.code,
                    "series": series.pk,
                },
            )
            _push_staff(appointment, "appointment.booked")
    except _SlotFull:
        return False
    return True


def _check_customer_may_start_series(*, customer: Customer, now: dt.datetime) -> None:
    check_no_show_pause(customer=customer, now=now)
    active = (
        AppointmentSeries.objects.filter(
            customer=customer,
            cancelled_at__isnull=True,
            occurrences__status=AppointmentStatus.BOOKED,
            occurrences__start__gte=now,
        )
        .distinct()
        .count()
    )
    if active >= MAX_ACTIVE_SERIES:
        raise BookingError(
            _("You already have %(count)d recurring bookings, the most allowed.") % {"count": active},
            field="customer",
        )


def series_cancel(*, actor, series: AppointmentSeries, now: dt.datetime | None = None) -> list[Appointment]:
    """Cancel every upcoming occurrence that may still be changed; returns those kept (a customer
    cannot cancel past the cut-off: those stay, and the page says to call the branch)."""
    now = now or timezone.now()
    kept: list[Appointment] = []
    cancelled: list[str] = []
    with transaction.atomic():
        locked = AppointmentSeries.objects.select_for_update(of=("self",)).get(pk=series.pk)
        upcoming = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("branch", "customer", "service_type")
            .filter(series=locked, status=AppointmentStatus.BOOKED, start__gte=now)
        )
        for appointment in upcoming:
            try:
                _check_changeable(appointment, actor=actor, now=now)
            except BookingError:
                kept.append(appointment)
                continue
            _leave_booked(appointment, AppointmentStatus.CANCELLED, actor=actor, now=now)
            _release_place(appointment.slot_id)
            cancelled.append(appointment.code)
        if locked.cancelled_at is None:
            locked.cancelled_at = now
            locked.save(update_fields=["cancelled_at"])
        audit_record(
            actor=actor,
            action="appointment_series.cancel",
            obj=locked,
            branch=locked.branch,
            customer=locked.customer,
            after={"cancelled": cancelled, "kept": [a.code for a in kept]},
        )
    series.cancelled_at = locked.cancelled_at
    return kept
