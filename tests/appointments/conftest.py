import datetime as dt
import zoneinfo

import pytest
import time_machine

from branches.models import FormSchema, OpeningHours
from tests.factories import make_branch, make_counter, make_customer, make_customer_user, make_service_type

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# A Thursday; the branch of these tests opens Monday-Friday 09:00-17:00 with lunch 12:00-13:00.
THURSDAY_8AM = dt.datetime(2025, 10, 9, 8, 0, tzinfo=SHANGHAI)

FORM_FIELDS = [
    {"name": "amount", "type": "money", "required": True, "label": {"zh-hans": "金额", "en": "Amount"}},
    {"name": "purpose", "type": "text", "required": True, "label": {"zh-hans": "用途", "en": "Purpose"}},
]


def at(hour, minute=0, day=None):
    day = day or THURSDAY_8AM.date()
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


@pytest.fixture
def frozen():
    """The clock stands still at Thursday 08:00 unless a test moves it (``frozen.move_to``)."""
    with time_machine.travel(THURSDAY_8AM, tick=False) as traveller:
        yield traveller


@pytest.fixture
def appt_branch(db):
    branch = make_branch("BJ501", weekdays=range(5), latitude="39.983400", longitude="116.316200")
    OpeningHours.objects.filter(branch=branch).update(break_start=dt.time(12), break_end=dt.time(13))
    return branch


@pytest.fixture
def deposit(appt_branch):
    """A 15-minute service served by two counters: with half the time kept for walk-ins,
    each half-hour slot takes 2 x 30 x 0.5 / 15 = 2 appointments."""
    service = make_service_type(
        "BIG_CASH",
        name_zh_hans="大额取现",
        name_en="Large cash withdrawal",
        complexity="complex",
        target_minutes=15,
        needs_appointment=True,
    )
    FormSchema.objects.create(service_type=service, version=1, fields=FORM_FIELDS)
    make_counter(appt_branch, "01", services=[service])
    make_counter(appt_branch, "02", services=[service])
    return service


@pytest.fixture
def customer(appt_branch):
    user = make_customer_user(branch=appt_branch, phone="13912345678")
    return user.customer


@pytest.fixture
def another_customer(appt_branch):
    return make_customer_user(branch=appt_branch, phone="13987654321").customer


@pytest.fixture
def stranger(appt_branch):
    return make_customer(branch=appt_branch, phone="13700000000")
