from django.contrib import admin

from contacts.admin import ReadOnlyAdmin
from exports.models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    """Read-only: cancelling through the services also removes the files."""

    list_display = ["id", "kind", "contact_id", "requested_by", "status", "requested_at"]
    list_filter = ["status", "kind"]
    search_fields = ["=contact_id", "requested_by__username"]
    raw_id_fields = ["requested_by"]
    exclude = ["token"]
