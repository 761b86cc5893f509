from django.contrib import admin

from outreach.models import HomeVisit


@admin.register(HomeVisit)
class HomeVisitAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the services (and the audit trail)."""

    list_display = ["pk", "branch", "service_type", "status", "due_by", "scheduled_at"]
    list_filter = ["status", "branch"]
    list_select_related = ["branch", "service_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
