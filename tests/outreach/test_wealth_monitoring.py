"""Post-sale monitoring: a fall of more than 5 % below the purchase value gives the wealth manager a
task and the customer a notice, once per crossing; suitability is re-checked."""

import datetime as dt
from decimal import Decimal

import pytest

from branches.roles import Role
from compliance.models import AuditEvent
from customers.models import RiskAssessment
from outreach import wealth
from outreach.models import DropAlert, Holding, NavPrice, WealthProduct
from servicedesk.models import WorkOrder
from tests.factories import make_staff

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def sms(monkeypatch):
    sent = []
    monkeypatch.setattr(wealth, "notify", lambda **kw: sent.append(kw))
    return sent


@pytest.fixture
def manager(branch):
    return make_staff(Role.WEALTH_MANAGER, branch)


@pytest.fixture
def holding(branch, elderly, manager):
    product = WealthProduct.objects.create(code="WM2026A", name="稳健增利1号", risk_level="R3")
    RiskAssessment.objects.create(
        customer=elderly, level="C2", assessed_on=dt.date(2026, 6, 1), expires_on=dt.date(2027, 6, 1)
    )
    return Holding.objects.create(
        customer=elderly,
        branch=branch,
        product=product,
        wealth_manager=manager,
        purchased_on=dt.date(2026, 11, 2),
        purchase_nav=Decimal("1.0000"),
        units=Decimal("100000"),
    )


def upload(client, text):
    return client.post(
        "/api/v1/outreach/wealth/nav-imports/", {"text": text}, content_type="application/json"
    )


def test_a_fall_past_five_percent_alerts_once_per_crossing(
    client, manager, holding, sms, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(client, "product,date,nav\nWM2026A,2026-12-01,0.9600\n").json()["alerts"] == []
        first = upload(client, "WM2026A,2026-12-02,0.9400\n")  # 6 % below
        again = upload(client, "WM2026A,2026-12-03,0.9300\n")  # still below: the same crossing
    assert first.status_code == 201 and len(first.json()["alerts"]) == 1
    assert again.json()["alerts"] == []
    alert = DropAlert.objects.get()
    assert alert.fall_percent == Decimal("6.00")
    assert len(sms) == 1 and "6.00%" in sms[0]["body"] and sms[0]["to"] == holding.customer.phone
    task = WorkOrder.objects.get(pk=alert.work_order_id)
    assert task.assignee == manager and task.kind == "follow_up"
    assert AuditEvent.objects.filter(action="wealth.fall_alert").count() == 1
    assert AuditEvent.objects.filter(action="wealth.customer_notice").count() == 1


def test_a_recovery_rearms_so_a_second_fall_alerts_again(client, manager, holding, sms):
    client.force_login(manager)
    upload(client, "WM2026A,2026-12-02,0.9400\n")
    upload(client, "WM2026A,2026-12-03,0.9800\n")  # back within 5 %
    holding.refresh_from_db()
    assert holding.alert_armed
    assert len(upload(client, "WM2026A,2026-12-04,0.9000\n").json()["alerts"]) == 1
    assert DropAlert.objects.count() == 2


def test_exactly_five_percent_is_not_a_fall_past_the_threshold(client, manager, holding):
    client.force_login(manager)
    assert upload(client, "WM2026A,2026-12-02,0.9500\n").json()["alerts"] == []


def test_suitability_is_rechecked_on_the_alert(client, manager, holding):
    client.force_login(manager)
    alert = upload(client, "WM2026A,2026-12-02,0.9000\n").json()["alerts"][0]
    # The customer's C2 tolerance is below the product's R3.
    assert alert["still_suitable"] is False and "C2" in alert["suitability_note"]


def test_a_bad_file_imports_nothing_and_lists_each_line(client, manager, holding):
    client.force_login(manager)
    response = upload(
        client, "WM2026A,2026-12-02,0.9\nNOPE,2026-12-02,1\nWM2026A,2026-13-01,1\nWM2026A,2026-12-02,0.9\n"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]["file"]
    assert [e.split("：")[0] for e in errors] == ["第 2 行", "第 3 行", "第 4 行"]
    assert NavPrice.objects.count() == 0 and DropAlert.objects.count() == 0


def test_only_the_wealth_team_imports(client, branch, holding):
    client.force_login(make_staff(Role.TELLER, branch))
    assert upload(client, "WM2026A,2026-12-02,0.9\n").status_code == 403


def test_the_page_imports_a_file_and_lists_the_alert(client, manager, holding):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(manager)
    csv = SimpleUploadedFile("nav.csv", b"product,date,nav\nWM2026A,2026-12-02,0.9300\n", "text/csv")
    page = client.post("/outreach/wealth/", {"file": csv}, follow=True).content.decode()
    assert "稳健增利1号" in page and "7.00%" in page
