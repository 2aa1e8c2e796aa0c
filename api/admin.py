"""Admins see every user's tokens and revoke them; tokens are created on the API tokens page."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from api.models import ApiToken
from api.services import token_revoke

SHOWN = ("name", "prefix", "user", "read_only", "expires_at", "last_used_at", "state")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = SHOWN
    list_filter = ["read_only"]
    search_fields = ["name", "prefix", "user__username"]
    fields = (*SHOWN, "created_at", "revoked_at")
    readonly_fields = (*SHOWN, "created_at", "revoked_at")
    raw_id_fields = ["user"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    @admin.action(description="Revoke the selected tokens", permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        user = request.user
        count = sum(
            token_revoke(actor=user, token_id=pk)  # type: ignore[arg-type]  # admin: a User
            for pk in queryset.values_list("pk", flat=True)
        )
        messages.success(request, f"{count} token{'s' if count != 1 else ''} revoked.")
