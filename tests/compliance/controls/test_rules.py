"""Each rule's pass / warn / block at its boundaries, with plain facts (no database)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from compliance.checks import (
    DisclosureRequirement,
    Facts,
    Outcome,
    RuleConfig,
    RuleSet,
    blocking,
    required_rules,
    run_checks,
)

TODAY = date(2026, 11, 23)


def fit_customer(**changes) -> Facts:
    """A C3 customer aged 40 with a valid, in-person assessment and everything confirmed."""
    values = {
        "today": TODAY,
        "now": datetime(2026, 11, 23, 2, 0, tzinfo=UTC),
        "customer_risk_level": "C3",
        "assessment_date": date(2026, 6, 1),
        "assessment_expires_on": date(2027, 6, 1),
        "first_assessment_in_person": True,
        "customer_age": 40,
        "recording_ref": "REC-1",
        "recording_seconds": 900,
        "disclosures_confirmed": {"WEALTH_RISK": 2},
    }
    values.update(changes)
    return Facts(**values)


def check(rule: str, facts: Facts, *, service="WEALTH_PRODUCT", product="R3", config=None):
    results = {r.rule: r for r in run_checks(
        service_code=service, product_risk_level=product, facts=facts, config=config)}
    return results[rule]


# suitability -----------------------------------------------------------------------------------

def test_c3_customer_may_buy_an_r3_product():
    assert check("suitability", fit_customer(), product="R3").outcome == Outcome.PASS


def test_c3_customer_is_blocked_from_an_r4_product():
    result = check("suitability", fit_customer(), product="R4")
    assert result.outcome == Outcome.BLOCK
    assert "C3" in result.reason_zh_hans and "R4" in result.reason_en
    assert result.requires == ()  # nothing the teller can do but choose another product


def test_a_branch_may_turn_the_mismatch_into_a_warning():
    config = RuleSet().with_rule("suitability", severity=Outcome.WARN)
    assert check("suitability", fit_customer(), product="R4", config=config).outcome == Outcome.WARN


def test_assessment_expiring_today_is_still_valid_but_warns():
    result = check("suitability", fit_customer(assessment_expires_on=TODAY))
    assert result.outcome == Outcome.WARN


def test_assessment_that_expired_yesterday_blocks_and_asks_for_reassessment():
    result = check("suitability", fit_customer(assessment_expires_on=TODAY - timedelta(days=1)))
    assert result.outcome == Outcome.BLOCK
    assert result.requires == ("risk_assessment",)


def test_assessment_expiring_in_31_days_passes_and_in_30_days_warns():
    assert check("suitability", fit_customer(
        assessment_expires_on=TODAY + timedelta(days=31))).outcome == Outcome.PASS
    assert check("suitability", fit_customer(
        assessment_expires_on=TODAY + timedelta(days=30))).outcome == Outcome.WARN


def test_customer_without_assessment_is_blocked():
    result = check("suitability", fit_customer(customer_risk_level=None))
    assert result.outcome == Outcome.BLOCK
    assert "risk_assessment" in result.requires


def test_first_assessment_done_online_blocks():
    result = check("suitability", fit_customer(first_assessment_in_person=False))
    assert result.outcome == Outcome.BLOCK
    assert result.requires == ("in_person_assessment",)


def test_customer_aged_64_needs_no_extra_confirmation():
    assert check("suitability", fit_customer(customer_age=64)).outcome == Outcome.PASS


def test_customer_aged_65_needs_the_elderly_confirmation_step():
    result = check("suitability", fit_customer(customer_age=65))
    assert result.outcome == Outcome.BLOCK
    assert result.requires == ("elderly_confirmation",)
    confirmed = check("suitability", fit_customer(customer_age=65, elderly_confirmed=True))
    assert confirmed.outcome == Outcome.PASS


def test_elderly_age_is_configurable():
    config = RuleSet().with_rule("suitability", params={"elderly_age": 60})
    assert check("suitability", fit_customer(customer_age=60), config=config).outcome == Outcome.BLOCK


def test_several_findings_merge_into_one_result_with_every_reason():
    result = check("suitability", fit_customer(customer_age=70, first_assessment_in_person=None),
                   product="R5")
    assert result.outcome == Outcome.BLOCK
    assert set(result.requires) == {"in_person_assessment", "elderly_confirmation"}
    assert result.reason_en.count(";") == 2


def test_suitability_runs_for_any_service_selling_a_risk_rated_product():
    codes = required_rules(service_code="some_new_service", product_risk_level="R2")
    assert codes == ["suitability"]
    assert required_rules(service_code="some_new_service", product_risk_level=None) == []


# disclosure ------------------------------------------------------------------------------------

SCRIPTS = RuleSet(disclosures=(DisclosureRequirement("WEALTH_RISK", 2, "过往业绩", "Past performance"),))


def test_confirmed_current_disclosure_passes_and_records_its_version():
    result = check("disclosure", fit_customer(), config=SCRIPTS)
    assert result.outcome == Outcome.PASS
    assert result.data["scripts"] == [
        {"code": "WEALTH_RISK", "version": 2, "confirmed_version": 2}]


def test_disclosure_confirmed_at_an_older_version_blocks():
    result = check("disclosure", fit_customer(disclosures_confirmed={"WEALTH_RISK": 1}),
                   config=SCRIPTS)
    assert result.outcome == Outcome.BLOCK
    assert result.requires == ("disclosure:WEALTH_RISK",)


def test_unconfirmed_disclosure_blocks():
    result = check("disclosure", fit_customer(disclosures_confirmed={}), config=SCRIPTS)
    assert result.outcome == Outcome.BLOCK


# dual recording and cooling-off ----------------------------------------------------------------

def test_wealth_sale_without_recording_blocks():
    result = check("dual_recording", fit_customer(recording_ref=None))
    assert result.outcome == Outcome.BLOCK
    assert result.requires == ("dual_recording",)


def test_short_recording_warns_and_a_full_one_passes():
    assert check("dual_recording", fit_customer(recording_seconds=59)).outcome == Outcome.WARN
    assert check("dual_recording", fit_customer(recording_seconds=60)).outcome == Outcome.PASS


def test_cooling_off_deadline_is_24_hours_after_the_sale():
    result = check("cooling_off", fit_customer())
    assert result.outcome == Outcome.PASS
    assert result.data == {"hours": 24, "deadline": "2026-11-24T02:00:00+00:00"}


def test_cooling_off_hours_are_configurable():
    config = RuleSet().with_rule("cooling_off", params={"hours": 48})
    assert check("cooling_off", fit_customer(), config=config).data["deadline"].startswith("2026-11-25")


# cash ------------------------------------------------------------------------------------------

def cash(amount, **changes):
    return fit_customer(amount=Decimal(amount), **changes)


def test_withdrawal_just_under_the_threshold_needs_no_appointment():
    assert check("large_cash_withdrawal", cash("49999.99"), service="CASH_WITHDRAWAL",
                 product=None).outcome == Outcome.PASS


def test_withdrawal_at_the_threshold_without_appointment_blocks():
    result = check("large_cash_withdrawal", cash("50000"), service="CASH_WITHDRAWAL", product=None)
    assert result.outcome == Outcome.BLOCK
    assert result.requires == ("appointment",)


def test_withdrawal_at_the_threshold_with_appointment_passes():
    assert check("large_cash_withdrawal", cash("50000", has_appointment=True),
                 service="CASH_WITHDRAWAL", product=None).outcome == Outcome.PASS


def test_withdrawal_threshold_is_configurable_per_branch():
    config = RuleSet().with_rule("large_cash_withdrawal", params={"threshold": "20000"})
    assert check("large_cash_withdrawal", cash("20000"), service="CASH_WITHDRAWAL", product=None,
                 config=config).outcome == Outcome.BLOCK


def test_withdrawal_without_an_amount_blocks():
    assert check("large_cash_withdrawal", fit_customer(), service="CASH_WITHDRAWAL",
                 product=None).outcome == Outcome.BLOCK


def test_large_cash_deposit_asks_the_due_diligence_questions():
    result = check("cdd_cash_deposit", cash("50000"), service="CASH_DEPOSIT", product=None)
    assert result.outcome == Outcome.BLOCK
    assert result.requires == ("cdd_questions",)
    assert [q["code"] for q in result.data["questions"]] == ["source_of_funds", "purpose", "on_behalf"]
    answered = check("cdd_cash_deposit", cash("50000", cdd_answered=True), service="CASH_DEPOSIT",
                     product=None)
    assert answered.outcome == Outcome.PASS


def test_cash_deposit_under_the_threshold_passes_without_questions():
    result = check("cdd_cash_deposit", cash("49999"), service="CASH_DEPOSIT", product=None)
    assert result.outcome == Outcome.PASS
    assert result.data == {}


# ID expiry -------------------------------------------------------------------------------------

def test_id_expiring_today_is_valid_but_warns():
    assert check("id_expiry", fit_customer(id_expires_on=TODAY), service="ACCOUNT_OPENING",
                 product=None).outcome == Outcome.WARN


def test_expired_id_blocks_account_services():
    result = check("id_expiry", fit_customer(id_expires_on=TODAY - timedelta(days=1)),
                   service="CARD_REPLACEMENT", product=None)
    assert result.outcome == Outcome.BLOCK
    assert result.requires == ("id_renewal",)


def test_long_term_id_passes():
    assert check("id_expiry", fit_customer(id_expires_on=None), service="ACCOUNT_OPENING",
                 product=None).outcome == Outcome.PASS


# configuration and the finishing contract ------------------------------------------------------

def test_a_disabled_rule_does_not_run():
    config = RuleSet(rules={"dual_recording": RuleConfig(enabled=False)})
    codes = required_rules(service_code="WEALTH_PRODUCT", product_risk_level="R3", config=config)
    assert "dual_recording" not in codes


def test_a_rule_can_be_added_to_a_service_by_configuration():
    config = RuleSet(extra_rules=("id_expiry",))
    assert "id_expiry" in required_rules(service_code="WEALTH_PRODUCT", product_risk_level="R3",
                                         config=config)


def test_an_approved_override_lifts_the_block_only_for_overridable_rules():
    results = run_checks(service_code="WEALTH_PRODUCT", product_risk_level="R4",
                         facts=fit_customer(), config=SCRIPTS)
    assert [r.rule for r in blocking(results)] == ["suitability"]
    assert blocking(results, overridden={"suitability"}) == []
    strict = SCRIPTS.with_rule("suitability", overridable=False)
    results = run_checks(service_code="WEALTH_PRODUCT", product_risk_level="R4",
                         facts=fit_customer(), config=strict)
    assert [r.rule for r in blocking(results, overridden={"suitability"})] == ["suitability"]


def test_results_survive_a_round_trip_through_json():
    from compliance.checks import CheckResult

    for result in run_checks(service_code="WEALTH_PRODUCT", product_risk_level="R4",
                             facts=fit_customer(), config=SCRIPTS):
        assert CheckResult.from_dict(result.to_dict()) == result


@pytest.mark.parametrize("level", ["R0", "R6", "X3", ""])
def test_an_invalid_product_risk_level_blocks(level):
    result = check("suitability", fit_customer(), product=level or "R")
    assert result.outcome == Outcome.BLOCK
