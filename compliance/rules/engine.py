"""The rules engine: code-defined checks that judge the facts they are given.

A rule never reads the database: the caller (counter, kiosk, VTM) gathers the facts, the
compliance officer's settings arrive as a `RuleSet`, and the rule returns a `CheckResult`.
That keeps every rule testable at its boundaries with plain values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.i18n import english


class Outcome(models.TextChoices):
    PASS = "pass", _("Pass")
    WARN = "warn", _("Warning")
    BLOCK = "block", _("Block")


SEVERITY = {Outcome.PASS: 0, Outcome.WARN: 1, Outcome.BLOCK: 2}

# Steps a result may ask the caller to complete before the work can finish.
ELDERLY_CONFIRMATION = "elderly_confirmation"
DUAL_RECORDING = "dual_recording"
RISK_ASSESSMENT = "risk_assessment"
IN_PERSON_ASSESSMENT = "in_person_assessment"
APPOINTMENT = "appointment"
CDD_QUESTIONS = "cdd_questions"
ID_RENEWAL = "id_renewal"
DISCLOSURE_PREFIX = "disclosure:"


def disclosure_step(script_code: str) -> str:
    return f"{DISCLOSURE_PREFIX}{script_code}"


@dataclass(frozen=True, kw_only=True)
class Facts:
    """What the caller knows about the customer and the business at hand.

    Unknown values stay None; a rule that needs an unknown value fails safe (blocks).
    """

    today: date
    now: datetime | None = None  # aware; used to compute the cooling-off deadline
    customer_risk_level: str | None = None  # "C1".."C5"; None = no assessment on file
    assessment_date: date | None = None
    assessment_expires_on: date | None = None  # valid through this day
    first_assessment_in_person: bool | None = None
    customer_age: int | None = None
    elderly_confirmed: bool = False
    amount: Decimal | None = None
    currency: str = "CNY"
    has_appointment: bool = False
    id_expires_on: date | None = None  # None = long-term ID (长期有效)
    # False: no ID document was read or checked, so id_expires_on says nothing ("not checked").
    id_checked: bool = True
    disclosures_confirmed: Mapping[str, int] = field(default_factory=dict)  # code -> version
    recording_ref: str | None = None
    recording_seconds: int | None = None
    cdd_answered: bool = False


@dataclass(frozen=True)
class RuleConfig:
    """One rule's settings for a branch/product; `params` override the rule's defaults."""

    enabled: bool = True
    severity: str = Outcome.BLOCK  # the outcome when the rule's condition is not met
    overridable: bool = True
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DisclosureRequirement:
    code: str
    version: int
    title_zh_hans: str = ""
    title_en: str = ""


@dataclass(frozen=True)
class RuleSet:
    """The settings in force for one branch, service and product."""

    rules: Mapping[str, RuleConfig] = field(default_factory=dict)
    disclosures: tuple[DisclosureRequirement, ...] = ()
    # rule codes added to a service by configuration, on top of the code-defined ones
    extra_rules: tuple[str, ...] = ()

    def config(self, rule_code: str) -> RuleConfig:
        return self.rules.get(rule_code) or RuleConfig()

    def with_rule(self, rule_code: str, **changes: Any) -> RuleSet:
        rules = dict(self.rules)
        rules[rule_code] = replace(self.config(rule_code), **changes)
        return replace(self, rules=rules)


@dataclass(frozen=True)
class CheckResult:
    rule: str
    outcome: str
    reason_zh_hans: str
    reason_en: str
    requires: tuple[str, ...] = ()
    overridable: bool = True
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return self.reason_en if english() else self.reason_zh_hans

    @property
    def blocks(self) -> bool:
        return self.outcome == Outcome.BLOCK

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "outcome": str(self.outcome),
            "reason_zh_hans": self.reason_zh_hans,
            "reason_en": self.reason_en,
            "requires": list(self.requires),
            "overridable": self.overridable,
            "data": dict(self.data),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CheckResult:
        return cls(
            rule=data["rule"],
            outcome=Outcome(data["outcome"]),
            reason_zh_hans=data["reason_zh_hans"],
            reason_en=data["reason_en"],
            requires=tuple(data.get("requires", ())),
            overridable=data.get("overridable", True),
            data=data.get("data", {}),
        )


@dataclass(frozen=True)
class Finding:
    """One thing a rule noticed; a rule's findings merge into one CheckResult."""

    outcome: str
    zh_hans: str
    en: str
    requires: tuple[str, ...] = ()


RuleFn = Callable[["Context"], Iterable[Finding]]


@dataclass(frozen=True)
class Context:
    facts: Facts
    product_risk_level: str | None
    config: RuleConfig
    ruleset: RuleSet
    params: Mapping[str, Any]

    def failed(self, zh_hans: str, en: str, *requires: str) -> Finding:
        """A finding at the configured severity (block unless the branch set it to warn)."""
        return Finding(Outcome(self.config.severity), zh_hans, en, requires)


@dataclass(frozen=True)
class Rule:
    code: str
    title_zh_hans: str
    title_en: str
    check: RuleFn
    defaults: Mapping[str, Any]
    needs_product_risk: bool = False
    pass_zh_hans: str = "通过"
    pass_en: str = "Passed"
    data: Callable[[Context], Mapping[str, Any]] | None = None


RULES: dict[str, Rule] = {}
SERVICE_RULES: dict[str, list[str]] = {}


def rule(
    code: str,
    *,
    title_zh_hans: str,
    title_en: str,
    defaults: Mapping[str, Any] | None = None,
    needs_product_risk: bool = False,
    pass_zh_hans: str = "通过",
    pass_en: str = "Passed",
    data: Callable[[Context], Mapping[str, Any]] | None = None,
) -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        RULES[code] = Rule(
            code, title_zh_hans, title_en, fn, dict(defaults or {}), needs_product_risk,
            pass_zh_hans, pass_en, data,
        )
        return fn

    return register


def register_service_rules(service_code: str, *rule_codes: str) -> None:
    """Declare which rules a service type must run (idempotent; adds to what is there)."""
    unknown = [code for code in rule_codes if code not in RULES]
    if unknown:
        raise KeyError(f"unknown rules: {unknown}")
    registered = SERVICE_RULES.setdefault(service_code, [])
    registered.extend(code for code in rule_codes if code not in registered)


def required_rules(
    *, service_code: str, product_risk_level: str | None, config: RuleSet | None = None
) -> list[str]:
    """The rule codes this service must run, in evaluation order (coverage counts these)."""
    config = config or RuleSet()
    codes = list(SERVICE_RULES.get(service_code, ()))
    codes += [code for code in config.extra_rules if code in RULES and code not in codes]
    if product_risk_level and "suitability" not in codes:
        codes.insert(0, "suitability")  # every risk-rated product is judged for suitability
    if config.disclosures and "disclosure" not in codes:
        codes.append("disclosure")
    return [
        code for code in codes
        if config.config(code).enabled
        and (product_risk_level or not RULES[code].needs_product_risk)
    ]


def run_checks(
    *,
    service_code: str,
    product_risk_level: str | None,
    facts: Facts,
    config: RuleSet | None = None,
) -> list[CheckResult]:
    config = config or RuleSet()
    return [
        _evaluate(RULES[code], facts, product_risk_level, config)
        for code in required_rules(
            service_code=service_code, product_risk_level=product_risk_level, config=config
        )
    ]


def _evaluate(
    rule_: Rule, facts: Facts, product_risk_level: str | None, ruleset: RuleSet
) -> CheckResult:
    config = ruleset.config(rule_.code)
    context = Context(facts, product_risk_level, config, ruleset, {**rule_.defaults, **config.params})
    findings = list(rule_.check(context))
    data = dict(rule_.data(context)) if rule_.data else {}
    if not findings:
        return CheckResult(
            rule_.code, Outcome.PASS, rule_.pass_zh_hans, rule_.pass_en,
            overridable=config.overridable, data=data,
        )
    outcome = max((Outcome(f.outcome) for f in findings), key=SEVERITY.__getitem__)
    requires: list[str] = []
    for finding in findings:
        requires.extend(step for step in finding.requires if step not in requires)
    return CheckResult(
        rule=rule_.code,
        outcome=outcome,
        reason_zh_hans="；".join(f.zh_hans for f in findings),
        reason_en="; ".join(f.en for f in findings),
        requires=tuple(requires),
        overridable=config.overridable,
        data=data,
    )


def blocking(
    results: Iterable[CheckResult], *, overridden: Iterable[str] = ()
) -> list[CheckResult]:
    """The blocks still standing once approved overrides (rule codes) are taken away."""
    overridden = set(overridden)
    return [
        result for result in results
        if result.blocks and not (result.overridable and result.rule in overridden)
    ]


def worst_outcome(results: Iterable[CheckResult]) -> str:
    return max((Outcome(r.outcome) for r in results), key=SEVERITY.__getitem__, default=Outcome.PASS)


def level_number(level: str | None, prefix: str) -> int | None:
    """'C3' -> 3, 'R4' -> 4; anything else -> None."""
    if not level or len(level) != 2 or level[0].upper() != prefix or level[1] not in "12345":
        return None
    return int(level[1])
