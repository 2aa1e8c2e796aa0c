from django.contrib import admin

from core.admin import ReadOnlyAdmin
from imports.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin[ImportJob]):
    """Read-only: imports are started and cancelled from the Imports page."""

    list_display = ["id", "file_name", "requested_by", "status", "requested_at", "rejected"]
    list_filter = ["status", "dry_run"]
    search_fields = ["requested_by__username"]
    raw_id_fields = ["requested_by"]
    exclude = ["token", "stored_file", "header", "mapping"]
