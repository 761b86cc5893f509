"""Read-only in the admin: fraud cases change only through the services (and so the audit trail)."""

from django.contrib import admin

from compliance.adminaudit import ReadOnlyAdmin
from continuity.models import CoreRequest, FraudCase


@admin.register(FraudCase)
class FraudCaseAdmin(ReadOnlyAdmin):
    list_display = ["ref", "branch", "channel", "status", "reported_at", "escalation_level"]
    list_filter = ["status", "channel"]
    search_fields = ["ref"]


@admin.register(CoreRequest)
class CoreRequestAdmin(ReadOnlyAdmin):
    list_display = ["case", "operation", "status", "attempts", "confirmed_at"]
