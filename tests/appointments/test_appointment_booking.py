"""Booking, changing and cancelling through the API and the pages."""

import datetime as dt

import pytest

from appointments.models import Appointment, AppointmentStatus, SlotCapacity
from appointments.services import walk_in_allowed
from tests.appointments.conftest import at

pytestmark = pytest.mark.usefixtures("frozen")


def book(client, branch, service, start, **extra):
    return client.post(
        "/api/appointments/",
        {"branch": branch.code, "service_type": service.code, "start": start.isoformat(), **extra},
        content_type="application/json",
    )


def test_a_customer_books_a_slot_and_gets_a_booking_code(client, customer, appt_branch, deposit):
    client.force_login(customer.user)

    response = book(client, appt_branch, deposit, at(10, 30), mode="self_service")

    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["code"]) == 9 and body["status"] == "booked" and body["mode"] == "self_service"
    assert SlotCapacity.objects.get(start=at(10, 30)).booked == 1


def test_the_appointment_page_shows_the_code_a_qr_and_offers_a_calendar_file(
    client, customer, appt_branch, deposit
):
    client.force_login(customer.user)
    code = book(client, appt_branch, deposit, at(10, 30)).json()["code"]

    page = client.get(f"/appointments/{code}/").content.decode()
    ics = client.get(f"/appointments/{code}/calendar.ics")

    assert f"{code[:4]}-{code[4:]}" in page
    assert "<svg" in page
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"DTSTART:20251009T023000Z" in ics.content


def test_the_last_place_taken_gives_a_clear_message_and_the_next_free_slots(
    client, customer, another_customer, stranger, appt_branch, deposit
):
    from tests.factories import make_customer_user

    for person in (customer, another_customer):
        client.force_login(person.user)
        assert book(client, appt_branch, deposit, at(10, 30)).status_code == 201
    third = make_customer_user(branch=appt_branch)
    client.force_login(third)

    response = book(client, appt_branch, deposit, at(10, 30))

    assert response.status_code == 409
    assert response.json()["code"] == "conflict" and response.json()["errors"]["start"][0]
    assert [s["start"][11:16] for s in response.json()["next_free_slots"]] == ["11:00", "11:30", "13:00"]
    assert SlotCapacity.objects.get(start=at(10, 30)).booked == 2


def test_times_outside_the_offered_slots_are_refused(client, customer, appt_branch, deposit):
    client.force_login(customer.user)

    assert book(client, appt_branch, deposit, at(12, 0)).status_code == 409  # lunch
    assert book(client, appt_branch, deposit, at(8, 30)).status_code == 409  # before lead time
    assert book(client, appt_branch, deposit, at(10, 15)).status_code == 409  # not on the grid
    assert not Appointment.objects.exists()


def test_a_customer_holds_at_most_three_upcoming_appointments(client, customer, appt_branch, deposit):
    client.force_login(customer.user)
    for hour in (10, 11, 13):
        assert book(client, appt_branch, deposit, at(hour)).status_code == 201

    response = book(client, appt_branch, deposit, at(14))

    assert response.status_code == 409
    assert response.json()["errors"]["customer"]


def test_repeated_no_shows_pause_online_booking(client, customer, appt_branch, deposit, settings):
    settings.APPOINTMENTS = {"no_show_limit": 2}
    for days in (3, 10):
        Appointment.objects.create(
            branch=appt_branch,
            service_type=deposit,
            customer=customer,
            slot=SlotCapacity.objects.create(
                branch=appt_branch,
                service_type=deposit,
                start=at(9, day=dt.date(2025, 10, 9) - dt.timedelta(days=days)),
                end=at(9, 30, day=dt.date(2025, 10, 9) - dt.timedelta(days=days)),
                capacity=2,
                booked=1,
            ),
            start=at(9, day=dt.date(2025, 10, 9) - dt.timedelta(days=days)),
            end=at(9, 30, day=dt.date(2025, 10, 9) - dt.timedelta(days=days)),
            status=AppointmentStatus.NO_SHOW,
            code=f"NOSHOW{days:03d}",
        )
    client.force_login(customer.user)

    response = book(client, appt_branch, deposit, at(10))

    assert response.status_code == 409
    assert "2" in response.json()["errors"]["customer"][0]


def test_cancelling_frees_the_place(client, customer, appt_branch, deposit):
    client.force_login(customer.user)
    code = book(client, appt_branch, deposit, at(14)).json()["code"]

    response = client.post(f"/api/appointments/{code}/cancel/")

    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert SlotCapacity.objects.get(start=at(14)).booked == 0


def test_customers_cannot_cancel_after_the_cut_off(client, customer, appt_branch, deposit, frozen):
    client.force_login(customer.user)
    code = book(client, appt_branch, deposit, at(10, 30)).json()["code"]
    frozen.move_to(at(8, 31))  # cut-off is two hours before 10:30

    response = client.post(f"/api/appointments/{code}/cancel/")

    assert response.status_code == 409
    assert Appointment.objects.get(code=code).status == AppointmentStatus.BOOKED


def test_rescheduling_moves_the_place_to_the_new_slot(client, customer, appt_branch, deposit):
    client.force_login(customer.user)
    code = book(client, appt_branch, deposit, at(14)).json()["code"]

    response = client.post(
        f"/api/appointments/{code}/reschedule/",
        {"start": at(15).isoformat()},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["start"].startswith("2025-10-09T15:00")
    assert SlotCapacity.objects.get(start=at(14)).booked == 0
    assert SlotCapacity.objects.get(start=at(15)).booked == 1


def test_services_needing_an_appointment_cannot_be_walked_in_without_one(customer, appt_branch, deposit):
    from tests.factories import make_service_type

    assert walk_in_allowed(service_type=deposit, customer=customer, branch=appt_branch) is False
    assert walk_in_allowed(service_type=make_service_type()) is True


def test_a_customer_with_a_booking_today_may_be_served_for_that_service(
    client, customer, appt_branch, deposit
):
    client.force_login(customer.user)
    book(client, appt_branch, deposit, at(14))

    assert walk_in_allowed(service_type=deposit, customer=customer, branch=appt_branch) is True


def test_the_booking_pages_take_a_customer_from_branch_to_confirmation(
    client, customer, appt_branch, deposit
):
    client.force_login(customer.user)

    branches = client.get("/appointments/book/", {"lat": "39.98", "lng": "116.31"})
    assert appt_branch.name_zh_hans in branches.content.decode()
    services = client.get(f"/appointments/book/{appt_branch.code}/", {"q": "取现"})
    assert "大额取现" in services.content.decode()
    slots = client.get(f"/appointments/book/{appt_branch.code}/{deposit.code}/")
    assert "20251009T1030" in slots.content.decode()

    chosen = client.post(
        f"/appointments/book/{appt_branch.code}/{deposit.code}/", {"slot": "20251009T1030", "mode": "staff"}
    )
    assert chosen["Location"] == "/appointments/book/form/"
    draft = client.post("/appointments/book/form/", {"amount": "60000", "draft": "1"}, HTTP_HX_REQUEST="true")
    assert draft.status_code == 200
    refused = client.post("/appointments/book/form/", {"amount": "60000", "purpose": ""})
    assert refused.status_code == 400
    submitted = client.post("/appointments/book/form/", {"amount": "60000", "purpose": "装修"})
    assert submitted["Location"] == "/appointments/book/review/"
    confirmed = client.post("/appointments/book/review/")

    appointment = Appointment.objects.get()
    assert confirmed["Location"] == f"/appointments/{appointment.code}/"
    assert appointment.prefilled_form.values == {"amount": "60000.00", "purpose": "装修"}
    assert appointment.prefilled_form.status == "submitted"


def test_the_review_page_explains_its_suggestions(client, customer, appt_branch, deposit):
    from appointments.services import customer_fact_record

    customer_fact_record(
        actor=None,
        customer=customer,
        kind="deposit_maturity",
        due_on=dt.date(2025, 10, 12),
        label="3-year CD",
        source_ref="TD-1",
    )
    client.force_login(customer.user)
    client.post(
        f"/appointments/book/{appt_branch.code}/{deposit.code}/", {"slot": "20251009T1030", "mode": "staff"}
    )

    page = client.get("/appointments/book/review/").content.decode()

    assert "3-year CD" in page
    assert "2025-10-12" in page


def test_my_appointments_lists_upcoming_bookings(client, customer, appt_branch, deposit):
    client.force_login(customer.user)
    code = book(client, appt_branch, deposit, at(14)).json()["code"]

    page = client.get("/appointments/").content.decode()

    assert f"/appointments/{code}/" in page
    assert client.get("/api/appointments/mine/").json()[0]["code"] == code


def test_after_losing_the_race_one_tap_on_an_offered_time_books_it(
    client, customer, another_customer, appt_branch, deposit
):
    from tests.factories import make_customer_user

    for person in (customer, another_customer):
        client.force_login(person.user)
        book(client, appt_branch, deposit, at(16))
    client.force_login(make_customer_user(branch=appt_branch))
    client.post(
        f"/appointments/book/{appt_branch.code}/{deposit.code}/", {"slot": "20251009T1600", "mode": "staff"}
    )
    client.post("/appointments/book/form/", {"amount": "60000", "purpose": "装修"})

    lost = client.post("/appointments/book/review/")
    assert lost.status_code == 409 and "20251009T1630" in lost.content.decode()
    assert client.post("/appointments/book/alternative/not-a-slot/").status_code == 404
    client.post("/appointments/book/alternative/20251009T1630/")
    won = client.post("/appointments/book/review/")

    assert won.status_code == 302
    assert Appointment.objects.filter(start=at(16, 30)).count() == 1


def test_the_reschedule_page_moves_the_appointment(client, customer, appt_branch, deposit):
    client.force_login(customer.user)
    code = book(client, appt_branch, deposit, at(14)).json()["code"]

    page = client.get(f"/appointments/{code}/reschedule/", {"day": "2025-10-10"})
    moved = client.post(f"/appointments/{code}/reschedule/", {"slot": "20251010T0930"})

    assert "20251010T0930" in page.content.decode()
    assert moved["Location"] == f"/appointments/{code}/"
    assert Appointment.objects.get(code=code).start == at(9, 30, day=dt.date(2025, 10, 10))


def test_one_customer_cannot_book_the_same_time_twice(client, customer, appt_branch, deposit):
    client.force_login(customer.user)
    book(client, appt_branch, deposit, at(14))

    assert book(client, appt_branch, deposit, at(14)).status_code == 409
    assert Appointment.objects.count() == 1
