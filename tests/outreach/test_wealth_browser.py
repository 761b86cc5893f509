"""In Chromium: a wealth manager imports the sales system's holdings file, then the day's NAV file,
and sees the fall alert it raised — once, though the next day's NAV is still below."""

import datetime as dt

import pytest
import time_machine

from branches.roles import Role
from customers.models import RiskAssessment
from outreach import wealth
from outreach.models import DropAlert, Holding, WealthProduct
from tests.browser import DESK, screenshot, signed_in_page
from tests.factories import make_staff

MONDAY = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def upload(desk, form: str, text: str):
    desk.set_input_files(
        f"form[data-form={form}] input[type=file]",
        files=[{"name": f"{form}.csv", "mimeType": "text/csv", "buffer": text.encode()}],
    )
    desk.click(f"form[data-form={form}] button[type=submit]")


@pytest.mark.django_db(transaction=True)
def test_a_wealth_manager_imports_holdings_and_the_nav_file_and_sees_the_alert_once(
    chromium, live_server, branch, elderly, monkeypatch
):
    sms = []
    monkeypatch.setattr(wealth, "notify", lambda **message: sms.append(message))
    manager = make_staff(Role.WEALTH_MANAGER, branch)
    WealthProduct.objects.create(code="WM2026A", name="稳健增利1号", risk_level="R3")
    RiskAssessment.objects.create(
        customer=elderly, level="C4", assessed_on=dt.date(2026, 6, 1), expires_on=dt.date(2027, 6, 1)
    )
    holding = f"{elderly.customer_no},WM2026A,5000,1.0000,2026-11-02,{manager.staff_profile.employee_no}\n"
    url = live_server.url
    with time_machine.travel(MONDAY, tick=True):
        desk = signed_in_page(chromium, url, manager, **DESK)
        desk.goto(f"{url}/outreach/wealth/")
        upload(desk, "holdings", holding + f"{elderly.customer_no},WM2026A,0,1,2026-11-02,X\n")
        desk.wait_for_selector("form[data-form=holdings] .errorlist")
        assert "第 2 行" in desk.inner_text("form[data-form=holdings] .errorlist")
        assert not Holding.objects.exists()
        upload(
            desk, "holdings", "customer,product,units,purchase_nav,purchased_on,wealth_manager\n" + holding
        )
        desk.wait_for_selector(".messages")
        assert "1 个新增" in desk.inner_text(".messages")

        upload(desk, "nav", "product,date,nav\nNOPE,2026-12-04,1\n")
        desk.wait_for_selector("form[data-form=nav] .errorlist")
        assert "第 2 行" in desk.inner_text("form[data-form=nav] .errorlist")
        upload(desk, "nav", "product,date,nav\nWM2026A,2026-12-04,0.9310\n")
        desk.wait_for_selector("[data-alert]")
        row = desk.inner_text("[data-alert]")
        assert "6.90%" in row and "仍然适当" in row
        screenshot(desk, "outreach-wealth-desk")
        upload(desk, "nav", "WM2026A,2026-12-07,0.9200\n")  # still below: the same crossing
        desk.wait_for_selector(".messages:has-text('新增 0 条下跌预警')")
        assert desk.locator("[data-alert]").count() == 1

        desk.click("[data-alert] a")  # the wealth manager's task
        desk.wait_for_load_state()
        assert "稳健增利1号" in desk.inner_text("main")
    alert = DropAlert.objects.get()
    assert alert.work_order.assignee == manager and alert.notified_at is not None
    assert len(sms) == 1 and sms[0]["to"] == elderly.phone
