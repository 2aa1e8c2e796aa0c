from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = "Exports"

    def ready(self) -> None:
        from contacts.signals import contacts_deleting
        from core import notifications
        from exports.notifications import READY, compose_ready_email
        from exports.receivers import cancel_exports_of_deleted_contacts

        notifications.register(READY, compose_ready_email)
        contacts_deleting.connect(
            cancel_exports_of_deleted_contacts, dispatch_uid="exports.cancel_for_deleted"
        )
