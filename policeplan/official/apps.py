from django.apps import AppConfig


class OfficialConfig(AppConfig):
    name = "policeplan.official"
    label = "official"
    verbose_name = "Official statistics (ONS)"
    default_auto_field = "django.db.models.BigAutoField"
