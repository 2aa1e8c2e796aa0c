from django.contrib import admin

from core.admin import ReadOnlyAdmin
from exports.models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin[ExportJob]):
    """Read-only: cancelling through the services also removes the files. The ready email
    of an export is under System mail (core.Notification)."""

    list_display = [
        "id",
        "kind",
        "contact_id",
        "requested_by",
        "status",
        "requested_at",
        "progress_done",
        "expires_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["=contact_id", "requested_by__username"]
    raw_id_fields = ["requested_by"]
    exclude = ["token"]
