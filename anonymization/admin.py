from django.contrib import admin

from anonymization.models import Anonymization, AnonymousContact
from contacts.admin import ReadOnlyAdmin


@admin.register(Anonymization)
class AnonymizationAdmin(ReadOnlyAdmin):
    list_display = [
        "contact_id",
        "identifier_type",
        "requested_by",
        "anonymized_at",
        "email_status",
    ]
    list_filter = ["email_status", "identifier_type"]
    search_fields = ["=contact_id"]
    raw_id_fields = ["requested_by"]


@admin.register(AnonymousContact)
class AnonymousContactAdmin(AnonymizationAdmin):
    list_display = ["id", "identifier_type", "anonymized_at"]
    list_filter = ["identifier_type"]
    search_fields = []
    raw_id_fields = []
