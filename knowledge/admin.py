"""Admin: the synonym table (and read-only views of content). Writes go through services."""

from django.contrib import admin

from knowledge import services
from knowledge.models import Category, KnowledgeGap, SynonymGroup


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    list_display = ["terms", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["terms"]

    def save_model(self, request, obj, form, change):
        services.synonym_group_save(actor=request.user, group=obj)

    def delete_model(self, request, obj):
        services.synonym_group_delete(actor=request.user, group=obj)

    def delete_queryset(self, request, queryset):
        for group in queryset:
            services.synonym_group_delete(actor=request.user, group=group)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["slug", "kind", "name_zh_hans", "name_en", "parent", "sort_order"]
    list_filter = ["kind"]


@admin.register(KnowledgeGap)
class KnowledgeGapAdmin(admin.ModelAdmin):
    list_display = ["question", "times_asked", "status", "last_asked_at"]
    list_filter = ["status"]
    readonly_fields = ["question", "times_asked", "first_asked_at", "last_asked_at"]

    def has_add_permission(self, request):
        return False
