"""A read-only admin for every project model that has no admin of its own.

Domain records change only through the audited service functions, so the admin shows them (with
lists, filters and search) but never adds, edits or deletes them. Encrypted fields and secrets
(token and code hashes) are never shown.
"""

from django.contrib import admin
from django.db import models

from compliance.adminaudit import AuditedAdminMixin
from compliance.fields import EncryptedBinaryField, EncryptedTextField
from core.apps_registry import PROJECT_APPS

_SECRET_WORDS = ("hash", "token", "secret", "encoding", "otp")
# Kept out of the admin altogether: biometric enrolments are C3 data (even their existence is
# shown only on the consent page), and one-time sign-in codes are secrets while they live.
NO_ADMIN = {"customers.FaceEnrolment", "customers.FaceGallery", "appointments.SignInCode"}


def _shown(field) -> bool:
    if isinstance(field, EncryptedTextField | EncryptedBinaryField | models.BinaryField):
        return False
    return not any(word in field.name for word in _SECRET_WORDS)


def read_only_admin(model) -> type[admin.ModelAdmin]:
    fields = [f for f in model._meta.concrete_fields if _shown(f)]
    filters = [f.name for f in fields
               if f.choices or isinstance(f, models.BooleanField | models.ForeignKey)][:6]
    searchable = [f.name for f in fields if isinstance(f, models.CharField) and not f.choices][:4]
    dates = [f.name for f in fields if isinstance(f, models.DateTimeField | models.DateField)]

    class ReadOnlyAdmin(admin.ModelAdmin):
        list_display = [f.name for f in fields][:8]
        list_filter = filters
        search_fields = searchable
        date_hierarchy = dates[0] if dates else None
        list_select_related = True
        exclude = [f.name for f in model._meta.concrete_fields if not _shown(f)]

        def get_readonly_fields(self, request, obj=None):
            return [f.name for f in fields]

        def has_add_permission(self, request):
            return False

        def has_change_permission(self, request, obj=None):
            return False

        def has_delete_permission(self, request, obj=None):
            return False

    return ReadOnlyAdmin


def register_missing_admins() -> None:
    from django.apps import apps

    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label not in NO_ADMIN and not admin.site.is_registered(model):
                admin.site.register(model, read_only_admin(model))


def audit_every_admin() -> None:
    """Give every registered ModelAdmin (ours and third-party ones) the audited save and delete."""
    for model, model_admin in list(admin.site._registry.items()):
        if isinstance(model_admin, AuditedAdminMixin):
            continue
        # An admin that overrides save_model calls its app's audited service there.
        own_save = type(model_admin).save_model is not admin.ModelAdmin.save_model
        audited = type(f"Audited{type(model_admin).__name__}",
                       (AuditedAdminMixin, type(model_admin)), {"writes_through_services": own_save})
        admin.site.unregister(model)
        admin.site.register(model, audited)
