"""A fee changes only through maker-checker: head office asks, a compliance officer approves, the
new price takes effect on its date, and the history shows what was published when."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from compliance.makerchecker import change_request_approve
from compliance.models import ChangeRequest, ChangeStatus
from fees.models import FeeVersion

pytestmark = pytest.mark.django_db

NEW_PRICE = {"method": "fixed", "price": "8.00", "legal_basis": "《商业银行服务价格管理办法》第十条",
             "waivers": ["elderly", "disabled"], "reason": "成本上升"}


def request_change(client, head_office_admin, item, **values):
    client.force_login(head_office_admin)
    return client.post(f"/fees/manage/{item.code}/", {**NEW_PRICE, **values})


def test_a_change_waits_for_a_compliance_officer_then_takes_effect_on_its_date(
        client, clock, head_office_admin, compliance_officer, card_replacement):
    tomorrow = clock.today() + dt.timedelta(days=1)
    response = request_change(client, head_office_admin, card_replacement,
                              effective_from=tomorrow.isoformat())
    assert response.status_code == 302
    change = ChangeRequest.objects.get(status=ChangeStatus.PENDING)
    assert "5.00 元/张" in client.get("/fees/").content.decode()  # nothing published yet

    change_request_approve(checker=compliance_officer, request_id=change.pk)

    page = client.get("/fees/").content.decode()
    assert "5.00 元/张" in page and f"{tomorrow:%Y-%m-%d} 起：8.00 元/张" in page
    clock.shift(days=1)
    assert client.get("/api/fees/").json()[0]["price"] == "8.00"
    history = client.get("/fees/history/").content.decode()
    assert history.count("data-version=") == 2
    newest = FeeVersion.objects.order_by("-published_at", "-pk").first()
    assert (newest.approved_by, newest.change_request_id) == (compliance_officer, change.pk)


def test_a_branch_admin_cannot_approve_a_fee_change(client, clock, head_office_admin, branch_admin,
                                                    card_replacement):
    request_change(client, head_office_admin, card_replacement, effective_from=clock.today().isoformat())
    change = ChangeRequest.objects.get()
    with pytest.raises(PermissionDenied):
        change_request_approve(checker=branch_admin, request_id=change.pk)
    assert card_replacement.versions.count() == 1
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING


def test_a_change_in_the_past_or_half_filled_is_refused(client, clock, head_office_admin, cross_bank):
    yesterday = clock.today() - dt.timedelta(days=1)
    past = request_change(client, head_office_admin, cross_bank, effective_from=yesterday.isoformat())
    assert past.status_code == 400 and "费用调整只能从今天或以后生效" in past.content.decode()
    rate_without_rate = request_change(client, head_office_admin, cross_bank, method="rate", price="",
                                       effective_from=clock.today().isoformat())
    assert rate_without_rate.status_code == 400
    assert not ChangeRequest.objects.exists()


def test_only_head_office_requests_changes(client, branch_admin, compliance_officer, card_replacement):
    client.force_login(branch_admin)
    assert client.get("/fees/manage/card-replacement/").status_code == 403
    client.force_login(compliance_officer)
    assert client.get("/fees/manage/").status_code == 200
    assert client.get("/fees/manage/card-replacement/").status_code == 403
