"""On a real browser: a teller tries to sell an R4 wealth product to a C3 customer at the counter
console, sees the suitability block, and cannot finish the sale."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from counter.models import RecordStatus, ServiceRecord
from customers.models import RiskAssessment
from queueing.models import Ticket, TicketStatus
from tests.browser import DESK, console_call_and_start, signed_in_page
from tests.counter.conftest import make_ticket
from tests.factories import make_counter, make_customer, make_service_type

MONDAY_MORNING = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def console_of(browser, server, user):
    page = signed_in_page(browser, server, user, locale="en-US", **DESK)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": server}])
    return page


@pytest.mark.django_db(transaction=True)
def test_a_teller_cannot_sell_an_r4_product_to_a_c3_customer(chromium, live_server, branch,
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
        desk = console_of(chromium, live_server.url, wealth_manager)
        console_call_and_start(desk, live_server.url, ticket, counter="07")

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
