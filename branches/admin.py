from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from branches.models import (
    ApiClient,
    ApiScope,
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
from branches.roles import NETWORK_ROLES, STAFF_ROLES, Role
from branches.services import api_client_create, api_client_revoke
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
    list_display = ["employee_no", "user", "role", "branch", "department", "seniority", "sign_language"]
    list_filter = ["role", "branch", "department", "seniority", "is_remote_teller", "sign_language"]
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


class ApiClientForm(forms.ModelForm):
    role = forms.ChoiceField(label=_("role"), choices=sorted((str(r), r.label) for r in STAFF_ROLES))
    branch = forms.ModelChoiceField(label=_("branch"), queryset=Branch.objects.all(), required=False)
    scopes = forms.MultipleChoiceField(label=_("scopes"), choices=ApiScope.choices,
                                       widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ApiClient
        fields = ["name"]

    def clean(self):
        data = super().clean()
        if data.get("role") and not data.get("branch") and Role(data["role"]) not in NETWORK_ROLES:
            self.add_error("branch", _("A branch role needs a branch."))
        return data


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """Head office registers integrations here (or through /api/v1/api-clients/); the key is shown
    once, in the confirmation message. Creating and revoking go through the audited services."""

    writes_through_services = True
    list_display = ["name", "key_prefix", "scopes", "created_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "key_prefix"]
    actions = ["revoke"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiClientForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["name", "user", "scopes", "key_prefix", "created_by", "created_at", "revoked_at",
                "revoked_by", "last_used_at"]

    def get_exclude(self, request, obj=None):
        return ["key_hash"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            client, key = api_client_create(
                actor=request.user, name=form.cleaned_data["name"], role=form.cleaned_data["role"],
                branch=form.cleaned_data.get("branch"), scopes=form.cleaned_data["scopes"])
        except ValueError as error:
            messages.error(request, str(error))
            return
        obj.pk = client.pk
        messages.warning(request, _("The key of %(name)s, shown this once: %(key)s") % {
            "name": client.name, "key": key})

    @admin.action(description=_("Revoke the selected API clients"))
    def revoke(self, request, queryset):
        for client in queryset:
            api_client_revoke(actor=request.user, client=client)
