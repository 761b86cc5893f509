"""Rule settings per branch / service / product, and the disclosure scripts in force."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from compliance.checks import Outcome, required_rules, ruleset_for, run_checks
from compliance.models import DisclosureScript, DisclosureScriptVersion, RuleSetting
from compliance.services import confirmed_disclosures, disclosure_confirm, recording_attach
from tests.compliance.controls.conftest import c3_facts

pytestmark = pytest.mark.django_db


def test_the_most_specific_setting_wins():
    RuleSetting.objects.create(rule="large_cash_withdrawal", params={"threshold": "30000"})
    RuleSetting.objects.create(rule="large_cash_withdrawal", branch_code="BJ901",
                               params={"threshold": "20000"}, severity=Outcome.WARN)
    here = ruleset_for(branch_code="BJ901", service_code="CASH_WITHDRAWAL")
    elsewhere = ruleset_for(branch_code="SH902", service_code="CASH_WITHDRAWAL")
    assert here.config("large_cash_withdrawal").params == {"threshold": "20000"}
    assert elsewhere.config("large_cash_withdrawal").params == {"threshold": "30000"}

    [withdrawal, _id] = run_checks(service_code="CASH_WITHDRAWAL", product_risk_level=None,
                                   facts=c3_facts(amount=25000), config=here)
    assert withdrawal.outcome == Outcome.WARN
    [withdrawal, _id] = run_checks(service_code="CASH_WITHDRAWAL", product_risk_level=None,
                                   facts=c3_facts(amount=25000), config=elsewhere)
    assert withdrawal.outcome == Outcome.PASS


def test_a_setting_naming_a_service_adds_the_rule_to_it():
    RuleSetting.objects.create(rule="dual_recording", service_code="LARGE_CD")
    config = ruleset_for(branch_code="BJ901", service_code="LARGE_CD")
    assert "dual_recording" in required_rules(service_code="LARGE_CD", product_risk_level=None,
                                              config=config)


def test_a_branch_may_switch_a_rule_off():
    RuleSetting.objects.create(rule="id_expiry", branch_code="BJ901", enabled=False)
    config = ruleset_for(branch_code="BJ901", service_code="TRANSFER")
    assert required_rules(service_code="TRANSFER", product_risk_level=None, config=config) == []


def test_the_newest_disclosure_version_must_be_confirmed(teller, branch, customer):
    script = DisclosureScript.objects.create(code="WEALTH_RISK", title_zh_hans="理财风险揭示",
                                             title_en="Wealth risk", service_codes=["WEALTH_PRODUCT"])
    for version in (1, 2):
        DisclosureScriptVersion.objects.create(script=script, version=version,
                                               text_zh_hans=f"第{version}版", text_en=f"v{version}")
    config = ruleset_for(branch_code=branch.code, service_code="WEALTH_PRODUCT")
    ref = "counter.ServiceRecord:3"
    disclosure_confirm(actor=teller, customer_id=customer.pk, branch_code=branch.code,
                       service_record_ref=ref, script_code="WEALTH_RISK", version=1)
    results = {r.rule: r for r in run_checks(
        service_code="WEALTH_PRODUCT", product_risk_level="R2", config=config,
        facts=c3_facts(disclosures_confirmed=confirmed_disclosures(ref)))}
    assert results["disclosure"].outcome == Outcome.BLOCK
    assert results["disclosure"].requires == ("disclosure:WEALTH_RISK",)

    disclosure_confirm(actor=teller, customer_id=customer.pk, branch_code=branch.code,
                       service_record_ref=ref, script_code="WEALTH_RISK", version=2)
    results = {r.rule: r for r in run_checks(
        service_code="WEALTH_PRODUCT", product_risk_level="R2", config=config,
        facts=c3_facts(disclosures_confirmed=confirmed_disclosures(ref)))}
    assert results["disclosure"].outcome == Outcome.PASS
    assert results["disclosure"].data["scripts"][0]["confirmed_version"] == 2


def test_confirming_an_unknown_script_version_is_refused(teller, branch):
    with pytest.raises(ValidationError):
        disclosure_confirm(actor=teller, customer_id=None, branch_code=branch.code,
                           service_record_ref="x", script_code="NOPE", version=1)


def test_a_recording_must_end_after_it_starts(teller, branch):
    start = timezone.now()
    with pytest.raises(ValidationError), transaction.atomic():
        recording_attach(actor=teller, customer_id=None, branch_code=branch.code,
                         service_record_ref="x", external_id="REC", started_at=start,
                         ended_at=start - dt.timedelta(seconds=1))


def test_attaching_a_recording_through_the_api(client_of, teller, branch):
    response = client_of(teller).post("/api/compliance/recordings/", {
        "branch_code": branch.code, "service_record_ref": "counter.ServiceRecord:9",
        "external_id": "SL-1", "started_at": "2026-11-23T09:00:00+08:00",
        "ended_at": "2026-11-23T09:12:00+08:00"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["seconds"] == 720


def test_due_diligence_answers_are_recorded_and_every_question_is_needed(client_of, teller,
                                                                          branch):
    client = client_of(teller)
    body = {"branch_code": branch.code, "service_record_ref": "counter.ServiceRecord:5",
            "step": "cdd_questions", "answers": {"source_of_funds": "工资", "purpose": "储蓄"}}
    response = client.post("/api/compliance/steps/confirm/", body, content_type="application/json")
    assert response.status_code == 400
    assert "on_behalf" in response.json()["errors"]
    body["answers"]["on_behalf"] = "否"
    response = client.post("/api/compliance/steps/confirm/", body, content_type="application/json")
    assert response.status_code == 201
    from compliance.services import confirmed_steps

    assert confirmed_steps("counter.ServiceRecord:5") == {"cdd_questions"}


def test_the_compliance_officer_edits_a_threshold_in_the_admin_and_it_is_audited(
        client_of, compliance_officer):
    from compliance.models import AuditEvent

    compliance_officer.is_staff = True
    compliance_officer.save(update_fields=["is_staff"])
    response = client_of(compliance_officer).post("/admin/compliance/rulesetting/add/", {
        "rule": "large_cash_withdrawal", "branch_code": "BJ901", "service_code": "",
        "product_code": "", "enabled": "on", "severity": "block", "overridable": "on",
        "params": '{"threshold": "20000"}'})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ruleset_for(branch_code="BJ901", service_code="CASH_WITHDRAWAL").config(
        "large_cash_withdrawal").params == {"threshold": "20000"}
    assert AuditEvent.objects.filter(action="compliance.rule_setting").exists()


def test_a_new_disclosure_version_is_published_from_the_admin(client_of, compliance_officer):
    compliance_officer.is_staff = True
    compliance_officer.save(update_fields=["is_staff"])
    script = DisclosureScript.objects.create(code="WEALTH_RISK", title_zh_hans="理财风险揭示",
                                             title_en="Wealth risk", service_codes=["WEALTH_PRODUCT"])
    response = client_of(compliance_officer).post(
        f"/admin/compliance/disclosurescript/{script.pk}/change/", {
            "code": "WEALTH_RISK", "title_zh_hans": "理财风险揭示", "title_en": "Wealth risk",
            "service_codes": '["WEALTH_PRODUCT"]', "product_codes": "[]", "active": "on",
            "new_text_zh_hans": "理财非存款，投资须谨慎", "new_text_en": "Wealth products are not deposits",
            "versions-TOTAL_FORMS": "0", "versions-INITIAL_FORMS": "0",
            "versions-MIN_NUM_FORMS": "0", "versions-MAX_NUM_FORMS": "1000"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(script.versions.values_list("version", "text_en")) == [
        (1, "Wealth products are not deposits")]


def test_the_demo_scripts_are_seeded_once_and_apply_to_wealth_sales():
    import io

    from compliance import demo

    demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    assert DisclosureScriptVersion.objects.count() == 2
    config = ruleset_for(branch_code="BJ901", service_code="WEALTH_PRODUCT")
    assert [(d.code, d.version) for d in config.disclosures] == [("WEALTH_RISK", 1)]


@pytest.mark.parametrize("params", ['{"treshold": "20000"}', '{"threshold": "-5"}', '["20000"]'])
def test_the_admin_refuses_parameters_the_rule_does_not_understand(client_of, compliance_officer,
                                                                    params):
    compliance_officer.is_staff = True
    compliance_officer.save(update_fields=["is_staff"])
    response = client_of(compliance_officer).post("/admin/compliance/rulesetting/add/", {
        "rule": "large_cash_withdrawal", "branch_code": "BJ901", "enabled": "on",
        "severity": "block", "overridable": "on", "params": params})
    assert response.status_code == 200
    assert not RuleSetting.objects.exists()
