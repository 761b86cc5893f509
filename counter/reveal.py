"""A pre-filled form's personal numbers in full: one field at a time, with a reason, audited.

Everything else shows them masked (`masked_form_values`). Tellers and wealth managers who verify
the form, and staff holding the reveal permission, may ask."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from branches.access import user_role
from compliance.audit import audit_record
from core import pii
from counter import formschema
from counter.access import COUNTER_ROLES
from counter.models import PrefilledForm

MIN_REASON_LENGTH = 4


def masked_form_values(form: PrefilledForm) -> dict:
    """The form's values as the API gives them to anyone but the customer whose form it is."""
    fields = {f.name: f for f in formschema.parse(form.fields)}
    shown = {}
    for name, value in form.values.items():
        f = fields.get(name)
        if f is not None and f.pii:
            shown[name] = formschema.mask_value(f, value)
        else:
            shown[name] = pii.mask_personal_numbers(value) if isinstance(value, str) else value
    return shown


@transaction.atomic
def form_field_reveal(*, actor, form: PrefilledForm, field: str, reason: str):
    if user_role(actor) not in COUNTER_ROLES and not actor.has_perm("customers.reveal_personal_data"):
        raise PermissionDenied
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError({"reason": [_("Say why you need the full value (at least 4 "
                                            "characters).")]})
    if field not in form.values or field not in {f.name for f in formschema.parse(form.fields)}:
        raise ValidationError({"field": [_("This field cannot be revealed.")]})
    audit_record(actor=actor, action="form.reveal", obj=form, branch=form.branch,
                 customer=form.customer_id, after={"field": field, "reason": reason})
    return form.values[field]
