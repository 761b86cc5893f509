"""Read-only in the admin: fraud cases change only through the services (and so the audit trail)."""

from django.contrib import admin

from continuity.models import CoreRequest, FraudCase


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FraudCase)
class FraudCaseAdmin(ReadOnly):
    list_display = ["ref", "branch", "channel", "status", "reported_at", "escalation_level"]
    list_filter = ["status", "channel"]
    search_fields = ["ref"]


@admin.register(CoreRequest)
class CoreRequestAdmin(ReadOnly):
    list_display = ["case", "operation", "status", "attempts", "confirmed_at"]
