"""Callbacks appointments registers with lower apps (see ``AppointmentsConfig.ready``)."""

import datetime as dt

from django.utils import timezone

from appointments.models import Appointment, AppointmentStatus


def branches_with_appointment_today(customer) -> set[int]:
    now = timezone.now()
    return set(
        Appointment.objects.filter(
            customer=customer,
            status__in=[AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN],
            start__range=(now - dt.timedelta(hours=12), now + dt.timedelta(hours=24)),
        ).values_list("branch_id", flat=True)
    )
