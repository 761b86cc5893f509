"""Writes of the compliance controls: disclosures, recordings, cooling-off, rule evaluations."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compliance import hooks
from compliance.audit import audit_record
from compliance.models import (
    CheckRecord,
    CoolingOff,
    CoolingOffStatus,
    DisclosureConfirmation,
    DisclosureScript,
    DisclosureScriptVersion,
    RecordingReference,
    RuleEvaluation,
    RuleSetting,
    StepConfirmation,
)
from compliance.rules.builtin import CDD_QUESTION_LIST
from compliance.rules.engine import (
    CDD_QUESTIONS,
    ELDERLY_CONFIRMATION,
    CheckResult,
    required_rules,
    worst_outcome,
)

# Steps recorded with step_confirm (disclosures and recordings have their own services).
CONFIRMABLE_STEPS = (ELDERLY_CONFIRMATION, CDD_QUESTIONS)


class CoolingOffClosed(Exception):
    """The cooling-off period is over or the sale was already cancelled."""


@transaction.atomic
def record_evaluation(
    *,
    actor,
    branch_code: str,
    customer_id: int | None,
    service_record_ref: str,
    service_code: str,
    results: list[CheckResult],
    product_code: str = "",
    product_risk_level: str | None = None,
    device=None,
) -> RuleEvaluation:
    """Keep the results as shown to the staff member, and put them in the audit trail."""
    from compliance.checks import ruleset_for

    config = ruleset_for(branch_code=branch_code, service_code=service_code,
                         product_code=product_code)
    evaluation = RuleEvaluation.objects.create(
        created_at=timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        device_id=getattr(device, "pk", None),
        branch_code=branch_code,
        customer_id=customer_id,
        service_record_ref=service_record_ref,
        service_code=service_code,
        product_code=product_code,
        product_risk_level=product_risk_level or "",
        outcome=worst_outcome(results),
        required_rules=required_rules(service_code=service_code,
                                      product_risk_level=product_risk_level, config=config),
        results=[result.to_dict() for result in results],
    )
    CheckRecord.objects.bulk_create(
        CheckRecord(evaluation=evaluation, rule=result.rule, outcome=result.outcome)
        for result in results
    )
    audit_record(
        actor=actor, action="compliance.evaluate", obj=evaluation, branch=branch_code,
        customer=customer_id, device=device,
        after={"service_record": service_record_ref, "service": service_code,
               "results": {result.rule: str(result.outcome) for result in results}},
        summary=f"{service_record_ref} {evaluation.outcome}",
    )
    return evaluation


def disclosure_confirm(
    *,
    actor,
    customer_id: int | None,
    branch_code: str,
    service_record_ref: str,
    script_code: str,
    version: int,
    device=None,
) -> DisclosureConfirmation:
    """Record that the customer confirmed this version of the script (idempotent)."""
    script_version = DisclosureScriptVersion.objects.filter(
        script__code=script_code, version=version).select_related("script").first()
    if script_version is None:
        raise ValidationError({"version": _("This disclosure script version does not exist.")})
    with transaction.atomic():
        confirmation, created = DisclosureConfirmation.objects.get_or_create(
            service_record_ref=service_record_ref, script_version=script_version,
            defaults={"customer_id": customer_id, "branch_code": branch_code,
                      "confirmed_at": timezone.now(), "device_id": getattr(device, "pk", None),
                      "recorded_by": actor if getattr(actor, "is_authenticated", False) else None},
        )
        if created:
            audit_record(actor=actor, action="disclosure.confirm", obj=confirmation,
                         branch=branch_code, customer=customer_id, device=device,
                         after={"script": script_code, "version": version,
                                "service_record": service_record_ref})
    return confirmation


def confirmed_disclosures(service_record_ref: str) -> dict[str, int]:
    """Script code -> highest version confirmed for this service record (for Facts)."""
    confirmed: dict[str, int] = {}
    rows = DisclosureConfirmation.objects.filter(service_record_ref=service_record_ref).values_list(
        "script_version__script__code", "script_version__version")
    for code, version in rows:
        confirmed[code] = max(version, confirmed.get(code, 0))
    return confirmed


def disclosure_texts(script_codes: list[str]) -> list[DisclosureScriptVersion]:
    """The current version of each script, for showing to the customer."""
    scripts = DisclosureScript.objects.filter(code__in=script_codes).prefetch_related("versions")
    return [version for script in scripts if (version := _newest(script)) is not None]


def _newest(script: DisclosureScript) -> DisclosureScriptVersion | None:
    return max(script.versions.all(), key=lambda version: version.version, default=None)


def step_confirm(
    *,
    actor,
    customer_id: int | None,
    branch_code: str,
    service_record_ref: str,
    step: str,
    answers: dict | None = None,
    device=None,
) -> StepConfirmation:
    """Record that a step a rule asked for was done (once per service record)."""
    answers = {key: str(value).strip() for key, value in (answers or {}).items()}
    if step not in CONFIRMABLE_STEPS:
        raise ValidationError({"step": _("This step cannot be confirmed here.")})
    if step == CDD_QUESTIONS:
        missing = [q["code"] for q in CDD_QUESTION_LIST if not answers.get(q["code"])]
        if missing:
            raise ValidationError({code: _("Answer this question.") for code in missing})
    with transaction.atomic():
        confirmation, created = StepConfirmation.objects.get_or_create(
            service_record_ref=service_record_ref, step=step,
            defaults={"customer_id": customer_id, "branch_code": branch_code, "answers": answers,
                      "confirmed_at": timezone.now(), "device_id": getattr(device, "pk", None),
                      "confirmed_by": actor if getattr(actor, "is_authenticated", False) else None},
        )
        if created:
            audit_record(actor=actor, action="compliance.step_confirm", obj=confirmation,
                         branch=branch_code, customer=customer_id, device=device,
                         after={"service_record": service_record_ref, "step": step,
                                "answers": answers})
    return confirmation


def confirmed_steps(service_record_ref: str) -> set[str]:
    """For Facts: elderly_confirmed = "elderly_confirmation" in it, cdd_answered likewise."""
    return set(StepConfirmation.objects.filter(service_record_ref=service_record_ref)
               .values_list("step", flat=True))


def recording_attach(
    *,
    actor,
    customer_id: int | None,
    branch_code: str,
    service_record_ref: str,
    external_id: str,
    started_at: datetime,
    ended_at: datetime,
) -> RecordingReference:
    external_id = (external_id or "").strip()
    if not external_id:
        raise ValidationError({"external_id": _("Enter the recording id.")})
    if ended_at <= started_at:
        raise ValidationError({"ended_at": _("The recording must end after it starts.")})
    with transaction.atomic():
        try:
            with transaction.atomic():
                recording = RecordingReference.objects.create(
                    service_record_ref=service_record_ref, external_id=external_id[:120],
                    customer_id=customer_id, branch_code=branch_code, started_at=started_at,
                    ended_at=ended_at, attached_by=actor, attached_at=timezone.now(),
                )
        except IntegrityError:
            raise ValidationError(
                {"external_id": _("This recording is already attached.")}) from None
        audit_record(actor=actor, action="recording.attach", obj=recording, branch=branch_code,
                     customer=customer_id,
                     after={"service_record": service_record_ref, "recording": external_id,
                            "started_at": started_at, "ended_at": ended_at})
    return recording


def recording_for(service_record_ref: str) -> RecordingReference | None:
    return (RecordingReference.objects.filter(service_record_ref=service_record_ref)
            .order_by("-attached_at").first())


@transaction.atomic
def cooling_off_open(
    *,
    actor,
    customer_id: int,
    branch_code: str,
    service_record_ref: str,
    product_code: str,
    sold_at: datetime,
    hours: int = 24,
) -> CoolingOff:
    cooling_off, created = CoolingOff.objects.get_or_create(
        service_record_ref=service_record_ref,
        defaults={"customer_id": customer_id, "branch_code": branch_code,
                  "product_code": product_code, "sold_at": sold_at,
                  "deadline": sold_at + timedelta(hours=hours)},
    )
    if created:
        audit_record(actor=actor, action="cooling_off.open", obj=cooling_off, branch=branch_code,
                     customer=customer_id,
                     after={"service_record": service_record_ref, "product": product_code,
                            "deadline": cooling_off.deadline})
    return cooling_off


def cooling_off_cancel(*, actor, cooling_off_id: int, reason: str = "") -> CoolingOff:
    """The customer changes their mind inside the period; higher apps reverse the sale."""
    with transaction.atomic():
        cooling_off = CoolingOff.objects.select_for_update().get(pk=cooling_off_id)
        now = timezone.now()
        if cooling_off.status != CoolingOffStatus.OPEN:
            raise CoolingOffClosed(_("This purchase has already been cancelled."))
        if now >= cooling_off.deadline:
            raise CoolingOffClosed(_("The cooling-off period is over; the purchase can no "
                                     "longer be cancelled here."))
        cooling_off.status, cooling_off.cancelled_at = CoolingOffStatus.CANCELLED, now
        cooling_off.cancel_reason = (reason or "").strip()[:200]
        cooling_off.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        audit_record(actor=actor, action="cooling_off.cancel", obj=cooling_off,
                     branch=cooling_off.branch_code, customer=cooling_off.customer_id,
                     before={"status": CoolingOffStatus.OPEN},
                     after={"status": cooling_off.status, "reason": cooling_off.cancel_reason})
        hooks.cooling_off_cancelled(cooling_off)
    return cooling_off


def cooling_offs_for_customer(customer_id: int):
    return CoolingOff.objects.filter(customer_id=customer_id).order_by("-sold_at")


# --- configuration by the compliance officer (admin) ---------------------------------------------

def _setting_values(setting: RuleSetting) -> dict:
    return {"rule": setting.rule, "branch": setting.branch_code, "service": setting.service_code,
            "product": setting.product_code, "enabled": setting.enabled,
            "severity": setting.severity, "overridable": setting.overridable,
            "params": setting.params}


@transaction.atomic
def rule_setting_save(*, actor, setting: RuleSetting) -> RuleSetting:
    before = (_setting_values(RuleSetting.objects.get(pk=setting.pk))
              if setting.pk else None)
    setting.save()
    audit_record(actor=actor, action="compliance.rule_setting", obj=setting,
                 branch=setting.branch_code, before=before, after=_setting_values(setting),
                 summary=str(setting))
    return setting


@transaction.atomic
def rule_setting_delete(*, actor, setting: RuleSetting) -> None:
    audit_record(actor=actor, action="compliance.rule_setting_delete", obj=setting,
                 branch=setting.branch_code, before=_setting_values(setting), summary=str(setting))
    setting.delete()


@transaction.atomic
def disclosure_script_save(*, actor, script: DisclosureScript) -> DisclosureScript:
    script.save()
    audit_record(actor=actor, action="disclosure.script_save", obj=script,
                 after={"code": script.code, "services": script.service_codes,
                        "products": script.product_codes, "active": script.active})
    return script


@transaction.atomic
def disclosure_version_publish(*, actor, script: DisclosureScript, text_zh_hans: str,
                               text_en: str) -> DisclosureScriptVersion:
    """A new version; published texts never change, since customers confirmed them."""
    DisclosureScript.objects.select_for_update().get(pk=script.pk)
    newest = script.versions.order_by("-version").values_list("version", flat=True).first() or 0
    version = DisclosureScriptVersion.objects.create(script=script, version=newest + 1,
                                                     text_zh_hans=text_zh_hans, text_en=text_en)
    audit_record(actor=actor, action="disclosure.publish", obj=version,
                 after={"script": script.code, "version": version.version,
                        "text_zh_hans": text_zh_hans, "text_en": text_en})
    return version
