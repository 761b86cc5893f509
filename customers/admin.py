from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from compliance.adminaudit import ReadOnlyAdmin
from customers.models import Consent, Customer, RiskAssessment


class RiskAssessmentInline(admin.TabularInline):
    model = RiskAssessment
    extra = 0
    fields = ["level", "assessed_on", "expires_on", "in_person", "questionnaire_version"]
    readonly_fields = fields


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin):
    """Personal data shows masked here too; full values are revealed through the audited API.
    Read-only: customer information (name, VIP tier, ...) changes through a maker-checker change
    request (customers.makerchecker), never by one person in the admin."""

    list_display = ["customer_no", "name", "phone_shown", "id_number_shown", "segment",
                    "vip_tier", "home_branch"]
    list_filter = ["segment", "vip_tier", "home_branch", "preferred_language"]
    search_fields = ["customer_no", "name"]
    exclude = ["phone", "phone_digest", "id_number", "id_number_digest"]
    readonly_fields = ["phone_shown", "id_number_shown", "created_at", "updated_at"]
    inlines = [RiskAssessmentInline]
    list_select_related = ["home_branch"]

    @admin.display(description=_("phone (masked)"))
    def phone_shown(self, customer):
        return customer.masked_phone

    @admin.display(description=_("ID number (masked)"))
    def id_number_shown(self, customer):
        return customer.masked_id_number


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["customer", "kind", "text_version", "channel", "granted_at", "withdrawn_at"]
    list_filter = ["kind", "channel"]
    readonly_fields = ["customer", "kind", "text_version", "channel", "granted_at",
                       "captured_by", "withdrawn_at"]
