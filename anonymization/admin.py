from django.contrib import admin

from anonymization.models import Anonymization, AnonymousContact


@admin.register(Anonymization)
class AnonymizationAdmin(admin.ModelAdmin):
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
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AnonymousContact)
class AnonymousContactAdmin(AnonymizationAdmin):
    list_display = ["id", "identifier_type", "anonymized_at"]
    list_filter = ["identifier_type"]
    search_fields = []
    raw_id_fields = []
