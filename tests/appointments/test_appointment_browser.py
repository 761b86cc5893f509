"""Phone books with a form, gets a QR; the kiosk checks in by code; the teller sees the form."""

import datetime as dt
import re

import pytest
import time_machine

from appointments import signin
from appointments.models import Appointment
from branches.roles import Role
from queueing.services import counter_open, ticket_call_next
from tests.appointments.conftest import SHANGHAI
from tests.browser import PHONE, device_page, new_page, off_the_browser_thread
from tests.factories import make_device, make_staff


@pytest.mark.django_db(transaction=True)
def test_a_phone_books_with_a_form_gets_a_qr_checks_in_at_the_kiosk_and_the_teller_sees_the_form(
    chromium, live_server, appt_branch, deposit, customer, monkeypatch
):
    sms = []
    monkeypatch.setattr(signin, "notify", lambda **kw: sms.append(kw["body"]))
    _device, kiosk_token = make_device(appt_branch)
    teller = make_staff(Role.TELLER, appt_branch, username="browser-teller", skills=[deposit])
    url = live_server.url

    with time_machine.travel(dt.datetime(2025, 10, 9, 8, 0, tzinfo=SHANGHAI), tick=True) as clock:
        phone = new_page(chromium, url, **PHONE)
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
        kiosk = device_page(chromium, url, kiosk_token, viewport={"width": 1080, "height": 1920})
        kiosk.goto(f"{url}/appointments/check-in/")
        kiosk.fill("input[name=code]", f"{code[:4]}-{code[4:]}".lower())
        kiosk.click("main button[type=submit]")
        kiosk.wait_for_selector(".ticket-number")  # checked in (the click does not wait for it)
        ticket_number = Appointment.objects.get(code=code).ticket.number
        assert kiosk.inner_text(".ticket-number") == ticket_number

        desk = new_page(chromium, url)
        desk.goto(f"{url}/accounts/login/")
        desk.fill("input[name=username]", teller.username)
        desk.fill("input[name=password]", "pw")
        desk.click("main button[type=submit], main input[type=submit]")
        desk.wait_for_url(lambda url: "/accounts/login/" not in url)  # signed in
        desk.goto(f"{url}/appointments/{code}/")
        assert "装修付款" in desk.inner_text("main")
        assert ticket_number in desk.inner_text("main")

        # At the counter console the teller calls the customer and finds the form to verify.
        counter = appt_branch.service_points.get(code="01")
        off_the_browser_thread(counter_open, actor=teller, counter=counter)
        called = off_the_browser_thread(ticket_call_next, actor=teller, counter=counter)
        assert called.number == ticket_number
        desk.goto(f"{url}/counter/console/{counter.pk}/")
        desk.click("button[data-shortcut=s]")
        assert "装修付款" in desk.inner_text("[data-testid=form-verification]")
