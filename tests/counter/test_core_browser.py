"""The counter core in Chromium: a teller is refused 'done' with unchecked fields, a lobby manager
overrides with a reason, the teller records the customer as an agent (代办), and the customer's
ticket page switches live to the signing view with a summary of what is signed."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from counter.models import PrefilledForm, Receipt, ServiceRecord
from tests.browser import DESK, PHONE, console_call_and_start, new_page, screenshot, signed_in_page
from tests.counter.conftest import make_ticket
from tests.counter.schemas import GOOD_VALUES
from tests.counter.test_counter_browser import sign
from tests.factories import make_counter, make_customer, resident_id

MONDAY_MORNING = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _prefill_in_another_name(ticket):
    client = Client()
    client.post(reverse("counter:ticket-form-start", args=[ticket.public_token]))
    form = PrefilledForm.objects.get(ticket=ticket)
    values = {**GOOD_VALUES, "full_name": "张伟", "id_number": resident_id(serial=451), "action": "submit"}
    client.post(reverse("counter:ticket-form", args=[ticket.public_token, form.public_id]), values)


def _call_and_verify_the_name(desk, url, ticket):
    """The teller opens counter 05, calls the ticket, starts it and confirms only the name."""
    console_call_and_start(desk, url, ticket)
    desk.wait_for_selector("[data-testid=form-verification] >> text=张伟")
    desk.locator("tr[data-field=full_name] button:not([name=correct])").click()
    desk.wait_for_selector("[data-testid=verified-full_name]")


def _customer_signs_on_the_phone(phone):
    """The ticket page turns into the signing page by itself; it shows the form masked; she signs."""
    phone.wait_for_url(re.compile(r"/counter/t/"))  # switched live, nobody tapped a link
    summary = phone.wait_for_selector("[data-testid=signing-summary]")
    assert "张*" in summary.inner_text() and "¥1,000.50" in summary.inner_text()
    assert resident_id(serial=451) not in summary.inner_text()
    screenshot(phone, "counter-customer-signing")
    sign(phone, "canvas.signature-pad")
    phone.click("form[action$='/sign/'] button[type=submit]")
    phone.wait_for_selector("[data-testid=signed]")


def _supervisor_overrides_the_id_check(chromium, url, lobby_manager, ticket):
    record = ServiceRecord.objects.get(ticket=ticket)
    manager = signed_in_page(chromium, url, lobby_manager, **DESK)
    manager.goto(f"{url}/counter/records/{record.pk}/")
    manager.fill("#override-reason", "客户出示原件，读卡器故障")
    manager.click("[data-testid=override-form] button[type=submit]")
    manager.wait_for_selector("[data-testid=checks] >> text=客户出示原件，读卡器故障")
    screenshot(manager, "counter-supervisor-override")


@pytest.mark.django_db(transaction=True)
def test_refused_finish_override_agent_and_live_signing(
    chromium, asgi_server, branch, service_type, teller, lobby_manager
):
    url = asgi_server
    customer = make_customer(branch=branch, name="肖涛", id_number=resident_id(serial=306))
    make_counter(branch, "05", zone_kind="non_cash", services=[service_type])
    with time_machine.travel(MONDAY_MORNING, tick=True):
        ticket = make_ticket(branch, service_type, customer)
        _prefill_in_another_name(ticket)
        phone = new_page(chromium, url, **PHONE)
        phone.goto(f"{url}/queue/t/{ticket.public_token}/")
        phone.wait_for_selector("#ticket-number")

        desk = signed_in_page(chromium, url, teller, **DESK)
        _call_and_verify_the_name(desk, url, ticket)

        desk.click("[data-testid=ask-signature]")
        _customer_signs_on_the_phone(phone)

        desk.reload()
        desk.wait_for_selector("[data-testid=signature-received]")
        assert "不能办结" in desk.inner_text("[data-testid=finish-refused]")
        desk.click("[data-testid=finish]")
        desk.wait_for_selector("[data-testid=console-error]")
        assert "尚未确认或更正" in desk.inner_text("[data-testid=console-error]")
        screenshot(desk, "counter-finish-refused")

        _supervisor_overrides_the_id_check(chromium, url, lobby_manager, ticket)

        desk.reload()
        desk.wait_for_selector("body[data-live=live]")  # the console's socket is open
        desk.wait_for_selector("[data-testid=identity-mismatch]")
        desk.fill("#agent-name", "肖涛")
        desk.fill("#agent-id", resident_id(serial=306))
        desk.select_option("#agent-relationship", "spouse")
        desk.click("[data-testid=agent-form] button[type=submit]")
        desk.wait_for_selector("[data-testid=agent-recorded]")
        screenshot(desk, "counter-agent-recorded")
        desk.click("[data-testid=finish]")
        desk.wait_for_selector("[data-testid=no-ticket]")

    checks = {label: check for label, _value, check in Receipt.objects.get().content["form_rows"]}
    assert checks["姓名"] == "已核验" and checks["身份证号码"] == "未核验（主管特批）"
