from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase

ADMIN_ROLE = "Admin"
_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])


class ContactAdminSite(admin.AdminSite):
    """The Django admin for users with the Admin role, behind the app's own login page."""

    site_header = "Contact Management administration"
    site_title = "Contact Management admin"
    index_title = "Users, roles and attribute definitions"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        if not user.is_active:
            return False
        return bool(user.is_staff) or user.groups.filter(name=ADMIN_ROLE).exists()

    def admin_view(self, view: _View, cacheable: bool = False) -> _View:
        wrapped = super().admin_view(view, cacheable)

        @wraps(view)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if not self.has_permission(request):
                raise PermissionDenied("Only admins can open the administration.")
            if _nul_in_query(request):
                # The lists pass their filters' values to PostgreSQL as they come, and it
                # refuses NUL in any text: a 500 without this.
                raise BadRequest("A NUL character in the query string.")
            return wrapped(request, *args, **kwargs)

        return cast(_View, inner)  # wraps() keeps the view's name; it takes the same arguments

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # One login page for the whole app.
        if request.user.is_authenticated:
            raise PermissionDenied("Only admins can open the administration.")
        return redirect_to_login(request.GET.get("next", "/admin/"), settings.LOGIN_URL)


def _nul_in_query(request: HttpRequest) -> bool:
    query = request.META.get("QUERY_STRING", "")
    if "%00" not in query and "\x00" not in query:
        return False
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.GET.lists()
    )
