from django.contrib import admin

from exports.models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "contact_id", "requested_by", "status", "requested_at"]
    list_filter = ["status", "kind"]
    search_fields = ["=contact_id", "requested_by__username"]
    raw_id_fields = ["requested_by"]
    exclude = ["token"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # cancelling through the services also removes the files
