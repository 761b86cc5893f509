"""The facts a service record gives the compliance checks, and their results."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from compliance.checks import CheckResult, Facts, blocking, run_checks
from counter import (
    verification,
)
from counter.models import (
    ServiceRecord,
)


def _form_fact(record: ServiceRecord, fact: str):
    """A form field marked `"fact": "<name>"` feeds that compliance fact; without a mark, the
    form's first money field is the amount."""
    if record.form is None:
        return None
    fields = record.form.fields
    marked = [spec for spec in fields if spec.get("fact") == fact]
    if not marked and fact == "amount":
        marked = [spec for spec in fields if spec["type"] == "money"]
    return record.form.values.get(marked[0]["name"]) if marked else None


def compliance_facts(record: ServiceRecord) -> Facts:
    from compliance.services import confirmed_disclosures, confirmed_steps, recording_for

    customer, today = record.customer, timezone.localdate()
    assessment = customer.current_risk_assessment() if customer else None
    # "First assessment in person" speaks of the customer's earliest assessment, not the latest:
    # a renewal done online is fine once the first one was face to face.
    first = customer.risk_assessments.order_by("assessed_on", "id").first() if customer else None
    steps = confirmed_steps(record.ref)
    amount = _form_fact(record, "amount")
    id_expires_on, id_checked = _id_expiry_fact(record)
    recording = recording_for(record.ref)
    return Facts(
        today=today,
        now=timezone.now(),
        customer_risk_level=assessment.level if assessment else None,
        assessment_date=assessment.assessed_on if assessment else None,
        assessment_expires_on=assessment.expires_on if assessment else None,
        first_assessment_in_person=first.in_person if first else None,
        elderly_confirmed="elderly_confirmation" in steps,
        cdd_answered="cdd_questions" in steps,
        customer_age=customer.age if customer else None,
        amount=_decimal_or_none(amount),
        has_appointment=record.ticket.source == "appointment",
        id_expires_on=id_expires_on,
        id_checked=id_checked,
        disclosures_confirmed=confirmed_disclosures(record.ref),
        recording_ref=getattr(recording, "external_id", None),
        recording_seconds=_recording_seconds(recording),
    )


def _id_expiry_fact(record: ServiceRecord) -> tuple[date | None, bool]:
    """The ID's expiry and whether anyone read it: a customer identified with an ID on file, or the
    form's expiry field checked by the teller. A customer's own typing is used but not "read"."""
    customer = record.customer
    on_file = customer is not None and bool(customer.id_number or customer.id_expiry)
    typed = _date_or_none(_form_fact(record, "id_expires_on"))
    if typed is None:
        return (customer.id_expiry if customer else None), on_file
    name = next(s["name"] for s in record.form.fields if s.get("fact") == "id_expires_on")
    checked = verification.field_states(record).get(name) in verification.CHECKED
    return typed, on_file or checked


def _decimal_or_none(value) -> Decimal | None:
    try:
        return Decimal(str(value)) if value else None
    except InvalidOperation:  # a draft may still hold what was typed
        return None


def _date_or_none(value) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _recording_seconds(recording) -> int | None:
    if recording is None or not getattr(recording, "ended_at", None):
        return None
    return int((recording.ended_at - recording.started_at).total_seconds())


def compliance_results(record: ServiceRecord) -> list[CheckResult]:
    from compliance.checks import ruleset_for

    service = record.service_type
    config = ruleset_for(branch_code=record.branch.code, service_code=service.code)
    return run_checks(
        service_code=service.code,
        product_risk_level=service.risk_level or None,
        facts=compliance_facts(record),
        config=config,
    )


def compliance_blocks(record: ServiceRecord, results: list[CheckResult]) -> list[CheckResult]:
    from compliance.checks import approved_overrides

    return blocking(results, overridden=approved_overrides(record.ref))
