"""Slots of a real branch through the API, with the clock frozen."""

import datetime as dt
from collections import Counter

import time_machine

from tests.appointments.conftest import SHANGHAI


def slots(client, branch, service, day=None):
    params = {"branch": branch.code, "service_type": service.code}
    if day:
        params["day"] = day.isoformat()
    response = client.get("/api/appointments/slots/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_weekday_nine_to_five_with_lunch_offers_fourteen_half_hour_slots(
    client, customer, appt_branch, deposit, frozen
):
    client.force_login(customer.user)

    friday = slots(client, appt_branch, deposit, dt.date(2025, 10, 10))

    assert len(friday) == 14
    assert [s["start"][11:16] for s in friday[5:7]] == ["11:30", "13:00"]
    assert {s["capacity"] for s in friday} == {2}


def test_slots_skip_national_day_and_open_on_the_make_up_saturday(client, customer, appt_branch, deposit):
    # Tuesday 30 September 2025, 08:45: National Day runs 1-8 October; Saturday 11 October is worked.
    with time_machine.travel(dt.datetime(2025, 9, 30, 8, 45, tzinfo=SHANGHAI), tick=False):
        client.force_login(customer.user)
        per_day = Counter(s["start"][:10] for s in slots(client, appt_branch, deposit))

    assert per_day == {
        "2025-09-30": 12,  # 08:45 + 60 min lead time: from 10:00
        "2025-10-09": 14,
        "2025-10-10": 14,
        "2025-10-11": 14,  # the make-up Saturday, with Monday's hours
        "2025-10-13": 14,
        "2025-10-14": 14,  # the last day of the 14-day horizon
    }


def test_a_counter_break_lowers_the_capacity_of_the_slots_it_covers(
    client, customer, appt_branch, deposit, frozen
):
    from appointments.models import CounterBreak

    counter = appt_branch.service_points.get(code="02")
    CounterBreak.objects.create(service_point=counter, start=dt.time(15), end=dt.time(16))
    client.force_login(customer.user)

    by_time = {
        s["start"][11:16]: s["capacity"] for s in slots(client, appt_branch, deposit, dt.date(2025, 10, 9))
    }

    assert by_time["14:30"] == 2
    assert by_time["15:00"] == by_time["15:30"] == 1
    assert by_time["16:00"] == 2


def test_a_service_no_counter_serves_has_no_slots(client, customer, appt_branch, frozen):
    from tests.factories import make_service_type

    nobody_serves = make_service_type("FX_RARE", complexity="complex", target_minutes=15)
    client.force_login(customer.user)

    assert slots(client, appt_branch, nobody_serves) == []


def test_no_slots_in_spring_festival_week_of_a_year_without_a_published_schedule(
    client, customer, appt_branch, deposit, clock
):
    # 2027's make-up days are not published: the statutory holidays by rule still close the
    # branch from New Year's Eve (5 February) to the days given back (9-10 February).
    clock.move_to("2027-02-01T08:45")
    client.force_login(customer.user)
    per_day = Counter(s["start"][:10] for s in slots(client, appt_branch, deposit))

    assert not {"2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10"} & set(per_day)
    assert per_day["2027-02-04"] == 14 and per_day["2027-02-11"] == 14
