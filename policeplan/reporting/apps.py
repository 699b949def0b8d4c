from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "policeplan.reporting"
    verbose_name = "Board and Panel performance reports"
    default_auto_field = "django.db.models.BigAutoField"
