from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_save
from django.urls import register_converter

from core.collation import register_sqlite_collation
from core.ids import IdConverter
from core.timestamps import use_psycopg_loader


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Background jobs and system mail"

    def ready(self) -> None:
        # Once, before any URLconf is read: every app's patterns use <id:...>.
        register_converter(IdConverter, "id")
        connection_created.connect(use_psycopg_loader, dispatch_uid="core.timestamps")
        connection_created.connect(register_sqlite_collation, dispatch_uid="core.collation")
        # Here, not at the top: the module reads models, which exist once apps are ready.
        from core.accounts import end_sessions_of_inactive

        post_save.connect(
            end_sessions_of_inactive, sender="auth.User", dispatch_uid="core.accounts"
        )
