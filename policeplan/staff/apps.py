from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "policeplan.staff"
    label = "staff"
    verbose_name = "Staff"

    def ready(self) -> None:
        from . import audit

        audit.register_audited_models()
