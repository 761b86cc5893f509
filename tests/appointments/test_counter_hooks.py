"""Appointments feed the teller's 360-degree panel and close when the counter service ends."""

from types import SimpleNamespace

import pytest

from appointments.models import AppointmentStatus
from appointments.services import appointment_book
from appointments.wiring import complete_on_service_finished
from counter import hooks as counter_hooks
from tests.appointments.conftest import at
from tests.factories import make_device


@pytest.fixture
def booked(appt_branch, deposit, customer, frozen):
    return appointment_book(actor=customer.user, customer=customer, branch=appt_branch,
                            service_type=deposit, start=at(14))


def test_the_teller_panel_lists_the_customers_upcoming_appointment(booked, customer):
    items = [item for hook in counter_hooks.upcoming_appointments for item in hook(customer)]
    assert [item["when"] for item in items] == [booked.start]
    assert booked.code in items[0]["url"]


def test_finishing_the_counter_service_completes_the_checked_in_appointment(
        client, booked, appt_branch, frozen):
    device, token = make_device(appt_branch)
    frozen.move_to(at(13, 55))
    response = client.post("/api/appointments/check-in/", {"code": booked.code},
                           HTTP_AUTHORIZATION=f"Device {token}")
    assert response.status_code == 200, response.content
    booked.refresh_from_db()
    assert complete_on_service_finished in counter_hooks.service_finished
    complete_on_service_finished(SimpleNamespace(ticket_id=booked.ticket_id, teller=None))
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.COMPLETED


def test_a_service_without_an_appointment_changes_no_appointment(booked):
    complete_on_service_finished(SimpleNamespace(ticket_id=999_999, teller=None))
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.BOOKED
