from django.contrib import admin

from appointments.models import Appointment, AppointmentSeries, CounterBreak, GroupSession


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the services (and the audit trail)."""

    list_display = ["code", "branch", "service_type", "start", "status", "mode"]
    list_filter = ["status", "branch"]
    list_select_related = ["branch", "service_type"]
    search_fields = ["code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CounterBreak)
class CounterBreakAdmin(admin.ModelAdmin):
    list_display = ["service_point", "start", "end"]
    list_select_related = ["service_point"]


@admin.register(AppointmentSeries, GroupSession)
class ReadOnlyAdmin(admin.ModelAdmin):
    """Series and classes change only through their services (audited)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
