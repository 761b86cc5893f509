"""The compliance dashboard: checks, blocks, warnings, overrides, pending approvals, coverage."""

import pytest
from django.utils import timezone

from compliance import hooks
from compliance.checks import record_evaluation, run_checks
from tests.compliance.controls.conftest import c3_facts

pytestmark = pytest.mark.django_db


def record(ref, branch, service="WEALTH_PRODUCT", risk="R3"):
    return hooks.ServiceRecordInfo(ref=ref, branch_code=branch.code, service_code=service,
                                   finished_at=timezone.now(), product_risk_level=risk)


def test_coverage_counts_records_that_ran_every_required_rule(
        client_of, compliance_officer, teller, branch, customer, service_records):
    service_records += [record("counter.ServiceRecord:1", branch),
                        record("counter.ServiceRecord:2", branch)]
    record_evaluation(actor=teller, branch_code=branch.code, customer_id=customer.pk,
                      service_record_ref="counter.ServiceRecord:1", service_code="WEALTH_PRODUCT",
                      results=run_checks(service_code="WEALTH_PRODUCT", product_risk_level="R3",
                                         facts=c3_facts()))
    # the second record skipped suitability: only the cash rule ran
    record_evaluation(actor=teller, branch_code=branch.code, customer_id=customer.pk,
                      service_record_ref="counter.ServiceRecord:2", service_code="WEALTH_PRODUCT",
                      results=run_checks(service_code="ACCOUNT_OPENING", product_risk_level=None,
                                         facts=c3_facts()))

    body = client_of(compliance_officer).get("/api/compliance/dashboard/").json()
    assert body["service_records"] == 2
    assert body["coverage"] == 0.5
    assert body["uncovered"] == ["counter.ServiceRecord:2"]

    page = client_of(compliance_officer).get("/compliance/").content.decode()
    assert 'id="coverage">50%' in page
    assert "counter.ServiceRecord:2" in page


def test_figures_count_checks_blocks_warnings_and_pending_approvals(
        client_of, compliance_officer, teller, branch, customer, blocked_sale):
    client_of(teller).post("/api/compliance/overrides/", {
        "branch_code": branch.code, "customer_id": customer.pk,
        "service_record_ref": blocked_sale.service_record_ref, "rule": "suitability",
        "reason": "客户坚持"}, content_type="application/json")
    body = client_of(compliance_officer).get("/api/compliance/dashboard/?days=1").json()
    assert body["checks_run"] == 4  # suitability, disclosure-free wealth sale: 4 rules
    assert body["blocks"] == 1
    assert body["warnings"] == 0
    assert body["overrides"] == 0
    assert [p["kind"] for p in body["pending_approvals"]] == ["rule_override"]
    assert body["coverage"] is None  # no service records reported


def test_a_bad_period_is_refused(client_of, compliance_officer):
    response = client_of(compliance_officer).get("/api/compliance/dashboard/?days=0")
    assert response.status_code == 400
    assert "days" in response.json()["errors"]
