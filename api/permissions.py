"""What a caller may do: the Django permissions of the matching screen, per method; a
read-only token never writes."""

from typing import TYPE_CHECKING, Any

from rest_framework import permissions
from rest_framework.request import Request

from api.models import ApiToken

if TYPE_CHECKING:  # DRF's views import the permission and throttle classes of the settings
    from rest_framework.views import APIView

READ_ONLY_TOKEN = "This token is read-only: create a read-write token to change data."


class RolePermission(permissions.BasePermission):
    """The view lists `required_permissions`: {method: [permission, ...]}; "*" for others.

    An authenticated user without them gets 403, an anonymous caller 401.
    """

    def has_permission(self, request: Request, view: "APIView") -> bool:
        user: Any = request.user
        if not (user and user.is_authenticated):
            return False
        read_only = isinstance(request.auth, ApiToken) and request.auth.read_only
        if read_only and request.method not in permissions.SAFE_METHODS:
            self.message = READ_ONLY_TOKEN
            return False
        required: dict[str, list[str]] = getattr(view, "required_permissions", {})
        method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method or ""
        wanted = required.get(method, required.get("*", []))
        self.message = "Your role does not allow this."
        return bool(user.has_perms(wanted))
