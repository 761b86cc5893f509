from django.contrib import admin

from compliance.adminaudit import ReadOnlyAdmin
from compliance.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["chain", "seq", "created_at", "action", "actor_name", "role", "branch_code",
                    "object_type", "object_id", "customer_id"]
    # Actions and roles are codes (appointment.book, teller): they are searched, not offered as a
    # filter list of raw codes.
    list_filter = ["branch_code"]
    search_fields = ["action", "actor_name", "object_id", "request_id"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in AuditEvent._meta.fields]


# --- compliance controls (helper "comp"): edits go through compliance.services, so they are audited


from django import forms  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from compliance import services as _controls  # noqa: E402
from compliance.models import (  # noqa: E402
    ChangeRequest,
    CoolingOff,
    DisclosureScript,
    DisclosureScriptVersion,
    RecordingReference,
    RuleEvaluation,
    RuleSetting,
)


@admin.register(RuleSetting)
class RuleSettingAdmin(admin.ModelAdmin):
    list_display = ["rule", "branch_code", "service_code", "product_code", "enabled", "severity",
                    "overridable", "params", "updated_at"]
    list_filter = ["rule", "enabled", "severity"]
    search_fields = ["branch_code", "service_code", "product_code"]

    def save_model(self, request, obj, form, change):
        _controls.rule_setting_save(actor=request.user, setting=obj)

    def delete_model(self, request, obj):
        _controls.rule_setting_delete(actor=request.user, setting=obj)

    def delete_queryset(self, request, queryset):
        for setting in queryset:
            _controls.rule_setting_delete(actor=request.user, setting=setting)


class DisclosureScriptVersionInline(admin.TabularInline):
    model = DisclosureScriptVersion
    extra = 0
    fields = ["version", "text_zh_hans", "text_en", "published_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DisclosureScriptForm(forms.ModelForm):
    new_text_zh_hans = forms.CharField(label=_("New version: text (Chinese)"), required=False,
                                       widget=forms.Textarea)
    new_text_en = forms.CharField(label=_("New version: text (English)"), required=False,
                                  widget=forms.Textarea)

    class Meta:
        model = DisclosureScript
        fields = ["code", "title_zh_hans", "title_en", "service_codes", "product_codes", "active"]

    def clean(self):
        data = super().clean()
        if bool(data.get("new_text_zh_hans")) != bool(data.get("new_text_en")):
            raise forms.ValidationError(_("A new version needs both the Chinese and the English "
                                          "text."))
        return data


@admin.register(DisclosureScript)
class DisclosureScriptAdmin(admin.ModelAdmin):
    form = DisclosureScriptForm
    list_display = ["code", "title_zh_hans", "title_en", "active"]
    inlines = [DisclosureScriptVersionInline]

    def save_model(self, request, obj, form, change):
        _controls.disclosure_script_save(actor=request.user, script=obj)
        if form.cleaned_data.get("new_text_zh_hans"):
            _controls.disclosure_version_publish(
                actor=request.user, script=obj, text_zh_hans=form.cleaned_data["new_text_zh_hans"],
                text_en=form.cleaned_data["new_text_en"])

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RuleEvaluation)
class RuleEvaluationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "branch_code", "service_code", "service_record_ref",
                    "customer_id", "actor", "outcome"]
    list_filter = ["outcome", "service_code", "branch_code"]
    list_select_related = ["actor"]
    search_fields = ["service_record_ref"]
    date_hierarchy = "created_at"


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "status", "target_label", "target_id", "maker",
                    "checker", "decided_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["maker", "checker"]
    exclude = ["payload"]  # personal data: the approvals page shows the masked diff


@admin.register(RecordingReference)
class RecordingReferenceAdmin(ReadOnlyAdmin):
    list_display = ["service_record_ref", "external_id", "started_at", "ended_at", "attached_by"]
    list_select_related = ["attached_by"]
    search_fields = ["service_record_ref", "external_id"]


@admin.register(CoolingOff)
class CoolingOffAdmin(ReadOnlyAdmin):
    list_display = ["service_record_ref", "customer_id", "product_code", "sold_at", "deadline",
                    "status"]
    list_filter = ["status"]
