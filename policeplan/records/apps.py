from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "policeplan.records"
    label = "records"
    default_auto_field = "django.db.models.BigAutoField"
