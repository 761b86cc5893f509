"""Compliance checks: the stable API the counter, kiosk and VTM call (see docs/compliance.md).

    results = run_checks(service_code=..., product_risk_level="R4", facts=Facts(...),
                         config=ruleset_for(branch_code=..., service_code=..., product_code=...))
    record_evaluation(actor=..., branch_code=..., customer_id=..., service_record_ref=...,
                      service_code=..., results=results)
    if blocking(results, overridden=approved_overrides(service_record_ref)): refuse to finish
"""

from compliance.makerchecker import approved_overrides, override_request
from compliance.rules import DEFAULT_SERVICE_RULES
from compliance.rules.engine import (
    APPOINTMENT,
    CDD_QUESTIONS,
    DISCLOSURE_PREFIX,
    DUAL_RECORDING,
    ELDERLY_CONFIRMATION,
    ID_RENEWAL,
    IN_PERSON_ASSESSMENT,
    RISK_ASSESSMENT,
    RULES,
    CheckResult,
    DisclosureRequirement,
    Facts,
    Outcome,
    RuleConfig,
    RuleSet,
    blocking,
    disclosure_step,
    register_service_rules,
    required_rules,
    run_checks,
    worst_outcome,
)
from compliance.rulesets import ruleset_for
from compliance.services import record_evaluation

__all__ = [
    "APPOINTMENT",
    "CDD_QUESTIONS",
    "DEFAULT_SERVICE_RULES",
    "DISCLOSURE_PREFIX",
    "DUAL_RECORDING",
    "ELDERLY_CONFIRMATION",
    "ID_RENEWAL",
    "IN_PERSON_ASSESSMENT",
    "RISK_ASSESSMENT",
    "RULES",
    "approved_overrides",
    "override_request",
    "record_evaluation",
    "ruleset_for",
    "CheckResult",
    "DisclosureRequirement",
    "Facts",
    "Outcome",
    "RuleConfig",
    "RuleSet",
    "blocking",
    "disclosure_step",
    "register_service_rules",
    "required_rules",
    "run_checks",
    "worst_outcome",
]
