from django.apps import AppConfig


class AnonymizationConfig(AppConfig):
    name = "anonymization"
    verbose_name = "Anonymization"

    def ready(self) -> None:
        from anonymization.notifications import CONFIRMATION, compose_confirmation
        from core import notifications

        notifications.register(CONFIRMATION, compose_confirmation)
