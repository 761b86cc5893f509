"""Whose form is it? The identity on the form against the customer identified at the counter.

Read-only. The customer at the counter is the ticket's customer: identified by an ID card read or
face check-in at the kiosk, the signed-in customer who took the ticket, or the appointment's
customer. A form in another person's name is served only once the teller records the person at the
counter as an agent (代办) or corrects the form.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.pii import mask_id_number, mask_name
from counter import formschema

MATCH = "match"
MISMATCH = "mismatch"
AGENT = "agent"  # a mismatch explained: an agent acts for the form's holder
NOT_CHECKED = "not_checked"  # nobody identified at the counter
NONE = "none"  # the form (if any) names nobody: nothing to compare

NAME_FIELDS = ("full_name", "name", "customer_name")


def _identity_fields(form) -> tuple[str | None, str | None]:
    """The form's name field and ID number field (a schema may mark them with `fact`)."""
    parsed = formschema.parse(form.fields)
    name = next((f.name for f in parsed if f.spec.get("fact") == "customer_name"), None) or next(
        (f.name for f in parsed if f.name in NAME_FIELDS), None
    )
    id_number = next((f.name for f in parsed if f.spec.get("fact") == "id_number"), None) or next(
        (f.name for f in parsed if f.type == "resident_id"), None
    )
    return name, id_number


def form_identity(form) -> tuple[str, str]:
    """(name, ID number) as written on the form; empty where the form has no such field."""
    if form is None:
        return "", ""
    name_field, id_field = _identity_fields(form)
    values = form.values
    name = str(values.get(name_field) or "").strip() if name_field else ""
    id_number = str(values.get(id_field) or "").strip().upper() if id_field else ""
    return name, id_number


def _same_name(a: str, b: str) -> bool:
    return "".join(a.split()).casefold() == "".join(b.split()).casefold()


def mismatched_fields(form, customer) -> list[str] | None:
    """Names of the form's identity fields that differ from the customer; None when not comparable."""
    if form is None or customer is None:
        return None
    name, id_number = form_identity(form)
    if not name and not id_number:
        return None
    name_field, id_field = _identity_fields(form)
    differ = []
    if name and not _same_name(name, customer.name):
        differ.append(name_field)
    if id_number and customer.id_number and id_number != customer.id_number.upper():
        differ.append(id_field)
    return differ


@dataclass(frozen=True)
class IdentityCheck:
    state: str
    form_name: str = ""
    form_id_number: str = ""  # masked
    customer_name: str = ""  # masked
    customer_id_number: str = ""  # masked
    fields: list[str] = field(default_factory=list)  # the form fields that differ

    @property
    def blocks(self) -> bool:
        return self.state == MISMATCH


def check(record) -> IdentityCheck:
    name, id_number = form_identity(record.form)
    customer = record.customer
    masked = {"form_name": mask_name(name) if name else "", "form_id_number": mask_id_number(id_number)}
    if customer is not None:
        masked |= {"customer_name": customer.masked_name, "customer_id_number": customer.masked_id_number}
    if customer is None:
        return IdentityCheck(NOT_CHECKED, **masked)
    differ = mismatched_fields(record.form, customer)
    if differ is None:
        return IdentityCheck(NONE, **masked)
    if not differ:
        return IdentityCheck(MATCH, **masked)
    return IdentityCheck(AGENT if record.agent_id_number else MISMATCH, fields=differ, **masked)
