"""What the teller has checked on a service's form, field by field (read-only).

A field the customer pre-filled must be confirmed or corrected by the teller before the service
is finished as done; a supervisor may override what is still open, with a reason. Fields the teller
typed at the counter need no second check. The receipt, the KPIs and the console all read the
per-field state from here, so none of them can call an unchecked field "verified".
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from counter import formschema
from counter.models import FormSource, ServiceRecord, VerificationOutcome

UNVERIFIED = "unverified"
ENTERED = "entered"  # typed by the teller at the counter

LABELS = {
    VerificationOutcome.CONFIRMED: pgettext_lazy("field check", "Verified"),
    VerificationOutcome.CORRECTED: pgettext_lazy("field check", "Corrected"),
    VerificationOutcome.OVERRIDDEN: pgettext_lazy("field check", "Not verified (supervisor override)"),
    UNVERIFIED: pgettext_lazy("field check", "Not verified"),
    ENTERED: pgettext_lazy("field check", "Entered at the counter"),
}
# The teller looked at the value (or typed it): it may be relied on as read.
CHECKED = frozenset({VerificationOutcome.CONFIRMED, VerificationOutcome.CORRECTED, ENTERED})
PENDING_MESSAGE = _("Confirm or correct this field before finishing.")


def latest_checks(form) -> dict:
    """The teller's (or supervisor's) latest check of each field."""
    if form is None:
        return {}
    return {v.field_name: v for v in form.verifications.order_by("at", "id")}


def _prefilled_values(record: ServiceRecord) -> dict:
    if record.form is None or record.form.source == FormSource.TELLER:
        return {}
    return record.filled_values or record.form.submitted_values


def field_states(record: ServiceRecord, checks: dict | None = None) -> dict[str, str]:
    """field name -> confirmed | corrected | overridden | unverified | entered, for every field that
    holds a value (photos are checked with the document, not one by one)."""
    if record.form is None:
        return {}
    checks = latest_checks(record.form) if checks is None else checks
    prefilled, values = _prefilled_values(record), record.form.values
    states = {}
    for field in formschema.parse(record.form.fields):
        if field.type == "document_photo" or not formschema.is_visible(field, values):
            continue
        if formschema.is_empty(prefilled.get(field.name)):
            if not formschema.is_empty(values.get(field.name)):
                states[field.name] = ENTERED
            continue
        check = checks.get(field.name)
        states[field.name] = check.outcome if check else UNVERIFIED
    return states


def pending_fields(record: ServiceRecord, checks: dict | None = None) -> list[str]:
    """Pre-filled fields neither confirmed, corrected nor overridden, in form order."""
    return [name for name, state in field_states(record, checks).items() if state == UNVERIFIED]


def field_labels(record: ServiceRecord, names: list[str], lang: str) -> list[str]:
    by_name = {f.name: f for f in formschema.parse(record.form.fields)} if record.form else {}
    return [by_name[name].label(lang) if name in by_name else name for name in names]


def counts(states: dict[str, str]) -> dict[str, int]:
    values = list(states.values())
    return {state: values.count(state) for state in (*VerificationOutcome.values, UNVERIFIED)}
