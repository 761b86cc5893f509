"""Phone books with a form, gets a QR; the kiosk checks in by code; the teller sees the form."""

import datetime as dt
import os
import re
import threading

import pytest
import time_machine
from django.db import connection

from appointments import signin
from appointments.models import Appointment
from branches.roles import Role
from queueing.services import counter_open, ticket_call_next
from tests.appointments.conftest import SHANGHAI
from tests.factories import make_device, make_staff

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}


def outside_the_event_loop(work):
    """Run service calls (whose live pushes use async_to_sync) in a thread without Playwright's loop."""
    result = []

    def run():
        try:
            result.append(work())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    return result[0]


@pytest.fixture
def browser(require_service):
    require_service("chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.mark.django_db(transaction=True)
def test_a_phone_books_with_a_form_gets_a_qr_checks_in_at_the_kiosk_and_the_teller_sees_the_form(
    browser, live_server, appt_branch, deposit, customer, monkeypatch
):
    sms = []
    monkeypatch.setattr(signin, "notify", lambda **kw: sms.append(kw["body"]))
    _device, kiosk_token = make_device(appt_branch)
    teller = make_staff(Role.TELLER, appt_branch, username="browser-teller", skills=[deposit])
    url = live_server.url

    with time_machine.travel(dt.datetime(2025, 10, 9, 8, 0, tzinfo=SHANGHAI), tick=True) as clock:
        phone = browser.new_context(**PHONE, locale="zh-CN").new_page()
        phone.goto(f"{url}/me/login/?next=/appointments/book/")
        phone.fill("input[name=phone]", "13912345678")
        phone.click("main button[type=submit]")
        phone.fill("input[name=code]", re.search(r"\d{6}", sms[-1]).group())
        phone.click("main button[type=submit]")

        phone.click(f"a[href='/appointments/book/{appt_branch.code}/']")
        phone.click(f"a[href='/appointments/book/{appt_branch.code}/{deposit.code}/']")
        phone.check("input[name=slot][value='20251009T1030']")
        phone.click("main button[type=submit]")
        phone.fill("input[name=amount]", "60000")
        phone.fill("input[name=purpose]", "装修付款")
        phone.click("main button[type=submit]")
        phone.click("button:has-text('确认预约'), button:has-text('Confirm appointment')")

        phone.wait_for_selector(".qr svg")
        code = phone.get_attribute("[data-booking-code]", "data-booking-code")
        assert Appointment.objects.get(code=code).prefilled_form.values["purpose"] == "装修付款"

        clock.move_to(dt.datetime(2025, 10, 9, 10, 25, tzinfo=SHANGHAI))
        kiosk = browser.new_context(viewport={"width": 1080, "height": 1920}).new_page()
        kiosk.goto(f"{url}/device/login/")
        kiosk.fill("input[name=token]", kiosk_token)
        kiosk.click("main button[type=submit]")
        kiosk.goto(f"{url}/appointments/check-in/")
        kiosk.fill("input[name=code]", f"{code[:4]}-{code[4:]}".lower())
        kiosk.click("main button[type=submit]")
        ticket_number = Appointment.objects.get(code=code).ticket.number
        assert kiosk.inner_text(".ticket-number") == ticket_number

        desk = browser.new_context().new_page()
        desk.goto(f"{url}/accounts/login/")
        desk.fill("input[name=username]", teller.username)
        desk.fill("input[name=password]", "pw")
        desk.click("main button[type=submit], main input[type=submit]")
        desk.goto(f"{url}/appointments/{code}/")
        assert "装修付款" in desk.inner_text("main")
        assert ticket_number in desk.inner_text("main")

        # At the counter console the teller calls the customer and finds the form to verify.
        counter = appt_branch.service_points.get(code="01")
        called = outside_the_event_loop(
            lambda: (
                counter_open(actor=teller, counter=counter),
                ticket_call_next(actor=teller, counter=counter),
            )[1]
        )
        assert called.number == ticket_number
        desk.goto(f"{url}/counter/console/{counter.pk}/")
        desk.click("button[data-shortcut=s]")
        assert "装修付款" in desk.inner_text("[data-testid=form-verification]")
