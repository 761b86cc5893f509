"""The text of reminders, in the customer's own language, and their sending."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from appointments import integrations
from core.notifications import notify


def reminder_text(*, appointment, kind: str) -> str:
    branch = appointment.branch
    local_start = appointment.start.astimezone(branch.tz)
    params = {
        "service": appointment.service_type.name,
        "branch": branch.name,
        "time": formats.time_format(local_start.time(), "H:i"),
        "date": formats.date_format(local_start.date(), "SHORT_DATE_FORMAT"),
        "code": appointment.code_display,
        "url": settings.PUBLIC_BASE_URL.rstrip("/") + reverse("appointments:detail", args=[appointment.code]),
    }
    if kind == "day_before":
        return (
            _(
                "Reminder: %(service)s at %(branch)s tomorrow, %(date)s at %(time)s. "
                "Booking code %(code)s. Change or cancel: %(url)s"
            )
            % params
        )
    if kind == "soon":
        return (
            _(
                "Your appointment for %(service)s at %(branch)s is today at %(time)s. "
                "Check in at the kiosk with booking code %(code)s."
            )
            % params
        )
    wait = integrations.live_wait_minutes(branch, appointment.service_type)
    if wait is None:
        return _("Time to leave for your %(time)s appointment at %(branch)s.") % params
    return _(
        "Time to leave for your %(time)s appointment at %(branch)s. The wait there is about "
        "%(wait)d minutes now; with your appointment you are served first."
    ) % {**params, "wait": wait}


def send_reminder(*, appointment, kind: str) -> None:
    customer = appointment.customer
    with translation.override(customer.preferred_language or settings.LANGUAGE_CODE):
        body = reminder_text(appointment=appointment, kind=kind)
    notify(channel="sms", to=customer.phone, subject="", body=body)
