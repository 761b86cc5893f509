"""Reminders go out once each, even when the task runs twice; no-shows are marked after the window."""

import datetime as dt

import pytest

from appointments import reminders, tasks
from appointments.models import Appointment, AppointmentStatus
from appointments.services import appointment_book, appointment_mark_no_shows
from tests.appointments.conftest import at


@pytest.fixture
def sms(monkeypatch):
    sent = []
    monkeypatch.setattr(reminders, "notify", lambda **kw: sent.append(kw))
    return sent


@pytest.fixture
def tomorrow_at_ten(appt_branch, deposit, customer, frozen):
    return appointment_book(
        actor=customer.user,
        customer=customer,
        branch=appt_branch,
        service_type=deposit,
        start=at(10, day=dt.date(2025, 10, 10)),
    )


def test_the_day_before_reminder_is_sent_once_even_if_the_task_runs_twice(sms, tomorrow_at_ten, frozen):
    frozen.move_to(at(18, 5))

    tasks.scan_reminders.delay()
    tasks.scan_reminders.delay()
    tasks.send_appointment_reminder.delay(tomorrow_at_ten.pk, "day_before")

    assert len(sms) == 1
    assert sms[0]["to"] == "13912345678"
    assert tomorrow_at_ten.code_display in sms[0]["body"]


def test_no_reminder_goes_out_before_its_time(sms, tomorrow_at_ten, frozen):
    frozen.move_to(at(17, 0))

    tasks.scan_reminders.delay()

    assert sms == []


def test_the_soon_reminder_and_the_leave_now_hint_come_on_the_day(sms, tomorrow_at_ten, frozen):
    frozen.move_to(at(18, 5))
    tasks.scan_reminders.delay()
    frozen.move_to(at(8, 35, day=dt.date(2025, 10, 10)))
    tasks.scan_reminders.delay()
    frozen.move_to(at(9, 25, day=dt.date(2025, 10, 10)))
    tasks.scan_reminders.delay()
    tasks.scan_reminders.delay()

    assert len(sms) == 3
    assert "10:00" in sms[2]["body"]


def test_a_cancelled_appointment_gets_no_reminder(sms, tomorrow_at_ten, customer, frozen):
    from appointments.services import appointment_cancel

    appointment_cancel(actor=customer.user, appointment=tomorrow_at_ten)
    frozen.move_to(at(18, 5))

    tasks.scan_reminders.delay()

    assert sms == []


def test_a_booked_appointment_nobody_checked_in_for_becomes_a_no_show_after_the_window(
    tomorrow_at_ten, frozen
):
    frozen.move_to(at(10, 59, day=dt.date(2025, 10, 10)))
    assert appointment_mark_no_shows() == 0

    frozen.move_to(at(11, 1, day=dt.date(2025, 10, 10)))
    tasks.mark_no_shows.delay()
    tasks.mark_no_shows.delay()

    appointment = Appointment.objects.get(pk=tomorrow_at_ten.pk)
    assert appointment.status == AppointmentStatus.NO_SHOW
    assert appointment.no_show_at == at(11, 1, day=dt.date(2025, 10, 10))
