"""Helpers shared by the counter services: the form error, JSON dumps, the service audit."""

from __future__ import annotations

import json

from compliance.audit import audit_record
from counter.models import (
    PrefilledForm,
    ServiceRecord,
)


class FormInvalid(Exception):
    """Bad input for a form: `errors` maps field name to translated messages; nothing was changed."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("form invalid")
        self.errors = errors


def _dumps(values: dict) -> str:
    return json.dumps(values, ensure_ascii=False, sort_keys=True)


def _branch_of(form: PrefilledForm):
    return form.branch or (form.ticket.branch if form.ticket_id else None)


def _audit_service(
    record: ServiceRecord, *, actor, action: str, after: dict | None = None, before: dict | None = None
) -> None:
    audit_record(
        actor=actor, action=action, obj=record, branch=record.branch, customer=record.customer_id,
        before=before, after=after,
    )
