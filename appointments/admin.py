from django.contrib import admin

from appointments.models import Appointment, AppointmentSeries, CounterBreak, GroupSession
from compliance.adminaudit import ReadOnlyAdmin


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    """Read-only: every change goes through the services (and the audit trail)."""

    list_display = ["code", "branch", "service_type", "start", "status", "mode"]
    list_filter = ["status", "branch"]
    list_select_related = ["branch", "service_type"]
    search_fields = ["code"]


@admin.register(CounterBreak)
class CounterBreakAdmin(admin.ModelAdmin):
    list_display = ["service_point", "start", "end"]
    list_select_related = ["service_point"]


@admin.register(AppointmentSeries, GroupSession)
class SeriesAndClassAdmin(ReadOnlyAdmin):
    """Series and classes change only through their services (audited)."""
