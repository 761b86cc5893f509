from django.contrib import admin

from compliance.adminaudit import ReadOnlyAdmin
from outreach.models import HomeVisit


@admin.register(HomeVisit)
class HomeVisitAdmin(ReadOnlyAdmin):
    """Read-only: every change goes through the services (and the audit trail)."""

    list_display = ["pk", "branch", "service_type", "status", "due_by", "scheduled_at"]
    list_filter = ["status", "branch"]
    list_select_related = ["branch", "service_type"]
