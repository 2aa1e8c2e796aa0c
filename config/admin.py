from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
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
            if not self._selection_valid(request):
                # An action filters by the selected ids as they come: a 500 without this.
                raise BadRequest("The selected rows are not ids of this list.")
            return wrapped(request, *args, **kwargs)

        return cast(_View, inner)  # wraps() keeps the view's name; it takes the same arguments

    def _selection_valid(self, request: HttpRequest) -> bool:
        """Whether the rows an action is posted for are ids of the list's model (the
        check boxes only ever send those)."""
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME) if request.method == "POST" else []
        match = request.resolver_match
        if not selected or match is None:
            return True
        for model in self._registry:
            if match.url_name == f"{model._meta.app_label}_{model._meta.model_name}_changelist":
                try:
                    for value in selected:
                        model._meta.pk.to_python(value)
                except ValidationError:
                    return False
        return True

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
