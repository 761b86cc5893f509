"""Writes made in the Django admin are audit events like any other write.

`AuditedAdminMixin` records each add, change and delete (and the inline rows and many-to-many
choices saved with it) with before/after values, in the admin's own transaction. Every registered
ModelAdmin gets it (`branchsvc.admin_defaults.audit_every_admin`), the third-party ones (users,
groups, authenticators, beat schedules) included; an admin whose writes already go through an
audited service says so with `writes_through_services = True`.
"""

from django.db import models, transaction
from django.forms.models import model_to_dict

from compliance.audit import audit_record
from compliance.fields import EncryptedBinaryField, EncryptedTextField
from core.pii import mask_personal_numbers

_SECRET_NAMES = ("hash", "token", "secret", "encoding", "otp", "password")
_SECRET_FIELDS = {"key", "session_key", "session_data"}


def _recorded(field) -> bool:
    if isinstance(field, EncryptedTextField | EncryptedBinaryField | models.BinaryField):
        return False
    return field.name not in _SECRET_FIELDS and not any(word in field.name for word in _SECRET_NAMES)


def snapshot(obj) -> dict:
    """The object's values as an audit event may hold them: no secrets, numbers masked."""
    if obj is None:
        return {}
    names = [field.name for field in obj._meta.concrete_fields if _recorded(field)]
    values = model_to_dict(obj, fields=names)
    for field in obj._meta.many_to_many:
        if obj.pk is not None:
            values[field.name] = sorted(str(pk) for pk in
                                        getattr(obj, field.name).values_list("pk", flat=True))
    return {name: mask_personal_numbers(value) if isinstance(value, str) else
            value if isinstance(value, int | float | bool | type(None) | list) else str(value)
            for name, value in values.items()}


def _branch_of(obj):
    if obj._meta.label_lower == "branches.branch":
        return obj
    for name in ("branch", "home_branch"):
        if getattr(obj, f"{name}_id", None) is not None:
            return getattr(obj, name)
    return getattr(obj, "branch_code", None) or None


def admin_audit(*, request, obj, action: str, before: dict, after: dict) -> None:
    changed = sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))
    audit_record(actor=request.user, action=f"admin.{action}", obj=obj, branch=_branch_of(obj),
                 before=before or None, after=after or None,
                 summary=f"{obj._meta.verbose_name} {action} in the admin: {', '.join(changed)}")


class AuditedAdminMixin:
    writes_through_services = False

    def save_model(self, request, obj, form, change):
        if self.writes_through_services:
            return super().save_model(request, obj, form, change)
        stored = type(obj)._default_manager.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        request._admin_audit_before = snapshot(stored)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if self.writes_through_services:
            return
        obj = form.instance
        after = snapshot(obj)
        for formset in formsets:
            if formset.has_changed():
                after[formset.prefix] = [snapshot(row) for row in formset.get_queryset()]
        admin_audit(request=request, obj=obj, action="change" if change else "add",
                    before=getattr(request, "_admin_audit_before", {}), after=after)
        request._admin_audited = (obj._meta.label_lower, obj.pk)

    def log_change(self, request, obj, message):
        # Admin views that save without save_model (a user's password form) still log the
        # change: record it here unless save_related already did.
        if not self.writes_through_services and \
                getattr(request, "_admin_audited", None) != (obj._meta.label_lower, obj.pk):
            with transaction.atomic():
                admin_audit(request=request, obj=obj, action="change", before={},
                            after=snapshot(obj))
        return super().log_change(request, obj, message)

    def delete_model(self, request, obj):
        if not self.writes_through_services:
            admin_audit(request=request, obj=obj, action="delete", before=snapshot(obj), after={})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        if self.writes_through_services:
            return super().delete_queryset(request, queryset)
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)


class ReadOnlyAdminMixin:
    """For records that change only through services (or a maker-checker request)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
