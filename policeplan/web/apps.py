from django.apps import AppConfig


class WebConfig(AppConfig):
    """How the site meets HTTP: error pages, request limits, request logs, health, the cache
    table and the security headers' settings. No public pages of its own."""

    name = "policeplan.web"
    label = "web"
    default_auto_field = "django.db.models.BigAutoField"
