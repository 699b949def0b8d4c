from django.apps import AppConfig


class GeographyConfig(AppConfig):
    name = "policeplan.geography"
    label = "geography"
    default_auto_field = "django.db.models.BigAutoField"
