"""Which slot the E2E customer books: the demo world books some for the same customer today, and
which slots those are depends on the time of day the world was seeded."""

import datetime as dt

from django.utils import timezone

from appointments.capacity import parse_slot_key, slot_key
from appointments.models import Appointment, AppointmentStatus
from appointments.policy import policy
from customers.models import Customer


def booked_slot_keys(*, phone: str, branch) -> set[str]:
    """The slot keys (branch time) of the customer's booked appointments."""
    return {slot_key(start.astimezone(branch.tz)) for start in Appointment.objects.filter(
        customer__in=Customer.objects.by_phone(phone), status=AppointmentStatus.BOOKED,
    ).values_list("start", flat=True)}


def slot_to_check_in_now(values: list[str], *, phone: str, branch) -> str:
    """The first offered slot the customer has not booked already whose kiosk check-in is open
    now (it opens `checkin_opens_minutes` before the start): the journey books it and checks in
    straight away, on the real clock."""
    booked = booked_slot_keys(phone=phone, branch=branch)
    now = timezone.now()
    for value in values:
        start = parse_slot_key(value, branch=branch)
        if value not in booked and policy().checkin_opens(start) <= now:
            return value
    raise AssertionError(f"no slot to check in now among {values[:6]} (booked: {sorted(booked)})")


def beyond_check_in(value: str, *, branch) -> bool:
    """Whether a slot starts too late for the journey to check in to it during this run: the
    keyboard booking test books only such slots, leaving the near ones to the journey."""
    rules = policy()
    start = parse_slot_key(value, branch=branch)
    ahead = dt.timedelta(minutes=rules.checkin_opens_minutes + 2 * rules.slot_minutes)
    return start >= timezone.now() + ahead
