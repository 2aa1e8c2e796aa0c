from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = "Imports"

    def ready(self) -> None:
        from core import notifications
        from imports.notifications import FINISHED, compose_finished_email

        notifications.register(FINISHED, compose_finished_email)
