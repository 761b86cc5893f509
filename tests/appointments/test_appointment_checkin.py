"""Check-in by booking code or QR inside a window around the slot; it issues the queue ticket."""

import pytest

from appointments.models import Appointment, AppointmentStatus
from appointments.qr import qr_payload
from appointments.services import appointment_book
from counter.services import form_start
from tests.appointments.conftest import at
from tests.factories import make_device


@pytest.fixture
def booked(appt_branch, deposit, customer, frozen):
    from counter.models import FormSource

    form = form_start(
        actor=customer.user,
        service_type=deposit,
        source=FormSource.APPOINTMENT,
        customer=customer,
        branch=appt_branch,
    )
    return appointment_book(
        actor=customer.user,
        customer=customer,
        branch=appt_branch,
        service_type=deposit,
        start=at(14),
        prefilled_form=form,
    )


@pytest.fixture
def kiosk(appt_branch):
    device, token = make_device(appt_branch)
    return device, token


def check_in(client, token, code):
    return client.post("/api/appointments/check-in/", {"code": code}, HTTP_AUTHORIZATION=f"Device {token}")


def test_on_time_check_in_at_the_kiosk_issues_an_appointment_priority_ticket_with_the_form(
    client, booked, kiosk, frozen
):
    frozen.move_to(at(13, 50))

    response = check_in(client, kiosk[1], qr_payload(booked.code))

    assert response.status_code == 200, response.content
    assert response.json()["timing"] == "on_time"
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.CHECKED_IN
    assert booked.ticket.priority_class == "appointment"
    assert booked.ticket.source == "appointment"
    assert booked.prefilled_form.ticket == booked.ticket


def test_a_typed_code_with_dashes_and_lowercase_works(client, booked, kiosk, frozen):
    frozen.move_to(at(14, 5))
    typed = booked.code_display.lower()

    assert check_in(client, kiosk[1], typed).status_code == 200


def test_checking_in_before_the_window_opens_says_when_to_come_back(client, booked, kiosk, frozen):
    frozen.move_to(at(12, 30))

    response = check_in(client, kiosk[1], booked.code)

    assert response.status_code == 409
    assert response.json()["code"] == "too_early"
    assert "13:00" in response.json()["detail"]
    assert Appointment.objects.get(pk=booked.pk).status == AppointmentStatus.BOOKED


def test_an_early_arrival_gets_a_ticket_whose_priority_starts_with_the_window(client, booked, kiosk, frozen):
    frozen.move_to(at(13, 20))

    response = check_in(client, kiosk[1], booked.code)

    assert response.json()["timing"] == "early"
    ticket = Appointment.objects.get(pk=booked.pk).ticket
    assert ticket.appointment_window_start == at(13, 45)
    assert ticket.appointment_window_end == at(14, 10)


def test_a_late_arrival_beyond_the_grace_period_waits_like_a_walk_in(client, booked, kiosk, frozen):
    frozen.move_to(at(14, 25))

    response = check_in(client, kiosk[1], booked.code)

    assert response.json()["timing"] == "late"
    ticket = Appointment.objects.get(pk=booked.pk).ticket
    assert ticket.priority_class != "appointment"
    assert ticket.appointment_window_start is None


def test_after_the_no_show_time_check_in_is_refused(client, booked, kiosk, frozen):
    frozen.move_to(at(15, 1))

    response = check_in(client, kiosk[1], booked.code)

    assert response.status_code == 409 and response.json()["code"] == "lapsed"


def test_checking_in_twice_issues_one_ticket(client, booked, kiosk, frozen):
    frozen.move_to(at(14))
    check_in(client, kiosk[1], booked.code)

    response = check_in(client, kiosk[1], booked.code)

    assert response.status_code == 409 and response.json()["code"] == "already_checked_in"


def test_a_mistyped_code_and_another_branchs_code_are_refused(client, booked, kiosk, other_branch, frozen):
    frozen.move_to(at(14))
    wrong = booked.code[:-1] + ("0" if booked.code[-1] != "0" else "1")
    _device, other_token = make_device(other_branch)

    assert check_in(client, kiosk[1], wrong).status_code == 400
    assert check_in(client, other_token, booked.code).status_code == 404


def test_a_revoked_kiosk_cannot_check_in(client, booked, kiosk, branch_admin, frozen):
    from branches.services import device_revoke

    frozen.move_to(at(14))
    device_revoke(actor=branch_admin, device=kiosk[0])

    assert check_in(client, kiosk[1], booked.code).status_code in (401, 403)


def test_the_kiosk_check_in_page_shows_the_ticket_number(client, booked, kiosk, frozen):
    frozen.move_to(at(14))
    client.post("/device/login/", {"token": kiosk[1]})

    page = client.post("/appointments/check-in/", {"code": booked.code_display})

    assert page.status_code == 200, page.content.decode()[:500]
    assert Appointment.objects.get(pk=booked.pk).ticket.number in page.content.decode()


def test_a_customer_the_face_greeting_recognises_checks_in_with_one_tap(
    booked, kiosk, customer, appt_branch, frozen
):
    from customers.face.hooks import Arrival, arrival_action, arrival_offers

    arrival = Arrival(customer=customer, branch=appt_branch, device=kiosk[0])
    frozen.move_to(at(12, 30))
    assert [key for key, _offer in arrival_offers(arrival)] == []

    frozen.move_to(at(13, 55))
    offers = dict(arrival_offers(arrival))
    result = arrival_action("appointment.check_in").perform(arrival)

    assert offers["appointment.check_in"].is_appointment
    assert "14:00" in str(offers["appointment.check_in"].label)
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.CHECKED_IN
    assert booked.ticket.number in result["message"]


def test_a_self_service_appointment_is_queued_for_a_kiosk(client, kiosk, customer, appt_branch, frozen):
    from tests.factories import make_counter, make_service_type

    statement = make_service_type(
        "STATEMENT_APPT", complexity="complex", target_minutes=10, allow_kiosk=True, zone_kind="self_service"
    )
    make_counter(appt_branch, "K1", services=[statement], kind="vtm", zone_kind="self_service")
    make_counter(appt_branch, "K2", services=[statement], kind="kiosk", zone_kind="self_service")
    booked = appointment_book(
        actor=customer.user,
        customer=customer,
        branch=appt_branch,
        service_type=statement,
        start=at(14),
        mode="self_service",
    )
    frozen.move_to(at(14))

    check_in(client, kiosk[1], booked.code)

    assert Appointment.objects.get(pk=booked.pk).ticket.channel == "kiosk"


@pytest.mark.parametrize("role", ["teller", "lobby_manager", "customer", "compliance_officer"])
def test_only_branch_staff_and_kiosks_open_the_check_in_page(
    client, booked, appt_branch, role, customer, frozen
):
    from branches.roles import Role
    from tests.factories import make_staff

    user = (
        customer.user
        if role == "customer"
        else make_staff(Role(role), None if role == "compliance_officer" else appt_branch)
    )
    client.force_login(user)
    frozen.move_to(at(14))

    response = client.post(f"/appointments/check-in/?branch={appt_branch.code}", {"code": booked.code})

    assert response.status_code == (200 if role in ("teller", "lobby_manager") else 404)


def test_once_checked_in_the_customer_follows_the_live_ticket_from_their_appointment(
    client, booked, kiosk, customer, frozen
):
    frozen.move_to(at(14))
    check_in(client, kiosk[1], booked.code)
    ticket = Appointment.objects.get(pk=booked.pk).ticket
    client.force_login(customer.user)

    page = client.get(f"/appointments/{booked.code}/").content.decode()
    mine = client.get("/appointments/").content.decode()

    assert f"/queue/t/{ticket.public_token}/" in page
    assert ticket.number in mine
