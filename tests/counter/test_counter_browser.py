"""End to end on real browsers: the customer pre-fills on a phone, takes a remote ticket, the teller
verifies instead of retyping and corrects one field, the customer signs, the receipt downloads."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine

from compliance.models import AuditEvent
from counter.models import FieldVerification, Receipt, ServiceRecord
from queueing.models import Ticket, TicketStatus
from tests.browser import DESK, PHONE, console_call_and_start, signed_in_page
from tests.counter.schemas import VALID_ID
from tests.factories import make_counter

MONDAY_MORNING = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def sign(page, selector):
    page.locator(selector).scroll_into_view_if_needed()  # the pad sits under the signing summary
    box = page.locator(selector).bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 100)
    page.mouse.down()
    for x, y in [(80, 40), (140, 120), (200, 50), (260, 110)]:
        page.mouse.move(box["x"] + x, box["y"] + y, steps=4)
    page.mouse.up()


def _prefill_the_form(phone, url, service_type):
    """The customer fills the form on her phone; a wrong ID number is refused, nothing typed is lost."""
    phone.goto(f"{url}/counter/forms/new/{service_type.code}/")
    phone.click("main button[type=submit]")
    phone.fill("#f-full_name", "张三丰")
    phone.fill("#f-id_number", VALID_ID[:-1] + "0")
    phone.click("button[name=action][value=submit]")
    phone.wait_for_selector("#e-id_number >> text=校验")  # the field's error, in Chinese
    assert phone.input_value("#f-full_name") == "张三丰"  # nothing typed is lost
    phone.fill("#f-id_number", VALID_ID)
    phone.fill("#f-mobile", "13812345678")
    phone.select_option("#f-purpose", "salary")
    phone.fill("#f-initial_deposit", "1000")
    phone.click("button[name=action][value=submit]")
    phone.wait_for_selector("[data-testid=form-submitted]")


def _take_a_remote_ticket(phone, url, branch, service_type):
    phone.goto(f"{url}/queue/remote/")
    phone.select_option("select[name=branch]", str(branch.pk))
    phone.select_option("select[name=service]", str(service_type.pk))
    phone.fill("input[name=arrival_minutes]", "10")
    phone.click("main button[type=submit]")
    phone.wait_for_url(re.compile(r"/queue/t/"))


def _call_and_verify_correcting_the_mobile(desk, url, ticket):
    """The teller opens counter 05, calls and starts the ticket, corrects the mobile number and
    confirms every other pre-filled field."""
    console_call_and_start(desk, url, ticket)
    desk.wait_for_selector("[data-testid=form-verification] >> text=张三丰")
    row = desk.locator("tr[data-field=mobile]")
    row.locator("input[name=value]").fill("13912345678")
    row.locator("button[name=correct]").click()
    desk.wait_for_selector("[data-testid=verified-mobile]")
    while desk.locator("tr.pending").count():  # every other pre-filled field confirmed
        name = desk.locator("tr.pending").first.get_attribute("data-field")
        desk.locator(f"tr[data-field={name}] button:not([name=correct])").click()
        desk.wait_for_selector(f"[data-testid=verified-{name}]")


@pytest.mark.django_db(transaction=True)
def test_prefill_remote_ticket_verify_correct_sign_and_download_the_receipt(
    chromium, live_server, branch, service_type, customer_user, teller
):
    make_counter(branch, "05", zone_kind="non_cash", services=[service_type])
    customer_user.customer.set_id_number(VALID_ID)  # the form below is the customer's own
    customer_user.customer.save(update_fields=["id_number", "id_number_digest"])
    url = live_server.url
    with time_machine.travel(MONDAY_MORNING, tick=True):
        phone = signed_in_page(chromium, url, customer_user, **PHONE)
        _prefill_the_form(phone, url, service_type)

        _take_a_remote_ticket(phone, url, branch, service_type)
        ticket = Ticket.objects.get(customer__user=customer_user)

        desk = signed_in_page(chromium, url, teller, **DESK)
        _call_and_verify_correcting_the_mobile(desk, url, ticket)
        desk.click("[data-testid=ask-signature]")

        phone.goto(f"{url}/counter/t/{ticket.public_token}/")
        phone.wait_for_selector("canvas.signature-pad")
        sign(phone, "canvas.signature-pad")
        phone.click("form[action$='/sign/'] button[type=submit]")
        phone.wait_for_selector("[data-testid=signed]")

        desk.reload()
        desk.wait_for_selector("[data-testid=signature-received]")
        desk.click("[data-testid=finish]")
        desk.wait_for_selector("[data-testid=no-ticket]")

        phone.goto(f"{url}/counter/t/{ticket.public_token}/")
        with phone.expect_download() as download:
            phone.click("[data-testid=receipt] a[download]")
        with open(download.value.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"

    record = ServiceRecord.objects.get(ticket=ticket)
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.DONE
    assert record.had_prefilled_form and record.corrections == 1
    assert FieldVerification.objects.get(field_name="mobile").outcome == "corrected"
    assert Receipt.objects.filter(record=record).exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "form.start",
        "form.submit",
        "ticket.issued",
        "ticket.called",
        "ticket.serving",
        "service.begin",
        "form.field_corrected",
        "service.signature_requested",
        "service.signed",
        "ticket.done",
        "service.finish",
    } <= actions
