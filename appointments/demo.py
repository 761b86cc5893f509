"""Demo appointments: a handful today and in the coming days at BJ001, for demo customers."""

import datetime as dt

from django.utils import timezone

from appointments.capacity import open_slots
from appointments.services import BookingError, appointment_book, customer_fact_record
from branches.models import Branch, ServiceType
from customers.models import Customer

PLAN = [
    # (customer index, service code, day offset, nth free slot that day, mode)
    (0, "LARGE_CASH_WITHDRAWAL", 0, 2, "staff"),
    (1, "ACCOUNT_OPENING", 0, 4, "staff"),
    (2, "WEALTH_PRODUCT", 0, 6, "staff"),
    (3, "CARD_REPLACEMENT", 0, 8, "self_service"),
    (0, "TIME_DEPOSIT", 1, 3, "staff"),
    (4, "MORTGAGE", 2, 1, "staff"),
    (5, "FX_EXCHANGE", 3, 5, "staff"),
]


def seed(*, stdout) -> None:
    branch = Branch.objects.filter(code="BJ001").first()
    customers = list(Customer.objects.order_by("pk")[:6])
    if branch is None or len(customers) < 6:
        return
    # Book as if early this morning so that today's slots are still bookable.
    morning = dt.datetime.combine(branch.local_now().date(), dt.time(6), tzinfo=branch.tz)
    booked = 0
    for index, code, offset, nth, mode in PLAN:
        service_type = ServiceType.objects.filter(code=code).first()
        if service_type is None:
            continue
        day = morning.date() + dt.timedelta(days=offset)
        slots = [
            s for s in open_slots(branch=branch, service_type=service_type, now=morning, day=day) if s.free
        ]
        if not slots:
            continue
        try:
            appointment_book(
                actor=None,
                customer=customers[index],
                branch=branch,
                service_type=service_type,
                start=slots[min(nth, len(slots) - 1)].start,
                mode=mode,
                now=morning,
            )
        except BookingError:
            continue
        booked += 1
    customer_fact_record(
        actor=None,
        customer=customers[0],
        kind="deposit_maturity",
        due_on=timezone.localdate() + dt.timedelta(days=3),
        label="三年期定期存款 ****1234",
        source_ref="demo-td-1",
    )
    stdout.write(f"appointments: {booked} demo appointments at {branch.code} (today and the next days)")
