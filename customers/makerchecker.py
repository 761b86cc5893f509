"""Customers' part of maker-checker and of the compliance hooks (wired in apps.ready()).

Customer-information changes and full reveals of personal data need a second person; compliance
cannot import customers, so the appliers are registered from here.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from branches.access import staff_branches, user_role
from branches.roles import NETWORK_ROLES, Role
from compliance import hooks
from compliance.audit import audit_record
from compliance.makerchecker import ChangeKind, register_applier, reveal_granted
from core.pii import mask_id_number, mask_phone
from customers.models import Customer
from customers.validators import validate_cn_mobile

CHANGEABLE_FIELDS = ("name", "phone", "email", "id_expiry", "birth_date", "preferred_language")
_MASKS = {"phone": mask_phone, "id_number": mask_id_number}


def customer_snapshot(customer: Customer) -> dict:
    def plain(value):
        return value.isoformat() if isinstance(value, dt.date) else value

    return {field: plain(getattr(customer, field)) for field in CHANGEABLE_FIELDS}


def mask_customer_field(field: str, value) -> str:
    mask = _MASKS.get(field)
    return mask(str(value)) if mask and value else str(value)


def _scope(customer: Customer) -> tuple[str, int]:
    return (customer.home_branch.code if customer.home_branch_id else ""), customer.pk


def customer_info_validate(customer: Customer, after: dict) -> None:
    """Refuse a change request that could never be applied."""
    unknown = set(after) - set(CHANGEABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    errors = {}
    if "phone" in after:
        try:
            validate_cn_mobile(str(after["phone"]))
        except ValidationError as error:
            errors["phone"] = error.messages
    for field in ("id_expiry", "birth_date"):
        if after.get(field):
            try:
                dt.date.fromisoformat(str(after[field]))
            except ValueError:
                errors[field] = [_("Enter a date such as 2030-12-31.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def customer_info_apply(customer: Customer, after: dict, *, actor) -> None:
    """Apply an approved change of the customer's details."""
    customer_info_validate(customer, after)
    before = customer_snapshot(customer)
    for field, value in after.items():
        if field == "phone":
            customer.set_phone(value)
        elif field in ("id_expiry", "birth_date"):
            setattr(customer, field, dt.date.fromisoformat(value) if value else None)
        else:
            setattr(customer, field, value)
    customer.full_clean(exclude=["user", "home_branch"])
    fields = [*after, *(["phone_digest"] if "phone" in after else []), "updated_at"]
    customer.save(update_fields=fields)
    audit_record(actor=actor, action="customer.change", obj=customer, branch=customer.home_branch,
                 customer=customer,
                 before={k: mask_customer_field(k, before[k]) for k in after},
                 after={k: mask_customer_field(k, v) for k, v in after.items()})


def _reveal_apply(customer: Customer, after: dict, *, actor) -> None:
    """Approval grants the maker the reveal for a while (see compliance.makerchecker)."""


def customer_reveal_approved(*, actor, customer: Customer, field: str) -> str:
    """The full value of a field whose reveal a second person approved (audited)."""
    if field not in _MASKS or not reveal_granted(user=actor, customer_id=customer.pk,
                                                 fields=[field]):
        raise ValidationError(_("No approved reveal of this field."))
    with transaction.atomic():
        audit_record(actor=actor, action="customer.reveal", obj=customer,
                     branch=customer.home_branch, customer=customer,
                     after={"field": field, "approved": True})
    return getattr(customer, field)


def _branch_codes(user) -> set[str] | None:
    role = user_role(user)
    profile = getattr(user, "staff_profile", None)
    if role in NETWORK_ROLES and (profile is None or profile.branch_id is None):
        return None
    return set(staff_branches(user).values_list("code", flat=True))


def _customer_id(user) -> int | None:
    if user_role(user) != Role.CUSTOMER:
        return None
    return Customer.objects.filter(user=user).values_list("pk", flat=True).first()


register_applier(ChangeKind.CUSTOMER_INFO, "customers.customer", customer_info_apply,
                 customer_snapshot, mask_fn=mask_customer_field, scope_fn=_scope,
                 validate_fn=customer_info_validate)
register_applier(ChangeKind.PII_REVEAL, "customers.customer", _reveal_apply,
                 lambda customer: {}, mask_fn=mask_customer_field, scope_fn=_scope)
hooks.register_branch_scope(_branch_codes)
hooks.register_customer_resolver(_customer_id)
