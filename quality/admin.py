"""Read-only in the admin: checklists, inspections and actions change only through the services
(and so the audit trail)."""

from django.contrib import admin

from compliance.adminaudit import ReadOnlyAdmin
from quality.models import ChecklistItem, ChecklistVersion, CorrectiveAction, Inspection


class ItemsInline(admin.TabularInline):
    model = ChecklistItem
    fields = ["sort", "code", "section", "text_zh_hans", "weight"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(ReadOnlyAdmin):
    list_display = ["checklist", "number", "published_at", "note"]
    inlines = [ItemsInline]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["branch", "kind", "scheduled_for", "status", "score", "inspector"]
    list_filter = ["status", "kind"]


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(ReadOnlyAdmin):
    list_display = ["branch", "answer", "owner", "status", "due_at", "escalated_at"]
    list_filter = ["status"]
