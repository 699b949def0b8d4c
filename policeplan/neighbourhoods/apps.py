from django.apps import AppConfig


class NeighbourhoodsConfig(AppConfig):
    name = "policeplan.neighbourhoods"
    label = "neighbourhoods"
    verbose_name = "Neighbourhood policing teams"
    default_auto_field = "django.db.models.BigAutoField"
