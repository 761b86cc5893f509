"""A complaint received at night: its deadlines fall in business hours, and the progress notice
is due no later than the resolution."""

import datetime as dt

import pytest

from tests.servicedesk.conftest import SHANGHAI, at
from tests.servicedesk.test_sla import _complaint

pytestmark = pytest.mark.django_db


def in_business_hours(moment: dt.datetime) -> bool:
    local = moment.astimezone(SHANGHAI)
    return local.weekday() < 5 and (dt.time(9) <= local.time() <= dt.time(12)
                                    or dt.time(13) <= local.time() <= dt.time(18))


def test_a_simple_complaint_received_at_night_is_due_in_business_hours(
        branch, teller, fx_staff, clock):
    clock.move_to("2026-12-07T02:48")  # a Monday night in Beijing
    complaint = _complaint(branch, teller)
    assert complaint.resolution_due == at("2026-12-08T09:00")  # 24 hours from Monday's opening
    assert in_business_hours(complaint.next_update_due)
    assert complaint.next_update_due <= complaint.resolution_due
    assert in_business_hours(complaint.first_response_due)


def test_a_deadline_falling_on_a_holiday_moves_to_the_next_working_day(
        branch, teller, fx_staff, clock):
    clock.move_to("2027-02-04T10:00")  # the Thursday before Spring Festival 2027
    complaint = _complaint(branch, teller)
    # 24 hours land on Friday 5 February, New Year's Eve (a holiday by rule): the next opening
    # is Thursday 11 February.
    assert complaint.resolution_due == at("2027-02-11T09:00")
    assert complaint.resolution_due <= complaint.regulatory_due
