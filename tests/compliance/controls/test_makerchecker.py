"""Four eyes on customer-information changes: through the API as the maker and checker would."""

import pytest
from django.core.exceptions import ValidationError

from compliance.models import AuditEvent, ChangeRequest, ChangeStatus
from customers.models import Customer

pytestmark = pytest.mark.django_db

CREATE = "/api/compliance/change-requests/new/"


def request_phone_change(client, customer, phone="13900001111", **extra):
    return client.post(CREATE, {"kind": "customer_info", "target_label": "customers.customer",
                                "target_id": str(customer.pk), "after": {"phone": phone},
                                **extra}, content_type="application/json")


def approve(client, change_id):
    return client.post(f"/api/compliance/change-requests/{change_id}/approve/")


def test_teller_requests_a_phone_change_and_the_branch_admin_applies_it(
        client_of, teller, branch_admin, customer):
    response = request_phone_change(client_of(teller), customer)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending"
    assert body["diff"] == [{"field": "phone", "before": "138****5678", "after": "139****1111"}]
    assert Customer.objects.get(pk=customer.pk).phone == "13812345678"  # nothing applied yet

    response = approve(client_of(branch_admin), body["id"])
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    assert Customer.objects.get(pk=customer.pk).phone == "13900001111"
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert {"changerequest.create", "changerequest.approved", "customer.change"} <= set(actions)


def test_the_maker_cannot_approve_their_own_request(client_of, compliance_officer, customer):
    maker = client_of(compliance_officer)  # holds the checker permission, yet is the maker
    change_id = request_phone_change(maker, customer).json()["id"]
    response = approve(maker, change_id)
    assert response.status_code == 403
    assert ChangeRequest.objects.get(pk=change_id).status == ChangeStatus.PENDING
    assert Customer.objects.get(pk=customer.pk).phone == "13812345678"


def test_a_teller_without_the_checker_permission_cannot_approve(
        client_of, teller, wealth_manager, customer):
    change_id = request_phone_change(client_of(teller), customer).json()["id"]
    assert approve(client_of(wealth_manager), change_id).status_code == 403


def test_a_branch_admin_of_another_branch_cannot_approve(client_of, teller, other_branch, customer):
    from branches.roles import Role
    from tests.factories import make_staff

    stranger = make_staff(Role.BRANCH_ADMIN, other_branch, username="other-admin")
    change_id = request_phone_change(client_of(teller), customer).json()["id"]
    assert approve(client_of(stranger), change_id).status_code == 403


def test_approval_fails_as_stale_when_the_customer_changed_meanwhile(
        client_of, teller, branch_admin, customer):
    change_id = request_phone_change(client_of(teller), customer).json()["id"]
    customer.email = "changed@example.com"  # someone else changed the record
    customer.save(update_fields=["email"])

    response = approve(client_of(branch_admin), change_id)
    assert response.status_code == 409
    assert ChangeRequest.objects.get(pk=change_id).status == ChangeStatus.STALE
    assert Customer.objects.get(pk=customer.pk).phone == "13812345678"
    assert AuditEvent.objects.filter(action="changerequest.stale").exists()


def test_only_one_request_per_record_may_wait(client_of, teller, customer):
    client = client_of(teller)
    assert request_phone_change(client, customer).status_code == 201
    second = request_phone_change(client, customer, phone="13900002222")
    assert second.status_code == 400
    assert ChangeRequest.objects.count() == 1


def test_a_request_that_changes_nothing_is_refused(client_of, teller, customer):
    assert request_phone_change(client_of(teller), customer, phone="13812345678").status_code == 400


def test_rejection_needs_a_reason(client_of, teller, branch_admin, customer):
    change_id = request_phone_change(client_of(teller), customer).json()["id"]
    checker = client_of(branch_admin)
    url = f"/api/compliance/change-requests/{change_id}/reject/"
    response = checker.post(url, {"reason": "  "}, content_type="application/json")
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    response = checker.post(url, {"reason": "电话号码未经客户本人确认"},
                            content_type="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert Customer.objects.get(pk=customer.pk).phone == "13812345678"


def test_a_decided_request_cannot_be_approved_again(client_of, teller, branch_admin, customer):
    change_id = request_phone_change(client_of(teller), customer).json()["id"]
    checker = client_of(branch_admin)
    assert approve(checker, change_id).status_code == 200
    assert approve(checker, change_id).status_code == 409


def test_a_customer_cannot_make_requests(client_of, customer_user, customer):
    response = request_phone_change(client_of(customer_user), customer)
    assert response.status_code in (403, 404)
    assert not ChangeRequest.objects.exists()


def test_a_full_reveal_needs_a_reason_and_a_second_person(
        client_of, teller, branch_admin, customer):
    from customers.makerchecker import customer_reveal_approved

    client = client_of(teller)
    body = {"kind": "pii_reveal", "target_label": "customers.customer",
            "target_id": str(customer.pk), "after": {"fields": ["id_number"]}}
    assert client.post(CREATE, body, content_type="application/json").status_code == 400
    response = client.post(CREATE, {**body, "reason": "司法协查"}, content_type="application/json")
    assert response.status_code == 201
    with pytest.raises(ValidationError):
        customer_reveal_approved(actor=teller, customer=customer, field="id_number")
    assert approve(client_of(branch_admin), response.json()["id"]).status_code == 200
    assert customer_reveal_approved(actor=teller, customer=customer,
                                    field="id_number") == customer.id_number


def test_the_approval_page_shows_a_readable_diff_and_refuses_the_maker(
        client_of, teller, branch_admin, customer):
    change_id = request_phone_change(client_of(teller), customer).json()["id"]
    page = client_of(branch_admin).get(f"/compliance/approvals/{change_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "138****5678" in html and "139****1111" in html
    assert "13900001111" not in html  # masked even for the checker
    assert f"/compliance/approvals/{change_id}/approve/" in html


def test_a_change_that_could_never_apply_is_refused_when_asked(client_of, teller, customer):
    client = client_of(teller)
    assert request_phone_change(client, customer, phone="12345").status_code == 400
    response = client.post(CREATE, {"kind": "customer_info", "target_label": "customers.customer",
                                    "target_id": str(customer.pk), "after": {"segment": "private"}},
                           content_type="application/json")
    assert response.status_code == 400
    assert not ChangeRequest.objects.exists()


def test_approvers_see_only_the_requests_of_their_own_branches(
        client_of, teller, branch_admin, compliance_officer, other_branch, customer):
    from branches.roles import Role
    from tests.factories import make_staff

    request_phone_change(client_of(teller), customer)
    stranger = make_staff(Role.BRANCH_ADMIN, other_branch, username="other-admin")
    assert "138****5678" not in client_of(stranger).get("/compliance/approvals/").content.decode()
    assert "138****5678" in client_of(branch_admin).get("/compliance/approvals/").content.decode()
    listed = client_of(compliance_officer).get("/api/compliance/change-requests/").json()
    assert len(listed) == 1


def test_the_checker_approves_and_rejects_on_the_pages(client_of, teller, branch_admin, customer,
                                                       other_branch):
    from customers.models import Customer as CustomerModel
    from tests.factories import make_customer

    change_id = request_phone_change(client_of(teller), customer).json()["id"]
    checker = client_of(branch_admin)
    response = checker.post(f"/compliance/approvals/{change_id}/approve/")
    assert response.status_code == 302 and response["Location"] == "/compliance/approvals/"
    assert CustomerModel.objects.get(pk=customer.pk).phone == "13900001111"

    second = make_customer(branch=customer.home_branch, phone="13812340000")
    change_id = request_phone_change(client_of(teller), second).json()["id"]
    page = checker.post(f"/compliance/approvals/{change_id}/reject/", {"reason": ""})
    assert page.status_code == 400
    assert ChangeRequest.objects.get(pk=change_id).status == ChangeStatus.PENDING
    checker.post(f"/compliance/approvals/{change_id}/reject/", {"reason": "客户未到场确认"})
    assert ChangeRequest.objects.get(pk=change_id).status == ChangeStatus.REJECTED
    assert "客户未到场确认" in checker.get(f"/compliance/approvals/{change_id}/").content.decode()


def test_a_limit_change_needs_a_second_compliance_officer(client_of, compliance_officer):
    from branches.roles import Role
    from compliance.checks import ruleset_for
    from compliance.models import RuleSetting
    from tests.factories import make_staff

    setting = RuleSetting.objects.create(rule="large_cash_withdrawal", branch_code="BJ901")
    body = {"kind": "limit_change", "target_label": "compliance.rulesetting",
            "target_id": str(setting.pk), "after": {"params": {"threshold": "100000"}},
            "reason": "分行申请提高大额取现预约门槛"}
    response = client_of(compliance_officer).post(CREATE, body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert approve(client_of(compliance_officer), response.json()["id"]).status_code == 403
    second = make_staff(Role.COMPLIANCE_OFFICER, None, username="compliance2")
    assert approve(client_of(second), response.json()["id"]).status_code == 200
    assert ruleset_for(branch_code="BJ901", service_code="CASH_WITHDRAWAL").config(
        "large_cash_withdrawal").params == {"threshold": "100000"}


def test_a_limit_change_to_a_nonsense_value_is_refused_when_asked(client_of, compliance_officer):
    from compliance.models import RuleSetting

    setting = RuleSetting.objects.create(rule="large_cash_withdrawal")
    body = {"kind": "limit_change", "target_label": "compliance.rulesetting",
            "target_id": str(setting.pk), "after": {"params": {"threshold": "lots"}},
            "reason": "测试"}
    response = client_of(compliance_officer).post(CREATE, body, content_type="application/json")
    assert response.status_code == 400
