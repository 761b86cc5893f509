"""Recurring appointments: each date a real appointment in its own slot, following the official
calendar; cancellable one by one or all together; booked by the customer or by branch staff."""

import datetime as dt

import pytest
from django.utils import translation

from appointments.models import Appointment, AppointmentSeries, AppointmentStatus, SlotCapacity
from appointments.series import series_dates
from appointments.services import appointment_book
from branches.roles import Role
from compliance.models import AuditEvent
from tests.appointments.conftest import at
from tests.factories import make_customer_user, make_staff

pytestmark = pytest.mark.usefixtures("frozen")

# 2025: 1–8 October are the National Day holidays and Saturday 11 October is a make-up working day.
THIRD_WORKING_DAYS = [dt.date(2025, 10, 11), dt.date(2025, 11, 5), dt.date(2025, 12, 3)]


def create(client, branch, service, **extra):
    body = {
        "branch": branch.code,
        "service_type": service.code,
        "rule": "nth_working_day",
        "nth": 3,
        "first_day": "2025-10-09",
        "time": "10:00",
        "count": 3,
        **extra,
    }
    return client.post("/api/v1/appointments/series/", body, content_type="application/json")


def test_the_nth_working_day_follows_the_official_calendar(appt_branch):
    dates = series_dates(
        branch=appt_branch, rule="nth_working_day", nth=3, first_day=dt.date(2025, 10, 1), count=3
    )
    # The 3rd working day of October 2025 is the make-up Saturday after the holidays.
    assert dates == THIRD_WORKING_DAYS


def test_a_customer_books_a_monthly_series_each_date_a_real_appointment(
    client, customer, appt_branch, deposit
):
    client.force_login(customer.user)
    response = create(client, appt_branch, deposit)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [o["start"][:16] for o in body["occurrences"]] == [
        f"{day.isoformat()}T10:00" for day in THIRD_WORKING_DAYS
    ]
    assert body["skipped"] == []
    series = AppointmentSeries.objects.get()
    assert series.occurrences.count() == 3
    for appointment in series.occurrences.all():
        assert SlotCapacity.objects.get(pk=appointment.slot_id).booked == 1
    assert AuditEvent.objects.filter(action="appointment_series.create").count() == 1
    assert AuditEvent.objects.filter(action="appointment.book").count() == 3


def test_a_full_time_moves_to_the_nearest_free_time_and_a_full_day_is_reported(
    client, customer, appt_branch, deposit
):
    others = [make_customer_user(branch=appt_branch).customer for _ in range(2)]
    saturday = THIRD_WORKING_DAYS[0]
    for other in others:  # 10:00 on the make-up Saturday is full (2 places)
        appointment_book(
            actor=None, customer=other, branch=appt_branch, service_type=deposit, start=at(10, day=saturday)
        )
    # And every time on 5 November is full.
    november = THIRD_WORKING_DAYS[1]
    for hour, minute in [
        (9, 0),
        (9, 30),
        (10, 0),
        (10, 30),
        (11, 0),
        (11, 30),
        (13, 0),
        (13, 30),
        (14, 0),
        (14, 30),
        (15, 0),
        (15, 30),
        (16, 0),
        (16, 30),
    ]:
        SlotCapacity.objects.create(
            branch=appt_branch,
            service_type=deposit,
            start=at(hour, minute, november),
            end=at(hour, minute, november) + dt.timedelta(minutes=30),
            capacity=2,
            booked=2,
        )
    client.force_login(customer.user)
    body = create(client, appt_branch, deposit).json()
    starts = [o["start"][:16] for o in body["occurrences"]]
    assert starts == ["2025-10-11T09:30", "2025-12-03T10:00"]
    assert body["skipped"] == [{"day": "2025-11-05", "reason": "full"}]
    with translation.override("zh-hans"):
        page = client.get(f"/appointments/series/{body['id']}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "当天没有空余时间" in page.content.decode()


def test_no_date_bookable_is_refused_in_the_one_error_shape(client, customer, appt_branch, deposit):
    client.force_login(customer.user)
    response = create(
        client, appt_branch, deposit, time="20:00", count=1, rule="weekly", first_day="2025-10-12"
    )  # a Sunday: closed
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert AppointmentSeries.objects.count() == 0
    assert Appointment.objects.count() == 0


def test_bad_input_gets_field_messages(client, customer, appt_branch, deposit):
    client.force_login(customer.user)
    response = create(client, appt_branch, deposit, count=40, nth=0)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"count", "nth"}


def test_one_date_cancelled_singly_leaves_the_others(client, customer, appt_branch, deposit):
    client.force_login(customer.user)
    body = create(client, appt_branch, deposit).json()
    first = body["occurrences"][0]["code"]
    assert client.post(f"/api/v1/appointments/{first}/cancel/").status_code == 200
    statuses = list(Appointment.objects.order_by("start").values_list("status", flat=True))
    assert statuses == [AppointmentStatus.CANCELLED, AppointmentStatus.BOOKED, AppointmentStatus.BOOKED]


def test_cancelling_the_series_frees_every_upcoming_place(client, customer, appt_branch, deposit):
    client.force_login(customer.user)
    body = create(client, appt_branch, deposit).json()
    response = client.post(f"/api/v1/appointments/series/{body['id']}/cancel/")
    assert response.status_code == 200
    assert response.json()["cancelled_at"]
    assert set(Appointment.objects.values_list("status", flat=True)) == {AppointmentStatus.CANCELLED}
    assert set(SlotCapacity.objects.values_list("booked", flat=True)) == {0}
    assert AuditEvent.objects.filter(action="appointment_series.cancel").exists()


def test_the_series_page_cancels_the_whole_series(client, customer, appt_branch, deposit):
    client.force_login(customer.user)
    body = create(client, appt_branch, deposit).json()
    page = client.post(f"/appointments/series/{body['id']}/cancel/", follow=True)
    assert page.status_code == 200
    assert Appointment.objects.filter(status=AppointmentStatus.BOOKED).count() == 0


def test_branch_staff_book_a_series_for_a_customer_by_phone(client, customer, appt_branch, deposit):
    teller = make_staff(Role.TELLER, appt_branch)
    client.force_login(teller)
    response = create(client, appt_branch, deposit, customer_phone="13912345678")
    assert response.status_code == 201
    assert AppointmentSeries.objects.get().customer == customer
    assert AppointmentSeries.objects.get().created_by == teller


def test_staff_must_name_a_known_customer(client, customer, appt_branch, deposit):
    client.force_login(make_staff(Role.TELLER, appt_branch))
    response = create(client, appt_branch, deposit, customer_phone="13800000000")
    assert response.status_code == 400
    assert "customer_phone" in response.json()["errors"]


def test_another_customer_cannot_see_or_cancel_the_series(client, customer, appt_branch, deposit):
    client.force_login(customer.user)
    series_id = create(client, appt_branch, deposit).json()["id"]
    client.force_login(make_customer_user(branch=appt_branch))
    assert client.get(f"/api/v1/appointments/series/{series_id}/").status_code == 404
    assert client.post(f"/api/v1/appointments/series/{series_id}/cancel/").status_code == 404
    assert Appointment.objects.filter(status=AppointmentStatus.BOOKED).count() == 3


def test_the_series_list_is_paginated(client, customer, appt_branch, deposit):
    client.force_login(customer.user)
    create(client, appt_branch, deposit)
    body = client.get("/api/v1/appointments/series/?limit=1").json()
    assert body["count"] == 1 and len(body["results"]) == 1


def test_the_preview_shows_the_dates_before_booking(client, customer, appt_branch, deposit):
    client.force_login(customer.user)
    response = client.post(
        "/appointments/series/new/?branch=BJ501",
        {
            "service_type": deposit.pk,
            "rule": "nth_working_day",
            "nth": 3,
            "first_day": "2025-10-09",
            "time": "10:00",
            "count": 3,
            "action": "preview",
        },
    )
    assert response.status_code == 200
    assert response.content.decode().count('class="ok"') == 3
    assert Appointment.objects.count() == 0
    response = client.post(
        "/appointments/series/new/?branch=BJ501",
        {
            "service_type": deposit.pk,
            "rule": "nth_working_day",
            "nth": 3,
            "first_day": "2025-10-09",
            "time": "10:00",
            "count": 3,
            "action": "confirm",
        },
    )
    assert response.status_code == 302
    assert Appointment.objects.count() == 3
