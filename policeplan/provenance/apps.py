from django.apps import AppConfig


class ProvenanceConfig(AppConfig):
    """The ground floor of every import: ``ImportRun`` and the one import lifecycle."""

    name = "policeplan.provenance"
    label = "provenance"
    default_auto_field = "django.db.models.BigAutoField"
