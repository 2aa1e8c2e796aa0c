from django.contrib import admin

from contacts.admin import SystemMailAdmin
from exports.models import ExportJob
from exports.services import export_mail_give_up


@admin.register(ExportJob)
class ExportJobAdmin(SystemMailAdmin):
    """Read-only: cancelling through the services also removes the files."""

    list_display = [
        "id",
        "kind",
        "contact_id",
        "requested_by",
        "status",
        "requested_at",
        "email_status",
        "email_next_attempt_at",
    ]
    list_filter = ["status", "kind", "email_status"]
    search_fields = ["=contact_id", "requested_by__username"]
    raw_id_fields = ["requested_by"]
    exclude = ["token"]
    give_up_mail = staticmethod(export_mail_give_up)
