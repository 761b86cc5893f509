"""Overriding a block needs a reason and a second person."""

import pytest

from compliance.checks import approved_overrides, blocking, record_evaluation, run_checks
from compliance.models import ChangeRequest, RuleSetting
from tests.compliance.controls.conftest import c3_facts

pytestmark = pytest.mark.django_db

OVERRIDE = "/api/compliance/overrides/"


def ask_override(client, branch, customer, reason, rule="suitability"):
    return client.post(OVERRIDE, {"branch_code": branch.code, "customer_id": customer.pk,
                                  "service_record_ref": "counter.ServiceRecord:1", "rule": rule,
                                  "reason": reason}, content_type="application/json")


def test_an_override_without_a_reason_is_refused(client_of, teller, branch, customer, blocked_sale):
    response = ask_override(client_of(teller), branch, customer, reason="   ")
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    assert not ChangeRequest.objects.exists()


def test_an_approved_override_lets_the_step_finish(
        client_of, teller, compliance_officer, branch, customer, blocked_sale):
    ref = blocked_sale.service_record_ref
    response = ask_override(client_of(teller), branch, customer, reason="客户坚持购买，已签署风险自担声明")
    assert response.status_code == 201, response.content
    assert approved_overrides(ref) == set()  # asking is not enough

    approved = client_of(compliance_officer).post(
        f"/api/compliance/change-requests/{response.json()['id']}/approve/")
    assert approved.status_code == 200
    assert approved_overrides(ref) == {"suitability"}
    results = run_checks(service_code="WEALTH_PRODUCT", product_risk_level="R4", facts=c3_facts())
    assert blocking(results, overridden=approved_overrides(ref)) == []


def test_there_is_nothing_to_override_where_the_rule_passed(client_of, teller, branch, customer,
                                                            blocked_sale):
    response = ask_override(client_of(teller), branch, customer, reason="测试", rule="dual_recording")
    assert response.status_code == 400


def test_a_rule_set_as_not_overridable_cannot_be_overridden(client_of, teller, branch, customer):
    RuleSetting.objects.create(rule="suitability", overridable=False)
    from compliance.checks import ruleset_for

    config = ruleset_for(branch_code=branch.code, service_code="WEALTH_PRODUCT")
    results = run_checks(service_code="WEALTH_PRODUCT", product_risk_level="R4", facts=c3_facts(),
                         config=config)
    from django.db import transaction

    with transaction.atomic():
        record_evaluation(actor=teller, branch_code=branch.code, customer_id=customer.pk,
                          service_record_ref="counter.ServiceRecord:1",
                          service_code="WEALTH_PRODUCT", results=results)
    response = ask_override(client_of(teller), branch, customer, reason="客户坚持")
    assert response.status_code == 400


def test_an_override_goes_stale_when_the_block_changed_before_approval(
        client_of, teller, compliance_officer, branch, customer, blocked_sale):
    change_id = ask_override(client_of(teller), branch, customer, reason="客户坚持").json()["id"]
    # the teller re-ran the checks: now the product is R5, a different block
    results = run_checks(service_code="WEALTH_PRODUCT", product_risk_level="R5", facts=c3_facts())
    record_evaluation(actor=teller, branch_code=branch.code, customer_id=customer.pk,
                      service_record_ref=blocked_sale.service_record_ref,
                      service_code="WEALTH_PRODUCT", results=results)
    response = client_of(compliance_officer).post(
        f"/api/compliance/change-requests/{change_id}/approve/")
    assert response.status_code == 409
    assert approved_overrides(blocked_sale.service_record_ref) == set()


def test_a_teller_of_another_branch_cannot_ask_for_an_override(
        client_of, other_branch, branch, customer, blocked_sale):
    from branches.roles import Role
    from tests.factories import make_staff

    stranger = make_staff(Role.TELLER, other_branch, username="far-teller")
    assert ask_override(client_of(stranger), branch, customer, reason="x").status_code == 404


def test_the_teller_asks_for_an_override_from_a_page_linked_to_the_block(
        client_of, teller, blocked_sale):
    client = client_of(teller)
    url = (f"/compliance/overrides/new/?ref={blocked_sale.service_record_ref}&rule=suitability"
           "&next=/counter/console/")
    page = client.get(url)
    assert page.status_code == 200
    assert "R4" in page.content.decode()
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "客户坚持购买", "next": "/counter/console/"})
    assert response.status_code == 302 and response["Location"] == "/counter/console/"
    change = ChangeRequest.objects.get()
    assert change.target_id == f"{blocked_sale.service_record_ref}#suitability"
    assert change.branch_code == "BJ901" and change.maker == teller


def test_the_override_page_is_not_found_for_a_rule_that_did_not_block(client_of, teller,
                                                                       blocked_sale):
    url = f"/compliance/overrides/new/?ref={blocked_sale.service_record_ref}&rule=cooling_off"
    assert client_of(teller).get(url).status_code == 404


def test_an_offsite_next_is_ignored(client_of, teller, blocked_sale):
    url = f"/compliance/overrides/new/?ref={blocked_sale.service_record_ref}&rule=suitability"
    response = client_of(teller).post(url, {"reason": "客户坚持", "next": "https://evil.example/"})
    assert response["Location"] == "/staff/"
