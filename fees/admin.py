from django.contrib import admin

from fees.models import PublishedRate


@admin.register(PublishedRate)
class PublishedRateAdmin(admin.ModelAdmin):
    """Head office's rates in the admin: added (validated by fees.rates.check_rate through the
    model's clean, audited as every admin write), never edited: a change is a new rate."""

    list_display = ["name_zh_hans", "name_en", "kind", "rate", "selling", "branch", "effective_from"]
    list_filter = ["kind", "branch"]
    search_fields = ["code", "name_zh_hans", "name_en"]
    date_hierarchy = "effective_from"
    fields = ["branch", "kind", "code", "name_zh_hans", "name_en", "rate", "selling", "effective_from"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.fields, "published_by", "published_at"] if obj is not None else []

    def get_fields(self, request, obj=None):
        return [*self.fields, "published_by", "published_at"] if obj is not None else self.fields

    def save_form(self, request, form, change):
        rate = super().save_form(request, form, change)
        if not change:
            rate.published_by = request.user
        return rate
