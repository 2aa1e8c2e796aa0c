from django.apps import AppConfig
from django.urls import register_converter

from core.ids import IdConverter


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Background jobs and system mail"

    def ready(self) -> None:
        # Once, before any URLconf is read: every app's patterns use <id:...>.
        register_converter(IdConverter, "id")
