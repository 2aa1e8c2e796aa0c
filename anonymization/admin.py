from django.contrib import admin

from anonymization.models import Anonymization, AnonymousContact
from anonymization.services import anonymization_mail_give_up
from contacts.admin import ReadOnlyAdmin, SystemMailAdmin


@admin.register(Anonymization)
class AnonymizationAdmin(SystemMailAdmin):
    list_display = [
        "contact_id",
        "identifier_type",
        "requested_by",
        "anonymized_at",
        "email_status",
        "email_next_attempt_at",
    ]
    list_filter = ["email_status", "identifier_type"]
    search_fields = ["=contact_id"]
    raw_id_fields = ["requested_by"]
    give_up_mail = staticmethod(anonymization_mail_give_up)


@admin.register(AnonymousContact)
class AnonymousContactAdmin(ReadOnlyAdmin):
    list_display = ["id", "identifier_type", "anonymized_at"]
    list_filter = ["identifier_type"]
