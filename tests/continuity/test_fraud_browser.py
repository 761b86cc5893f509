"""The fraud path in Chromium: the customer's phone, the kiosk button, the lobby manager's case page,
all against the fake core-banking process."""

import pytest
import time_machine

from continuity.models import FraudCase, FraudCaseStatus
from tests.browser import (
    DESK,
    KIOSK_SCREEN,
    PHONE,
    axe_violations,
    device_page,
    screenshot,
    signed_in_page,
)
from tests.factories import make_customer, make_customer_user, make_device
from tests.kiosk.conftest import OPEN_MORNING

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_branch_clock():
    with time_machine.travel(OPEN_MORNING, tick=True) as traveller:
        yield traveller


def test_a_customer_freezes_their_cards_from_the_phone_and_watches_each_step(
    chromium, asgi_server, branch, fake_core, open_branch_clock
):
    user = make_customer_user(branch=branch)
    page = signed_in_page(chromium, asgi_server, user, **PHONE)
    page.goto(f"{asgi_server}/continuity/fraud/report/")
    page.fill("textarea[name=description]", "我的卡被盗刷了，刚刚被转走两万")
    page.fill("input[name=amount]", "20000")
    screenshot(page, "fraud-phone-report")
    page.click("[data-testid=fraud-report-submit]")
    page.wait_for_selector("li.done >> text=止付争议款项")
    case = FraudCase.objects.get()
    assert case.status == FraudCaseStatus.HELD
    assert page.inner_text("[data-testid=fraud-status]") == "卡片已冻结，争议款项已止付"
    assert fake_core.ledger()["freezes"][user.customer.customer_no] == 1
    screenshot(page, "fraud-phone-case")
    assert axe_violations(page) == []


def test_a_kiosk_report_reaches_the_lobby_manager_who_identifies_the_customer(
    chromium, asgi_server, branch, lobby_manager, fake_core, open_branch_clock
):
    _, token = make_device(branch)
    customer = make_customer(branch=branch)
    kiosk = device_page(chromium, asgi_server, token, **KIOSK_SCREEN)
    kiosk.wait_for_selector("body[data-ready='1']")
    kiosk.click("[data-action=start]")
    kiosk.click("[data-action=language][data-language=zh-hans]")
    kiosk.click("[data-testid=menu-fraud]")
    kiosk.fill("#kiosk-fraud-description", "卡被偷了，刚收到转账短信")
    kiosk.click("[data-testid=kiosk-fraud-form] button[type=submit]")
    result = kiosk.wait_for_selector("[data-testid=kiosk-fraud-result]:not([hidden])")
    case = FraudCase.objects.get()
    assert case.ref in result.inner_text() and case.status == FraudCaseStatus.NEEDS_CUSTOMER
    screenshot(kiosk, "fraud-kiosk")

    desk = signed_in_page(chromium, asgi_server, lobby_manager, **DESK)
    desk.goto(f"{asgi_server}/continuity/fraud/")
    desk.click(f"text={case.ref}")
    desk.fill("input[name=customer_no]", customer.customer_no)
    desk.click("[data-testid=fraud-identify]")
    desk.wait_for_selector("[data-testid=core-freeze_card] >> text=核心系统已确认")
    assert desk.inner_text("[data-testid=fraud-status]") == "卡片已冻结，争议款项已止付"
    assert "核心系统已确认" in desk.inner_text("[data-testid=fraud-trail]")
    assert fake_core.ledger()["freezes"][customer.customer_no] == 1
    screenshot(desk, "fraud-case-detail")


def test_a_teller_freezes_the_cards_from_the_console_panel(
    chromium, asgi_server, branch, teller, fake_core, open_branch_clock
):
    from queueing import services as queueing
    from tests.factories import make_counter, make_service_type

    deposit = make_service_type("DEPOSIT")
    counter = make_counter(branch, "01", services=[deposit])
    customer = make_customer(branch=branch)
    queueing.counter_open(actor=teller, counter=counter)
    queueing.ticket_issue(issue=queueing.IssueRequest(
        branch=branch, service_type=deposit, source="kiosk", customer=customer))
    queueing.ticket_call_next(actor=teller, counter=counter)
    page = signed_in_page(chromium, asgi_server, teller, **DESK)
    page.goto(f"{asgi_server}/counter/console/{counter.pk}/")
    page.fill("#fraud-description", "客户称卡被盗刷两万")
    page.fill("#fraud-amount", "20000")
    page.click("[data-testid=fraud-freeze]")
    opened = page.wait_for_selector("[data-testid=fraud-opened]")
    case = FraudCase.objects.get(customer=customer)
    assert case.ref in opened.inner_text() and case.status == FraudCaseStatus.HELD
    page.locator("[data-testid=fraud-panel]").scroll_into_view_if_needed()
    screenshot(page, "fraud-teller-console")
