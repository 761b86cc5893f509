"""In Chromium: a wealth manager imports the day's NAV file and sees the fall alert it raised."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from branches.roles import Role
from customers.models import RiskAssessment
from outreach.models import DropAlert, Holding, WealthProduct
from tests.browser import DESK, screenshot, signed_in_page
from tests.factories import make_staff

MONDAY = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.mark.django_db(transaction=True)
def test_a_wealth_manager_imports_the_nav_file_and_sees_the_alert(chromium, live_server, branch, elderly):
    manager = make_staff(Role.WEALTH_MANAGER, branch)
    product = WealthProduct.objects.create(code="WM2026A", name="稳健增利1号", risk_level="R3")
    RiskAssessment.objects.create(
        customer=elderly, level="C4", assessed_on=dt.date(2026, 6, 1), expires_on=dt.date(2027, 6, 1)
    )
    Holding.objects.create(
        customer=elderly,
        branch=branch,
        product=product,
        wealth_manager=manager,
        purchased_on=dt.date(2026, 11, 2),
        purchase_nav=Decimal("1.0000"),
        units=Decimal("5000"),
    )
    url = live_server.url
    with time_machine.travel(MONDAY, tick=True):
        desk = signed_in_page(chromium, url, manager, **DESK)
        desk.goto(f"{url}/outreach/wealth/")
        desk.set_input_files(
            "input[name=file]",
            files=[
                {
                    "name": "nav.csv",
                    "mimeType": "text/csv",
                    "buffer": b"product,date,nav\nNOPE,2026-12-04,1\n",
                }
            ],
        )
        desk.click("main form button[type=submit]")
        desk.wait_for_selector(".errorlist")
        assert "第 2 行" in desk.inner_text(".errorlist")
        desk.set_input_files(
            "input[name=file]",
            files=[
                {
                    "name": "nav.csv",
                    "mimeType": "text/csv",
                    "buffer": b"product,date,nav\nWM2026A,2026-12-04,0.9310\n",
                }
            ],
        )
        desk.click("main form button[type=submit]")
        desk.wait_for_selector("[data-alert]")
        row = desk.inner_text("[data-alert]")
        assert "6.90%" in row and "仍然适当" in row
        assert DropAlert.objects.get().work_order.assignee == manager
        screenshot(desk, "outreach-wealth-desk")
