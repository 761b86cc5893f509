"""The holdings file: the sales system's holdings come in all or nothing, line-numbered errors,
audited, from the wealth page, the API and a management command — and are then watched."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from branches.roles import Role
from compliance.models import AuditEvent
from outreach.models import DropAlert, Holding, WealthProduct
from tests.factories import make_staff

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def manager(branch):
    return make_staff(Role.WEALTH_MANAGER, branch)


@pytest.fixture
def product(db):
    return WealthProduct.objects.create(code="WM2026A", name="稳健增利1号", risk_level="R3")


def line(customer, manager, *, units="100000", nav="1.0000", bought="2026-11-02", sold=None):
    fields = [customer.customer_no, "WM2026A", units, nav, bought, manager.staff_profile.employee_no]
    return ",".join(fields + ([sold] if sold else [])) + "\n"


def upload(client, text):
    return client.post(
        "/api/v1/outreach/wealth/holding-imports/", {"text": text}, content_type="application/json"
    )


def test_a_holdings_file_creates_holdings_once_and_updates_them_on_reimport(
    client, manager, product, elderly, branch
):
    client.force_login(manager)
    header = "customer,product,units,purchase_nav,purchased_on,wealth_manager,sold_on\n"
    first = upload(client, header + line(elderly, manager))
    again = upload(client, line(elderly, manager, units="50000", sold="2026-12-01"))
    assert first.status_code == 201 and first.json() == {"created": 1, "updated": 0}
    assert again.json() == {"created": 0, "updated": 1}
    holding = Holding.objects.get()
    assert (holding.customer, holding.branch, holding.wealth_manager) == (elderly, branch, manager)
    assert holding.units == Decimal("50000") and holding.closed_on == dt.date(2026, 12, 1)
    audits = AuditEvent.objects.filter(action="wealth.holdings_import")
    assert audits.count() == 2


def test_a_bad_holdings_file_imports_nothing_and_lists_each_line(client, manager, product, elderly):
    client.force_login(manager)
    response = upload(
        client,
        line(elderly, manager)
        + "C000000,WM2026A,1,1,2026-11-02,X\n"
        + line(elderly, manager, units="-5")
        + line(elderly, manager, bought="2026-02-30")
        + line(elderly, manager),
    )
    assert response.status_code == 400
    errors = response.json()["errors"]["file"]
    assert [e.split("：")[0] for e in errors] == ["第 2 行", "第 3 行", "第 4 行", "第 5 行"]
    assert "C000000" in errors[0] and "重复" in errors[3]
    assert Holding.objects.count() == 0
    assert not AuditEvent.objects.filter(action="wealth.holdings_import").exists()


def test_a_wealth_manager_of_another_branch_is_refused(client, manager, product, elderly, other_branch):
    stranger = make_staff(Role.WEALTH_MANAGER, other_branch)
    client.force_login(manager)
    response = upload(client, line(elderly, stranger))
    assert (
        response.status_code == 400
        and stranger.staff_profile.employee_no in response.json()["errors"]["file"][0]
    )
    assert Holding.objects.count() == 0


def test_only_the_wealth_team_imports_holdings(client, branch, product, elderly, manager):
    client.force_login(make_staff(Role.TELLER, branch))
    assert upload(client, line(elderly, manager)).status_code == 403


def test_the_page_imports_holdings_and_the_next_nav_fall_alerts(client, manager, product, elderly):
    client.force_login(manager)
    holdings_csv = SimpleUploadedFile("holdings.csv", line(elderly, manager).encode(), "text/csv")
    page = client.post(
        "/outreach/wealth/holdings/", {"holdings-file": holdings_csv}, follow=True
    ).content.decode()
    assert "1 个新增" in page and "监测中的持仓 1 笔" in page
    nav_csv = SimpleUploadedFile("nav.csv", b"WM2026A,2026-12-02,0.9300\n", "text/csv")
    client.post("/outreach/wealth/", {"file": nav_csv})
    assert DropAlert.objects.get().holding.customer == elderly


def test_the_page_shows_the_bad_lines_of_a_holdings_file(client, manager, product, elderly):
    client.force_login(manager)
    bad = SimpleUploadedFile("holdings.csv", b"nonsense\n", "text/csv")
    response = client.post("/outreach/wealth/holdings/", {"holdings-file": bad})
    assert response.status_code == 200 and "第 1 行" in response.content.decode()
    assert Holding.objects.count() == 0


def test_the_command_imports_a_holdings_file_and_refuses_a_bad_one(tmp_path, manager, product, elderly):
    good, bad = tmp_path / "holdings.csv", tmp_path / "bad.csv"
    good.write_text(line(elderly, manager), encoding="utf-8")
    bad.write_text(line(elderly, manager, nav="zero"), encoding="utf-8")
    call_command("wealth_import", "holdings", str(good), "--by", manager.username)
    with pytest.raises(CommandError, match="1"):
        call_command("wealth_import", "holdings", str(bad))
    assert Holding.objects.get().wealth_manager == manager
