from django.contrib import admin

from . import models


class MissionInline(admin.TabularInline):
    model = models.Mission
    fields = ["order", "slug", "title"]
    extra = 0
    show_change_link = True


@admin.register(models.Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "force", "period_start", "period_end", "status", "partial"]
    readonly_fields = ["content_sha256", "loaded_at"]
    inlines = [MissionInline]


@admin.register(models.PlanLoad)
class PlanLoadAdmin(admin.ModelAdmin):
    list_display = ["plan", "loaded_at", "changed", "content_sha256", "source_path"]
    list_filter = ["plan", "changed"]


@admin.register(models.Mission)
class MissionAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "order"]
    list_filter = ["plan"]


@admin.register(models.Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["title", "mission", "order"]
    list_filter = ["mission__plan", "mission"]


@admin.register(models.Metric)
class MetricAdmin(admin.ModelAdmin):
    list_display = ["name", "strategy", "source_kind", "source_label", "polarity", "headline"]
    list_filter = ["plan", "headline", "source_kind", "polarity", "strategy__mission"]
    search_fields = ["name", "slug", "definition"]


for simple in (models.NationalPriority, models.GovernanceBody, models.Partnership):
    admin.site.register(simple)
