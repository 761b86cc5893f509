"""Read-only admin: tickets and counter sessions change only through the services."""

from django.contrib import admin

from compliance.adminaudit import ReadOnlyAdmin
from queueing.models import CounterSession, Ticket, TicketEvent


class TicketEventInline(admin.TabularInline):
    model = TicketEvent
    extra = 0
    fields = ["kind", "at", "counter", "actor", "data"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["number", "branch", "business_date", "status", "service_type", "source",
                    "priority_class", "counter", "issued_at", "quoted_wait_seconds",
                    "actual_wait_seconds"]
    list_filter = ["status", "source", "priority_class", "channel", "business_date", "branch"]
    search_fields = ["number", "branch__code"]
    list_select_related = ["branch", "service_type", "counter"]
    date_hierarchy = "issued_at"
    exclude = ["public_token"]
    inlines = [TicketEventInline]


@admin.register(CounterSession)
class CounterSessionAdmin(ReadOnlyAdmin):
    list_display = ["counter", "teller", "opened_at", "closed_at"]
    list_filter = ["counter__branch"]
    list_select_related = ["counter__branch", "teller"]
