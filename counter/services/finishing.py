"""Finishing a service record: the compliance gate, cooling-off, freezing the form, the receipt."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from compliance.audit import audit_record
from compliance.checks import CheckResult
from core.live import groups, push
from counter import (
    forms_ui,
    formschema,
    hooks,
    identity,
    images,
    receipts,
    surveys,
    tasks,
    verification,
)
from counter.models import (
    FormStatus,
    Outcome,
    Receipt,
    RecordStatus,
    ServiceRecord,
    StepTiming,
    VerificationOutcome,
)
from counter.receipt_pdf import render_pdf
from counter.services.common import FormInvalid, _audit_service
from counter.services.facts import compliance_blocks, compliance_results
from counter.services.records import next_planned_line, start_line


def record_finish(
    *, actor, record: ServiceRecord, outcome: str, reason: str = "", referred_to: str = ""
) -> Receipt | None:
    """Finish the service: compliance blocks and a missing signature stop a 'done'; the form is
    frozen as verified, the ticket is finished, the e-receipt is issued and sent after commit.

    The compliance evaluation is committed first, on its own: a refused finish must still leave
    the block on record (the dashboard counts it, an override request refers to it)."""
    results = _evaluate_for_finish(actor=actor, record=record)
    return _finish(
        actor=actor, record=record, results=results, outcome=outcome, reason=reason, referred_to=referred_to
    )


@transaction.atomic
def _evaluate_for_finish(*, actor, record: ServiceRecord) -> list[CheckResult]:
    from compliance.checks import record_evaluation

    record = ServiceRecord.objects.select_related("ticket", "branch", "service_type", "customer", "form").get(
        pk=record.pk
    )
    results = compliance_results(record)
    record_evaluation(
        actor=actor,
        branch_code=record.branch.code,
        customer_id=record.customer_id,
        service_record_ref=record.ref,
        service_code=record.service_type.code,
        results=results,
    )
    return results


@transaction.atomic
def _finish(
    *, actor, record: ServiceRecord, results: list[CheckResult], outcome: str, reason: str, referred_to: str
) -> Receipt | None:
    from queueing import services as queueing

    record = (
        ServiceRecord.objects.select_for_update(of=("self",))
        .select_related("ticket", "branch", "service_type", "customer", "form", "counter")
        .get(pk=record.pk)
    )
    errors = _finish_errors(record, outcome, reason, referred_to)
    if outcome == Outcome.DONE and not errors:
        errors.update(_unchecked_field_errors(record))
        if identity.check(record).blocks:
            errors["identity"] = [str(formschema.MESSAGES["identity_mismatch"])]
    if outcome == Outcome.DONE and compliance_blocks(record, results):
        errors.setdefault("outcome", []).append(str(formschema.MESSAGES["compliance_block"]))
    if errors:
        raise FormInvalid(errors)
    now = timezone.now()
    _freeze_form(actor=actor, record=record, now=now)
    StepTiming.objects.filter(record=record, ended_at__isnull=True).update(ended_at=now)
    record.status, record.finished_at, record.outcome = RecordStatus.FINISHED, now, outcome
    record.outcome_reason, record.referred_to = reason.strip(), referred_to.strip()
    record.handling_seconds = int((now - record.started_at).total_seconds())
    record.compliance_results = [r.to_dict() for r in results]
    record.save(
        update_fields=[
            "status",
            "finished_at",
            "outcome",
            "outcome_reason",
            "referred_to",
            "handling_seconds",
            "compliance_results",
            "form_as_verified",
            "corrections",
            "fields_overridden",
            "fields_unverified",
        ]
    )
    _open_cooling_off(actor=actor, record=record, results=results, outcome=outcome)
    following = next_planned_line(record.ticket)
    if following is not None:  # the visit goes on at this counter with its next service line
        for callback in hooks.service_finished:
            callback(record)
        _audit_service(record, actor=actor, action="service.finish", after=_finish_audit(record, None))
        start_line(actor=actor, record=following, counter=record.counter)
        push(groups.counter(record.counter_id), "form.changed", {"line": following.pk})
        return None
    queueing.ticket_finish(actor=actor, ticket=record.ticket)
    receipt = _receipt_issue(record=record, now=now)
    surveys.invite(record=record, receipt=receipt)
    for callback in hooks.service_finished:
        callback(record)
    _audit_service(record, actor=actor, action="service.finish", after=_finish_audit(record, receipt))
    push(groups.ticket(record.ticket.public_token), "counter.receipt", {"receipt": receipt.public_token})
    transaction.on_commit(lambda: tasks.receipt_send.delay(receipt.pk))
    return receipt


def _finish_audit(record: ServiceRecord, receipt: Receipt | None) -> dict:
    return {
        "outcome": record.outcome,
        "receipt": receipt.number if receipt else None,
        "handling_seconds": record.handling_seconds,
        "corrections": record.corrections,
        "fields_overridden": record.fields_overridden,
        "fields_unverified": record.fields_unverified,
        "signature_sha256": record.signature_sha256,
        "receipt_pdf_sha256": receipt.pdf_sha256 if receipt else None,
    }


def _open_cooling_off(*, actor, record: ServiceRecord, results: list[CheckResult], outcome: str):
    """A completed wealth sale starts its cooling-off period; the customer may cancel inside it."""
    from compliance.services import cooling_off_open

    rule = next((result for result in results if result.rule == "cooling_off"), None)
    if rule is None or outcome != Outcome.DONE or record.customer_id is None:
        return
    values = record.form.values if record.form else {}
    product = values.get("product_code") or values.get("fund_code") or record.service_type.code
    cooling_off_open(
        actor=actor,
        customer_id=record.customer_id,
        branch_code=record.branch.code,
        service_record_ref=record.ref,
        product_code=product,
        sold_at=record.finished_at,
        hours=int(rule.data.get("hours", 24)),
    )


def _finish_errors(record, outcome, reason, referred_to) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if record.status != RecordStatus.IN_PROGRESS:
        errors["outcome"] = [str(formschema.MESSAGES["already_finished"])]
    elif outcome not in Outcome.values:
        errors["outcome"] = [str(formschema.MESSAGES["bad_choice"])]
    elif outcome == Outcome.NOT_DONE and not reason.strip():
        errors["reason"] = [str(formschema.MESSAGES["required"])]
    elif outcome == Outcome.REFERRED and not referred_to.strip():
        errors["referred_to"] = [str(formschema.MESSAGES["required"])]
    elif outcome == Outcome.DONE and not record.signature_sha256:
        errors["signature"] = [str(formschema.MESSAGES["signature_missing"])]
    return errors


def _unchecked_field_errors(record: ServiceRecord) -> dict[str, list[str]]:
    """A service is not done while a pre-filled field is neither confirmed nor corrected."""
    pending = verification.pending_fields(record)
    if not pending:
        return {}
    labels = verification.field_labels(record, pending, forms_ui.language())
    message = formschema.MESSAGES["fields_unchecked"] % {"count": len(pending), "fields": "、".join(labels)}
    errors = {"verification": [str(message)]}
    errors.update({f"form.{name}": [str(verification.PENDING_MESSAGE)] for name in pending})
    return errors


def _freeze_form(*, actor, record: ServiceRecord, now) -> None:
    tally = verification.counts(verification.field_states(record))
    record.corrections = tally[VerificationOutcome.CORRECTED]
    record.fields_overridden = tally[VerificationOutcome.OVERRIDDEN]
    record.fields_unverified = tally[verification.UNVERIFIED]
    if record.form is None:
        return
    form = record.form
    record.form_as_verified = form.values_json
    if form.status != FormStatus.VERIFIED:
        form.status, form.verified_at, form.verified_by = FormStatus.VERIFIED, now, actor
        form.submitted_at = form.submitted_at or now
        form.save(update_fields=["status", "verified_at", "verified_by", "submitted_at"])


def _receipt_issue(*, record: ServiceRecord, now) -> Receipt:
    number = f"R{now.astimezone(record.branch.tz):%Y%m%d}-{record.branch.code}-{record.pk:06d}"
    content = receipts.receipt_content(record, number=number, language=record.ticket.language)
    pdf = render_pdf(receipts.pdf_content(content, signature_png=record.signature_png))
    return Receipt.objects.create(
        record=record,
        number=number,
        content=content,
        pdf=pdf,
        pdf_sha256=images.sha256_hex(pdf),
        issued_at=now,
    )


@transaction.atomic
def receipt_notify(*, receipt_id: int) -> Receipt:
    """Send the receipt link by SMS and email once (a retried task sends nothing twice)."""
    from core.notifications import notify

    receipt = (
        Receipt.objects.select_for_update(of=("self",)).select_related("record__customer").get(pk=receipt_id)
    )
    customer = receipt.record.customer
    if receipt.sent_to or customer is None:
        return receipt
    subject, body = receipts.notification_text(receipt, survey=surveys.for_receipt(receipt) is not None)
    sent = []
    for channel, to in (("sms", customer.phone), ("email", customer.email)):
        if to:
            notify(channel=channel, to=to, subject=subject, body=body)
            sent.append(channel)
    receipt.sent_to = sent
    receipt.save(update_fields=["sent_to"])
    audit_record(
        actor=None,
        action="receipt.sent",
        obj=receipt,
        branch=receipt.record.branch,
        customer=customer.pk,
        after={"channels": sent},
    )
    return receipt
