"""What appointments registers in the hooks of lower apps (`connect()`, called from
`AppointmentsConfig.ready`)."""

import datetime as dt

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from appointments.models import Appointment, AppointmentStatus, CounterBreak
from counter import hooks as counter_hooks
from customers import hooks
from customers.face.hooks import Offer, register_arrival_action
from queueing.config import bump_branch_config
from queueing.duty import CounterDuty, register_duty_source


def branches_with_appointment_today(customer) -> set[int]:
    now = timezone.now()
    return set(
        Appointment.objects.filter(
            customer=customer,
            status__in=[AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN],
            start__range=(now - dt.timedelta(hours=12), now + dt.timedelta(hours=24)),
        ).values_list("branch_id", flat=True)
    )


def todays_appointment(*, customer, branch, now=None):
    """The customer's booked appointment at the branch whose check-in is open now, if any."""
    from appointments.policy import policy

    now = now or timezone.now()
    rules = policy()
    for appointment in (
        Appointment.objects.active()
        .filter(
            customer=customer,
            branch=branch,
            start__range=(now - dt.timedelta(hours=2), now + dt.timedelta(hours=2)),
        )
        .select_related("service_type", "branch")
        .order_by("start")
    ):
        if rules.checkin_opens(appointment.start) <= now < rules.no_show_at(appointment.start):
            return appointment
    return None


def face_check_in_offer(arrival):
    """Face greeting: offer a recognised customer one tap to check in today's appointment."""
    from django.utils import formats
    from django.utils.translation import gettext as _

    appointment = todays_appointment(customer=arrival.customer, branch=arrival.branch)
    if appointment is None:
        return None
    time = formats.time_format(appointment.start.astimezone(appointment.branch.tz).time(), "H:i")
    return Offer(
        label=_("Check in for %(time)s") % {"time": time},
        detail=f"{time} {appointment.service_type.name}",
        staff_hint=_("Appointment customer: %(service)s at %(time)s")
        % {"service": appointment.service_type.name, "time": time},
        is_appointment=True,
    )


def face_check_in_perform(arrival) -> dict:
    from django.utils.translation import gettext as _

    from appointments.services import CheckInError, appointment_check_in

    appointment = todays_appointment(customer=arrival.customer, branch=arrival.branch)
    if appointment is None:
        return {"message": _("No appointment to check in right now.")}
    try:
        appointment = appointment_check_in(appointment=appointment, device=arrival.device)
    except CheckInError as refused:
        return {"message": str(refused.message)}
    return {"message": _("Checked in. Your ticket is %(number)s.") % {"number": appointment.ticket.number}}


def upcoming_for_counter(customer) -> list[dict]:
    """The customer's next appointments for the teller's 360-degree panel."""
    from django.urls import reverse

    return [
        {"when": appointment.start,
         "label": f"{appointment.service_type.name} · {appointment.branch.name}",
         "url": reverse("appointments:detail", args=[appointment.code])}
        for appointment in Appointment.objects.upcoming().filter(customer=customer)
        .with_related().order_by("start")[:5]
    ]


def complete_on_service_finished(record) -> None:
    """A finished counter service completes the appointment it was checked in for."""
    from appointments.services import appointment_complete

    appointment = Appointment.objects.filter(ticket_id=record.ticket_id,
                                             status=AppointmentStatus.CHECKED_IN).first()
    if appointment is not None:
        appointment_complete(actor=record.teller, appointment=appointment)


def counter_breaks(*, branch, day) -> dict[int, CounterDuty]:
    """The branch's counters' daily breaks (the lunch rota), for the wait estimates."""
    breaks: dict[int, list] = {}
    rows = CounterBreak.objects.filter(service_point__branch=branch).values_list(
        "service_point_id", "start", "end")
    for point_id, start, end in rows:
        breaks.setdefault(point_id, []).append((start, end))
    return {point_id: CounterDuty(breaks=tuple(found)) for point_id, found in breaks.items()}


def _break_changed(sender, instance, **kwargs) -> None:
    # Kept with the branch's configuration: a new or edited break reaches the next quote.
    bump_branch_config(point_id=instance.service_point_id)


def connect() -> None:
    register_duty_source(counter_breaks)
    post_save.connect(_break_changed, sender=CounterBreak, dispatch_uid="appointments.break_saved")
    post_delete.connect(_break_changed, sender=CounterBreak, dispatch_uid="appointments.break_deleted")
    # Staff of a branch may open a customer who has an appointment there today.
    if branches_with_appointment_today not in hooks.customer_branch_ids:
        hooks.customer_branch_ids.append(branches_with_appointment_today)
    # The teller's panel lists upcoming appointments; finishing the service completes one.
    if upcoming_for_counter not in counter_hooks.upcoming_appointments:
        counter_hooks.upcoming_appointments.append(upcoming_for_counter)
    if complete_on_service_finished not in counter_hooks.service_finished:
        counter_hooks.service_finished.append(complete_on_service_finished)
    # A customer the face greeting recognises can check in with one tap (docs/face.md).
    register_arrival_action(
        key="appointment.check_in", offer=face_check_in_offer, perform=face_check_in_perform
    )
