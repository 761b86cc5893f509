"""On a real browser: a teller tries to sell an R4 wealth product to a C3 customer at the counter
console, sees the suitability block, and cannot finish the sale."""

import datetime as dt
import os
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from counter.models import RecordStatus, ServiceRecord
from customers.models import RiskAssessment
from queueing.models import Ticket, TicketStatus
from tests.counter.conftest import make_ticket
from tests.factories import make_counter, make_customer, make_service_type

MONDAY_MORNING = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def browser(require_service):
    require_service("chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox"])
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def console_of(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                          "url": live_server.url},
                         {"name": "django_language", "value": "en", "url": live_server.url}])
    return context.new_page()


@pytest.mark.django_db(transaction=True)
def test_a_teller_cannot_sell_an_r4_product_to_a_c3_customer(browser, live_server, branch,
                                                             wealth_manager):
    wealth = make_service_type("WEALTH_PRODUCT", name_zh_hans="理财产品购买",
                               name_en="Buy a wealth management product", category="wealth",
                               complexity="complex", target_minutes=15, zone_kind="wealth",
                               risk_level="R4")
    make_counter(branch, "07", zone_kind="wealth", services=[wealth])
    customer = make_customer(branch=branch)
    RiskAssessment.objects.create(customer=customer, level="C3", in_person=True,
                                  assessed_on=dt.date(2026, 6, 1), expires_on=dt.date(2027, 6, 1))
    with time_machine.travel(MONDAY_MORNING, tick=True):
        ticket = make_ticket(branch, wealth, customer, number="W001")
        desk = console_of(browser, live_server, wealth_manager)
        desk.goto(f"{live_server.url}/counter/console/")
        desk.click("[data-testid=open-07]")
        desk.wait_for_load_state()
        desk.keyboard.press("n")
        desk.wait_for_selector("[data-testid=current-ticket]:has-text('W001')")
        desk.keyboard.press("s")

        prompts = desk.locator("[data-testid=compliance]")
        prompts.locator(".block:has-text('suitability')").wait_for()
        suitability = prompts.locator(".block:has-text('suitability')").inner_text()
        assert "C3" in suitability and "R4" in suitability and "Blocks finishing" in suitability
        assert desk.locator("#finish .block").is_visible()  # warned before even trying

        with desk.expect_response(lambda response: "/finish/" in response.url) as finishing:
            desk.click("[data-testid=finish]")
        assert finishing.value.status == 400
        assert desk.locator("[data-testid=current-ticket]:has-text('W001')").is_visible()
        assert desk.locator("[data-testid=no-ticket]").count() == 0

    record = ServiceRecord.objects.get(ticket=ticket)
    assert record.status == RecordStatus.IN_PROGRESS
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.SERVING
