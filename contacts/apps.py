from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = "Contact management"

    def ready(self) -> None:
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="contacts.sync_roles")


def _sync_roles(sender: AppConfig, *, using: str, **kwargs: Any) -> None:
    from contacts.roles import sync_roles

    sync_roles(using=using)
