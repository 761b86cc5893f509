from django.contrib import admin

from servicedesk.models import Category, SLAPolicy, StaffSkill


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh_hans", "name_en", "level", "department_kind"]
    list_filter = ["level"]
    search_fields = ["code", "name_zh_hans", "name_en"]


@admin.register(SLAPolicy)
class SLAPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "order",
        "name_zh_hans",
        "work_order_kind",
        "priority",
        "complex_case",
        "first_response_minutes",
        "update_cadence_hours",
        "resolution_minutes",
        "resolution_clock",
        "is_active",
    ]
    list_editable = ["is_active"]


@admin.register(StaffSkill)
class StaffSkillAdmin(admin.ModelAdmin):
    list_display = ["user", "category"]
    list_select_related = ["user", "category"]
