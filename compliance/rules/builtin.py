"""The bank's rules. Each takes a Context and yields what it finds; no finding means pass."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

from .engine import (
    APPOINTMENT,
    CDD_QUESTIONS,
    DUAL_RECORDING,
    ELDERLY_CONFIRMATION,
    ID_RENEWAL,
    IN_PERSON_ASSESSMENT,
    RISK_ASSESSMENT,
    Context,
    Finding,
    Outcome,
    disclosure_step,
    level_number,
    rule,
)

CDD_QUESTION_LIST = (
    {"code": "source_of_funds", "zh_hans": "这笔现金的来源是什么？", "en": "Where does this cash come from?"},
    {"code": "purpose", "zh_hans": "存入后资金的用途是什么？", "en": "What will the money be used for?"},
    {"code": "on_behalf", "zh_hans": "是否代他人存款？",
     "en": "Are you depositing on someone else's behalf?"},
)


@rule(
    "suitability",
    title_zh_hans="适当性",
    title_en="Suitability",
    defaults={"elderly_age": 65, "expiry_warn_days": 30},
    needs_product_risk=True,
)
def suitability(ctx: Context) -> Iterator[Finding]:
    facts = ctx.facts
    product = level_number(ctx.product_risk_level, "R")
    customer = level_number(facts.customer_risk_level, "C")
    if product is None:
        yield ctx.failed(
            f"产品风险等级 {ctx.product_risk_level} 无效",
            f"Product risk level {ctx.product_risk_level} is not valid",
        )
    if customer is None:
        yield ctx.failed(
            "客户没有有效的风险承受能力评估", "The customer has no risk assessment on file", RISK_ASSESSMENT
        )
    else:
        yield from _assessment_validity(ctx)
        if product is not None and customer < product:
            yield ctx.failed(
                f"客户风险承受能力 C{customer} 低于产品风险等级 R{product}，不得销售",
                f"Customer risk tolerance C{customer} is below product risk level R{product}, "
                "so the sale is not allowed",
            )
    age = facts.customer_age
    if (age is None or age >= ctx.params["elderly_age"]) and not facts.elderly_confirmed:
        yield ctx.failed(
            f"客户年满 {ctx.params['elderly_age']} 岁（或年龄未知），需完成老年客户确认",
            f"The customer is {ctx.params['elderly_age']} or older (or of unknown age): "
            "the elderly-customer confirmation step is required",
            ELDERLY_CONFIRMATION,
        )


def _assessment_validity(ctx: Context) -> Iterator[Finding]:
    facts = ctx.facts
    expires = facts.assessment_expires_on
    if expires is None or expires < facts.today:
        yield ctx.failed(
            "风险承受能力评估已过期，请重新评估",
            "The risk assessment has expired; reassess the customer",
            RISK_ASSESSMENT,
        )
    elif (expires - facts.today).days <= ctx.params["expiry_warn_days"]:
        yield Finding(
            Outcome.WARN,
            f"风险承受能力评估将于 {expires.isoformat()} 到期",
            f"The risk assessment expires on {expires.isoformat()}",
        )
    if facts.first_assessment_in_person is not True:
        yield ctx.failed(
            "首次风险承受能力评估须在网点当面完成",
            "The first risk assessment must be done in person at a branch",
            IN_PERSON_ASSESSMENT,
        )


def _disclosure_data(ctx: Context) -> dict:
    confirmed = ctx.facts.disclosures_confirmed
    return {
        "scripts": [
            {"code": req.code, "version": req.version, "confirmed_version": confirmed.get(req.code)}
            for req in ctx.ruleset.disclosures
        ]
    }


@rule(
    "disclosure",
    title_zh_hans="风险揭示话术",
    title_en="Mandatory disclosure",
    pass_zh_hans="客户已确认全部风险揭示话术",
    pass_en="The customer confirmed every mandatory disclosure",
    data=_disclosure_data,
)
def disclosure(ctx: Context) -> Iterator[Finding]:
    for req in ctx.ruleset.disclosures:
        if ctx.facts.disclosures_confirmed.get(req.code) != req.version:
            yield ctx.failed(
                f"客户尚未确认「{req.title_zh_hans or req.code}」（第 {req.version} 版）",
                f"The customer has not confirmed “{req.title_en or req.code}” (version {req.version})",
                disclosure_step(req.code),
            )


@rule(
    "dual_recording",
    title_zh_hans="双录",
    title_en="Dual recording",
    defaults={"min_seconds": 60},
    pass_zh_hans="已关联双录记录",
    pass_en="A recording session is linked",
)
def dual_recording(ctx: Context) -> Iterator[Finding]:
    facts = ctx.facts
    if not facts.recording_ref:
        yield ctx.failed(
            "理财销售须关联双录（录音录像）记录",
            "Wealth sales need a linked audio-video recording session",
            DUAL_RECORDING,
        )
    elif facts.recording_seconds is not None and facts.recording_seconds < ctx.params["min_seconds"]:
        yield Finding(
            Outcome.WARN,
            f"双录时长仅 {facts.recording_seconds} 秒，请核实是否完整",
            f"The recording lasts only {facts.recording_seconds} s; check that it is complete",
        )


def _cooling_off_data(ctx: Context) -> dict:
    hours = int(ctx.params["hours"])
    now = ctx.facts.now
    return {"hours": hours, "deadline": (now + timedelta(hours=hours)).isoformat() if now else None}


@rule(
    "cooling_off",
    title_zh_hans="犹豫期",
    title_en="Cooling-off period",
    defaults={"hours": 24},
    data=_cooling_off_data,
)
def cooling_off(ctx: Context) -> Iterator[Finding]:
    hours = int(ctx.params["hours"])
    yield Finding(
        Outcome.PASS,
        f"犹豫期 {hours} 小时，客户可在此期间撤销",
        f"Cooling-off period of {hours} h: the customer may cancel within it",
    )


def _amount_at_or_over(ctx: Context) -> bool | None:
    if ctx.facts.amount is None:
        return None
    return ctx.facts.amount >= Decimal(str(ctx.params["threshold"]))


@rule(
    "large_cash_withdrawal",
    title_zh_hans="大额取现预约",
    title_en="Large cash withdrawal appointment",
    defaults={"threshold": "50000"},
)
def large_cash_withdrawal(ctx: Context) -> Iterator[Finding]:
    large = _amount_at_or_over(ctx)
    if large is None:
        yield ctx.failed("取现金额未填写", "The withdrawal amount is missing")
    elif large and not ctx.facts.has_appointment:
        threshold = ctx.params["threshold"]
        yield ctx.failed(
            f"取现金额达到 {threshold} 元，须提前预约",
            f"Cash withdrawals of CNY {threshold} or more need an appointment",
            APPOINTMENT,
        )


def _cdd_data(ctx: Context) -> dict:
    return {"questions": list(CDD_QUESTION_LIST)} if _amount_at_or_over(ctx) else {}


@rule(
    "cdd_cash_deposit",
    title_zh_hans="大额现金存款尽职调查",
    title_en="Cash deposit due diligence",
    defaults={"threshold": "50000"},
    data=_cdd_data,
)
def cdd_cash_deposit(ctx: Context) -> Iterator[Finding]:
    large = _amount_at_or_over(ctx)
    if large is None:
        yield ctx.failed("存款金额未填写", "The deposit amount is missing")
    elif large and not ctx.facts.cdd_answered:
        threshold = ctx.params["threshold"]
        yield ctx.failed(
            f"现金存款达到 {threshold} 元，须完成客户尽职调查问询",
            f"Cash deposits of CNY {threshold} or more need the due-diligence questions answered",
            CDD_QUESTIONS,
        )


@rule(
    "id_expiry",
    title_zh_hans="身份证件有效期",
    title_en="ID document validity",
    defaults={"warn_days": 30},
)
def id_expiry(ctx: Context) -> Iterator[Finding]:
    expires = ctx.facts.id_expires_on
    if expires is not None and expires < ctx.facts.today:
        yield ctx.failed(
            "客户身份证件已过期，不能办理账户业务，请先更新证件",
            "The customer's ID has expired: account services are blocked until it is renewed",
            ID_RENEWAL,
        )
    elif not ctx.facts.id_checked:  # never "pass" on an ID nobody read
        yield Finding(
            Outcome.WARN,
            "未核验：未读取客户身份证件，请核验证件原件",
            "Not checked: no ID document was read; check the original ID",
        )
    elif expires is None:  # long-term ID
        return
    elif (expires - ctx.facts.today).days <= ctx.params["warn_days"]:
        yield Finding(
            Outcome.WARN,
            f"客户身份证件将于 {expires.isoformat()} 到期，请提醒更新",
            f"The customer's ID expires on {expires.isoformat()}; remind them to renew it",
        )
