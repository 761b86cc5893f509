from django.contrib import admin

from branches.models import (
    Branch,
    CalendarException,
    Department,
    Device,
    FormSchema,
    OpeningHours,
    ScheduleDay,
    ScheduleYear,
    ServicePoint,
    ServiceType,
    StaffProfile,
    Zone,
)
from compliance.adminaudit import ReadOnlyAdmin


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class ZoneInline(admin.TabularInline):
    model = Zone
    extra = 0


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh_hans", "name_en", "region", "is_active"]
    list_filter = ["region", "is_active"]
    search_fields = ["code", "name_zh_hans", "name_en"]
    inlines = [ZoneInline, OpeningHoursInline]


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "branch", "opens", "closes", "note"]
    list_filter = ["kind", "branch"]
    date_hierarchy = "date"


@admin.register(ScheduleYear)
class ScheduleYearAdmin(ReadOnlyAdmin):
    list_display = ["year", "status", "source", "confirmed_at", "confirmed_by", "alerted_on"]


@admin.register(ScheduleDay)
class ScheduleDayAdmin(ReadOnlyAdmin):
    list_display = ["date", "kind", "name", "scope", "region", "branch"]
    list_filter = ["kind", "scope", "region"]
    date_hierarchy = "date"


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh_hans", "category", "complexity", "target_minutes",
                    "allow_kiosk", "allow_vtm", "allow_counter", "risk_level", "needs_appointment",
                    "is_active"]
    list_filter = ["category", "complexity", "risk_level", "needs_appointment", "is_active"]
    search_fields = ["code", "name_zh_hans", "name_en", "keywords"]


@admin.register(FormSchema)
class FormSchemaAdmin(admin.ModelAdmin):
    list_display = ["service_type", "version", "created_at"]
    list_filter = ["service_type"]


@admin.register(ServicePoint)
class ServicePointAdmin(admin.ModelAdmin):
    list_display = ["code", "branch", "zone", "kind", "status", "work_queues"]
    list_filter = ["branch", "kind", "status"]
    filter_horizontal = ["service_types"]
    # The work profile is set on the lobby dashboard or the API, through the audited service.
    readonly_fields = ["work_queues", "work_mode", "work_ratios"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh_hans", "kind", "branch", "head"]
    list_filter = ["kind", "branch"]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["employee_no", "user", "role", "branch", "department", "seniority"]
    list_filter = ["role", "branch", "department", "seniority"]
    search_fields = ["employee_no", "user__username", "user__first_name", "user__last_name"]
    filter_horizontal = ["skills"]
    list_select_related = ["user", "branch", "department"]


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ["name", "branch", "kind", "token_prefix", "issued_at", "revoked_at",
                    "last_seen_at"]
    list_filter = ["branch", "kind"]
    readonly_fields = ["token_prefix", "token_hash", "issued_by", "issued_at", "revoked_at",
                       "revoked_by", "last_seen_at"]

    def has_add_permission(self, request):
        # Tokens are issued on the branch's device page, which shows the token once.
        return False
