from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "policeplan.registers"
    label = "registers"
    verbose_name = "Accountability registers"

    def ready(self) -> None:
        from . import publication

        publication.register_with_the_workflow()
