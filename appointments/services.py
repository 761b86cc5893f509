"""Every write of the appointments app: book, reschedule, cancel, check in, remind, no-shows."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from appointments import codes, integrations
from appointments.capacity import OpenSlot, day_bounds, free_slots_after, generated_slots
from appointments.models import (
    Appointment,
    AppointmentStatus,
    CheckInTiming,
    CustomerFact,
    CustomerFactKind,
    ServiceMode,
    SlotCapacity,
    SuggestionDismissal,
)
from appointments.policy import policy
from appointments.qr import code_from_scan
from appointments.reminders import send_reminder
from branches.models import Branch, Device, ServiceType
from compliance.audit import audit_record
from core.live import groups, push
from counter.models import PrefilledForm
from counter.services import form_link_ticket
from customers.models import Customer


class BookingError(Exception):
    """A booking (or change) was refused; ``alternatives`` are the next free slots to offer."""

    def __init__(self, message, *, field: str = "start", alternatives: list[OpenSlot] | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.alternatives = alternatives or []


class CheckInError(Exception):
    def __init__(self, message, *, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


def walk_in_allowed(
    *,
    service_type: ServiceType,
    customer: Customer | None = None,
    branch: Branch | None = None,
    now: dt.datetime | None = None,
) -> bool:
    """May this service be served without an appointment? Queueing and the kiosk ask before issuing
    a walk-in ticket. Services flagged ``needs_appointment`` are refused unless the customer holds
    a booked appointment for that service at that branch today (they should check in instead)."""
    if not service_type.needs_appointment:
        return True
    if customer is None or branch is None:
        return False
    today = (now or timezone.now()).astimezone(branch.tz).date()
    return Appointment.objects.filter(
        customer=customer,
        branch=branch,
        service_type=service_type,
        status__in=[AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN],
        start__range=day_bounds(branch, today),
    ).exists()


# --- booking --------------------------------------------------------------------------------------


def appointment_book(
    *,
    actor,
    customer: Customer,
    branch: Branch,
    service_type: ServiceType,
    start: dt.datetime,
    mode: str = ServiceMode.STAFF,
    prefilled_form: PrefilledForm | None = None,
    now: dt.datetime | None = None,
) -> Appointment:
    """Book a place in the slot starting at ``start``; exactly one of two racing customers gets the
    last place (``SlotCapacity`` CHECK constraint + conditional UPDATE)."""
    now = now or timezone.now()
    slot = _bookable_slot(branch=branch, service_type=service_type, start=start, now=now)
    _check_customer_may_book(customer=customer, start=start, now=now)
    try:
        with transaction.atomic():
            capacity = _claim_place(branch=branch, service_type=service_type, slot=slot)
            appointment = Appointment.objects.create(
                branch=branch,
                service_type=service_type,
                customer=customer,
                slot=capacity,
                start=slot.start,
                end=slot.end,
                mode=mode,
                code=_unused_code(),
                prefilled_form=prefilled_form,
                created_at=now,
            )
            audit_record(
                actor=actor,
                action="appointment.book",
                obj=appointment,
                branch=branch,
                customer=customer,
                after={"start": slot.start.isoformat(), "service": service_type.code, "mode": mode},
            )
            _push_staff(appointment, "appointment.booked")
    except _SlotFull:
        raise _taken(branch=branch, service_type=service_type, start=start) from None
    return appointment


def appointment_reschedule(
    *, actor, appointment: Appointment, start: dt.datetime, now: dt.datetime | None = None
) -> Appointment:
    now = now or timezone.now()
    _check_changeable(appointment, actor=actor, now=now)
    branch, service_type = appointment.branch, appointment.service_type
    slot = _bookable_slot(branch=branch, service_type=service_type, start=start, now=now)
    before = {"start": appointment.start.isoformat()}
    try:
        with transaction.atomic():
            locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
            if locked.status != AppointmentStatus.BOOKED:
                raise BookingError(_("This appointment can no longer be changed."), field="status")
            capacity = _claim_place(branch=branch, service_type=service_type, slot=slot)
            _release_place(locked.slot_id)
            locked.slot, locked.start, locked.end = capacity, slot.start, slot.end
            locked.reschedule_count += 1
            # A new time deserves new reminders.
            locked.reminded_day_before_at = locked.reminded_soon_at = locked.leave_now_sent_at = None
            locked.save(
                update_fields=[
                    "slot",
                    "start",
                    "end",
                    "reschedule_count",
                    "reminded_day_before_at",
                    "reminded_soon_at",
                    "leave_now_sent_at",
                ]
            )
            audit_record(
                actor=actor,
                action="appointment.reschedule",
                obj=locked,
                branch=branch,
                customer=locked.customer,
                before=before,
                after={"start": slot.start.isoformat()},
            )
            _push_staff(locked, "appointment.rescheduled")
    except _SlotFull:
        raise _taken(branch=branch, service_type=service_type, start=start) from None
    return locked


@transaction.atomic
def appointment_cancel(*, actor, appointment: Appointment, now: dt.datetime | None = None) -> Appointment:
    now = now or timezone.now()
    _check_changeable(appointment, actor=actor, now=now)
    locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if locked.status != AppointmentStatus.BOOKED:
        raise BookingError(_("This appointment can no longer be changed."), field="status")
    _leave_booked(locked, AppointmentStatus.CANCELLED, actor=actor, now=now)
    _release_place(locked.slot_id)
    return locked


def _leave_booked(appointment: Appointment, status: AppointmentStatus, *, actor, now: dt.datetime) -> None:
    """Move a locked, booked appointment to cancelled or no-show, with its audit event and push."""
    stamp = {AppointmentStatus.CANCELLED: "cancelled_at", AppointmentStatus.NO_SHOW: "no_show_at"}[status]
    appointment.status = status
    setattr(appointment, stamp, now)
    appointment.save(update_fields=["status", stamp])
    audit_record(
        actor=actor,
        action=f"appointment.{'cancel' if status == AppointmentStatus.CANCELLED else 'no_show'}",
        obj=appointment,
        branch=appointment.branch,
        customer=appointment.customer,
        before={"status": AppointmentStatus.BOOKED},
        after={"status": status},
    )
    _push_staff(appointment, f"appointment.{status}")


class _SlotFull(Exception):
    pass


def _taken(*, branch: Branch, service_type: ServiceType, start: dt.datetime) -> BookingError:
    # Computed after the failed transaction rolled back, so the offer reflects committed bookings.
    return BookingError(
        _("Sorry, the last place at this time was just taken. Please choose another time."),
        alternatives=free_slots_after(branch=branch, service_type=service_type, after=start),
    )


def _bookable_slot(*, branch: Branch, service_type: ServiceType, start: dt.datetime, now: dt.datetime):
    if not (branch.is_active and service_type.is_active):
        raise BookingError(_("This service cannot be booked at this branch."), field="service_type")
    day = start.astimezone(branch.tz).date()
    for slot in generated_slots(branch=branch, service_type=service_type, now=now, day=day):
        if slot.start == start:
            return slot
    raise BookingError(
        _("This time cannot be booked. Please choose one of the times offered."),
        alternatives=free_slots_after(branch=branch, service_type=service_type, after=start),
    )


def check_no_show_pause(*, customer: Customer, now: dt.datetime) -> None:
    """Online booking (single or recurring) pauses after too many recent no-shows."""
    rules = policy()
    no_shows = Appointment.objects.filter(
        customer=customer,
        status=AppointmentStatus.NO_SHOW,
        start__gte=now - dt.timedelta(days=rules.no_show_window_days),
    ).count()
    if no_shows >= rules.no_show_limit:
        raise BookingError(
            _("Online booking is paused after %(count)d missed appointments. Please ask at a branch.")
            % {"count": no_shows},
            field="customer",
        )


def _check_customer_may_book(*, customer: Customer, start: dt.datetime, now: dt.datetime) -> None:
    rules = policy()
    check_no_show_pause(customer=customer, now=now)
    mine = Appointment.objects.filter(customer=customer)
    if mine.filter(status=AppointmentStatus.BOOKED, start__gte=now).count() >= rules.max_active_per_customer:
        raise BookingError(
            _(
                "You already have %(count)d upcoming appointments, the most allowed. "
                "Cancel one to book another."
            )
            % {"count": rules.max_active_per_customer},
            field="customer",
        )
    if mine.filter(status=AppointmentStatus.BOOKED, start=start).exists():
        raise BookingError(_("You already have an appointment at this time."))


def _claim_place(*, branch: Branch, service_type: ServiceType, slot) -> SlotCapacity:
    row, _created = SlotCapacity.objects.get_or_create(
        branch=branch,
        service_type=service_type,
        start=slot.start,
        defaults={"end": slot.end, "capacity": slot.capacity},
    )
    # The WHERE clause is re-checked by the database under the row lock, so of two concurrent
    # bookings for the last place exactly one updates a row.
    won = SlotCapacity.objects.filter(pk=row.pk, booked__lt=slot.capacity).update(
        booked=F("booked") + 1, capacity=slot.capacity
    )
    if not won:
        raise _SlotFull
    return row


def _release_place(slot_id: int) -> None:
    SlotCapacity.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _unused_code() -> str:
    for _attempt in range(5):
        code = codes.booking_code_new()
        if not Appointment.objects.filter(code=code).exists():
            return code
    raise IntegrityError("could not find an unused booking code")


def _check_changeable(appointment: Appointment, *, actor, now: dt.datetime) -> None:
    if appointment.status != AppointmentStatus.BOOKED:
        raise BookingError(_("This appointment can no longer be changed."), field="status")
    is_customer = actor is not None and appointment.customer.user_id == actor.pk
    deadline = policy().change_deadline(appointment.start)
    if is_customer and now >= deadline:
        raise BookingError(
            _("Changes are possible until %(time)s. Please call the branch.")
            % {
                "time": formats.date_format(
                    deadline.astimezone(appointment.branch.tz), "SHORT_DATETIME_FORMAT"
                )
            },
            field="status",
        )


def _push_staff(appointment: Appointment, event: str) -> None:
    push(
        groups.staff(appointment.branch.code),
        event,
        {
            "appointment": appointment.pk,
            "start": appointment.start.isoformat(),
            "service": appointment.service_type.code,
            "status": appointment.status,
        },
    )


# --- check-in -------------------------------------------------------------------------------------


def checkin_timing(appointment: Appointment, now: dt.datetime) -> CheckInTiming:
    window_start, window_end = policy().priority_window(appointment.start)
    if now < window_start:
        return CheckInTiming.EARLY
    if now <= window_end:
        return CheckInTiming.ON_TIME
    return CheckInTiming.LATE


def appointment_find_for_checkin(*, branch: Branch, raw_code: str) -> Appointment:
    code = codes.normalise(code_from_scan(raw_code))
    if code is None:
        raise CheckInError(
            _("This is not a valid booking code. Please check it and try again."), code="invalid"
        )
    appointment = Appointment.objects.with_related().filter(code=code).first()
    if appointment is None or appointment.branch_id != branch.pk:
        raise CheckInError(_("No appointment with this code at this branch."), code="not_found")
    return appointment


def appointment_check_in_by_code(*, branch: Branch, raw_code: str, actor=None, device: Device | None = None):
    """Check in whoever holds the booking code (typed or scanned) at ``branch``."""
    appointment = appointment_find_for_checkin(branch=branch, raw_code=raw_code)
    return appointment_check_in(appointment=appointment, actor=actor, device=device)


def appointment_check_in(
    *, appointment: Appointment, actor=None, device: Device | None = None, now: dt.datetime | None = None
) -> Appointment:
    """Check the customer in and issue their queue ticket.

    From ``checkin_opens`` before the slot: early and on-time arrivals get appointment priority
    (for an early one it starts with the window), arrivals later than the grace period get
    normal walk-in priority; after the no-show time check-in is refused.
    """
    now = now or timezone.now()
    rules = policy()
    with transaction.atomic():
        locked = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("branch", "service_type", "customer", "prefilled_form")
            .get(pk=appointment.pk)
        )
        if locked.status == AppointmentStatus.CHECKED_IN:
            raise CheckInError(_("You are already checked in."), code="already_checked_in")
        if locked.status != AppointmentStatus.BOOKED:
            raise CheckInError(_("This appointment is no longer valid."), code="not_booked")
        tz = appointment.branch.tz
        opens = rules.checkin_opens(locked.start)
        if now < opens:
            raise CheckInError(
                _("Check-in for this appointment opens at %(time)s.")
                % {"time": formats.date_format(opens.astimezone(tz), "SHORT_DATETIME_FORMAT")},
                code="too_early",
            )
        if now >= rules.no_show_at(locked.start):
            raise CheckInError(_("This appointment has lapsed. Please take a walk-in ticket."), code="lapsed")
        timing = checkin_timing(locked, now)
        window = rules.priority_window(locked.start) if timing != CheckInTiming.LATE else None
        ticket = integrations.ticket_for_appointment(
            appointment=locked, window=window, actor=actor, device=device
        )
        locked.status = AppointmentStatus.CHECKED_IN
        locked.checked_in_at = now
        locked.checkin_timing = timing
        locked.ticket = ticket
        locked.save(update_fields=["status", "checked_in_at", "checkin_timing", "ticket"])
        if locked.prefilled_form is not None:
            form_link_ticket(actor=actor, form=locked.prefilled_form, ticket=ticket, device=device)
        audit_record(
            actor=actor,
            device=device,
            action="appointment.check_in",
            obj=locked,
            branch=locked.branch,
            customer=locked.customer,
            after={"timing": timing, "ticket": ticket.number},
        )
        _push_staff(locked, "appointment.checked_in")
    return locked


# --- around the visit (Celery) --------------------------------------------------------------------

REMINDER_FIELDS = {
    "day_before": "reminded_day_before_at",
    "soon": "reminded_soon_at",
    "leave_now": "leave_now_sent_at",
}


def reminders_due(*, now: dt.datetime | None = None) -> list[tuple[int, str]]:
    """(appointment id, reminder kind) pairs whose time has come and that were not sent yet."""
    now = now or timezone.now()
    rules = policy()
    due: list[tuple[int, str]] = []
    booked = Appointment.objects.active().filter(start__gt=now).select_related("branch")
    horizon = now + dt.timedelta(days=2)
    for appt in booked.filter(start__lte=horizon):
        local_now = now.astimezone(appt.branch.tz)
        start_day = appt.start.astimezone(appt.branch.tz).date()
        if (
            appt.reminded_day_before_at is None
            and start_day == local_now.date() + dt.timedelta(days=1)
            and local_now.hour >= rules.day_before_hour
        ):
            due.append((appt.pk, "day_before"))
        if appt.reminded_soon_at is None and appt.start - now <= dt.timedelta(
            minutes=rules.soon_before_minutes
        ):
            due.append((appt.pk, "soon"))
        if appt.leave_now_sent_at is None and appt.start - now <= dt.timedelta(
            minutes=rules.leave_now_minutes
        ):
            due.append((appt.pk, "leave_now"))
    return due


def appointment_remind(*, appointment_id: int, kind: str, now: dt.datetime | None = None) -> bool:
    """Send one reminder once, even if the worker dies while sending it.

    The appointment row stays locked while the gateway is asked, and the sent time commits only
    after the gateway accepted the message: a worker killed mid-send rolls back, and the task
    (acks_late) runs again and sends it; a second run, or one waiting on the lock, finds it sent.
    Only a worker dying between the gateway's answer and the commit sends it twice."""
    now = now or timezone.now()
    field = REMINDER_FIELDS[kind]
    with transaction.atomic():
        appointment = (
            Appointment.objects.with_related().select_for_update(of=("self",))
            .filter(pk=appointment_id, status=AppointmentStatus.BOOKED, **{f"{field}__isnull": True})
            .first()
        )
        if appointment is None:
            return False
        send_reminder(appointment=appointment, kind=kind)
        setattr(appointment, field, now)
        appointment.save(update_fields=[field])
    return True


def appointment_mark_no_shows(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=policy().no_show_after_minutes)
    marked = 0
    for pk in Appointment.objects.active().filter(start__lt=cutoff).values_list("pk", flat=True):
        with transaction.atomic():
            appt = (
                Appointment.objects.select_for_update(of=("self",))
                .select_related("branch", "customer", "service_type")
                .filter(pk=pk, status=AppointmentStatus.BOOKED)
                .first()
            )
            if appt is None:
                continue
            _leave_booked(appt, AppointmentStatus.NO_SHOW, actor=None, now=now)
            marked += 1
    return marked


@transaction.atomic
def appointment_complete(*, actor, appointment: Appointment) -> Appointment:
    """Queueing/counter call this when the appointment's ticket is served to the end."""
    updated = Appointment.objects.filter(pk=appointment.pk, status=AppointmentStatus.CHECKED_IN).update(
        status=AppointmentStatus.COMPLETED
    )
    appointment.refresh_from_db(fields=["status"])
    if updated:
        audit_record(
            actor=actor,
            action="appointment.complete",
            obj=appointment,
            branch=appointment.branch,
            customer=appointment.customer,
            after={"status": appointment.status},
        )
    return appointment


# --- suggestions' facts ---------------------------------------------------------------------------


@transaction.atomic
def customer_fact_record(
    *, actor, customer: Customer, kind: str, due_on: dt.date, label: str = "", source_ref: str = ""
) -> CustomerFact:
    """Record a dated fact from another system (e.g. a maturing time deposit). Idempotent."""
    fact, created = CustomerFact.objects.get_or_create(
        customer=customer,
        kind=CustomerFactKind(kind),
        source_ref=source_ref,
        due_on=due_on,
        defaults={"label": label},
    )
    if created:
        audit_record(
            actor=actor,
            action="appointment.customer_fact",
            obj=fact,
            customer=customer,
            after={"kind": kind, "due_on": due_on.isoformat()},
        )
    return fact


@transaction.atomic
def suggestion_dismiss(*, user, rule: str) -> None:
    SuggestionDismissal.objects.get_or_create(user=user, rule=rule[:40])
