from django.contrib import admin

from . import models


@admin.register(models.OfficialTable)
class OfficialTableAdmin(admin.ModelAdmin):
    list_display = ["table", "kind", "sheet", "coverage", "import_run"]
    list_filter = ["table", "kind"]
    list_select_related = ["import_run"]


@admin.register(models.OfficialObservation)
class OfficialObservationAdmin(admin.ModelAdmin):
    list_display = ["period_end", "table", "area", "measure", "unit", "value", "marker", "cell"]
    list_filter = ["table", "unit", "period_end"]
    search_fields = ["measure", "area__name", "area__code"]
    list_select_related = ["area"]
    raw_id_fields = ["import_run", "area"]
