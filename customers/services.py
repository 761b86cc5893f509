import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.audit import audit_record
from customers import hooks
from customers.models import Consent, Customer, RiskAssessment

RevealableField = Literal["id_number", "phone"]
MIN_REASON_LENGTH = 4


@transaction.atomic
def customer_reveal(*, actor, customer: Customer, field: RevealableField, reason: str) -> str:
    """Return a personal-data field in full. Needs the reveal permission and a reason; every
    reveal is in the audit trail."""
    if not actor.has_perm("customers.reveal_personal_data"):
        raise PermissionDenied
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError({"reason": _("Say why you need the full value (at least 4 "
                                           "characters).")})
    if field not in ("id_number", "phone"):
        raise ValidationError({"field": _("This field cannot be revealed.")})
    audit_record(actor=actor, action="customer.reveal", obj=customer, branch=customer.home_branch,
                 customer=customer, after={"field": field, "reason": reason})
    return getattr(customer, field)


@transaction.atomic
def risk_assessment_record(*, actor, customer: Customer, level: str, assessed_on: dt.date,
                           valid_days: int = 365, in_person: bool = True, branch=None,
                           questionnaire_version: str = "") -> RiskAssessment:
    assessment = RiskAssessment.objects.create(
        customer=customer, level=level, assessed_on=assessed_on,
        expires_on=assessed_on + dt.timedelta(days=valid_days), in_person=in_person,
        assessed_by=actor, branch=branch, questionnaire_version=questionnaire_version)
    audit_record(actor=actor, action="customer.risk_assessment", obj=assessment, branch=branch,
                 customer=customer, after={"level": level, "assessed_on": assessed_on,
                                           "expires_on": assessment.expires_on,
                                           "in_person": in_person})
    return assessment


@transaction.atomic
def consent_grant(*, actor, customer: Customer, kind: str, text_version: str,
                  channel: str) -> Consent:
    existing = Consent.objects.select_for_update().filter(customer=customer, kind=kind,
                                                          withdrawn_at__isnull=True).first()
    if existing is not None and existing.text_version == text_version:
        return existing
    if existing is not None:
        existing.withdrawn_at = timezone.now()
        existing.save(update_fields=["withdrawn_at"])
    consent = Consent.objects.create(customer=customer, kind=kind, text_version=text_version,
                                     channel=channel,
                                     captured_by=actor if getattr(actor, "pk", None) else None)
    audit_record(actor=actor, action="customer.consent_grant", obj=consent,
                 branch=customer.home_branch, customer=customer,
                 after={"kind": kind, "text_version": text_version, "channel": channel})
    return consent


@transaction.atomic
def consent_withdraw(*, actor, customer: Customer, kind: str) -> Consent | None:
    consent = Consent.objects.select_for_update().filter(customer=customer, kind=kind,
                                                         withdrawn_at__isnull=True).first()
    if consent is None:
        return None
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    for callback in hooks.consent_withdrawn:
        callback(customer, consent)
    audit_record(actor=actor, action="customer.consent_withdraw", obj=consent,
                 branch=customer.home_branch, customer=customer, after={"kind": kind})
    return consent
