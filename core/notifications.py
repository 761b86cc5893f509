"""Outbound notifications to customers and staff (SMS, email), behind pluggable backends.

The embedded profile prints to the console. A bank plugs in its SMS gateway by pointing
SMS_BACKEND at a class with `send(to: str, body: str) -> None`.
"""

import logging
from typing import Literal

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from core.pii import mask_phone

log = logging.getLogger("branchsvc.notifications")
Channel = Literal["sms", "email"]


class ConsoleSMSBackend:
    def send(self, to: str, body: str) -> None:
        # The body may carry a one-time code, so only the console profile prints it in full.
        print(f"[SMS to {to}] {body}", flush=True)  # noqa: T201


def notify(*, channel: Channel, to: str, subject: str, body: str) -> None:
    if not to:
        return
    if channel == "sms":
        if "console" in settings.NOTIFICATION_BACKENDS or "sms" in settings.NOTIFICATION_BACKENDS:
            import_string(settings.SMS_BACKEND)().send(to, body)
        log.info("sms sent to %s", mask_phone(to))
    elif channel == "email":
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
        log.info("email sent: %s", subject)
    else:
        raise ValueError(f"unknown notification channel {channel!r}")
