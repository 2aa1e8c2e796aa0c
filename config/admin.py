from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.admin.views.main import (
    ALL_VAR,
    ERROR_FLAG,
    ORDER_VAR,
    PAGE_VAR,
    SEARCH_VAR,
)
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.template.response import SimpleTemplateResponse, TemplateResponse

from core.permissions import opens_administration

# A list's own parameters (django.contrib.admin.views.main); the rest filter its rows.
LIST_PARAMETERS = {
    ALL_VAR,
    ORDER_VAR,
    PAGE_VAR,
    SEARCH_VAR,
    ERROR_FLAG,
    IS_POPUP_VAR,
    TO_FIELD_VAR,
    "_facets",
    "_changelist_filters",
}
# No list offers these: a pattern can cost a scan of a big table, and the others need
# PostgreSQL (or an extension this app does not install).
UNOFFERED_LOOKUPS = {
    "contained_by",
    "regex",
    "iregex",
    "unaccent",
    "search",
    "trigram_similar",
    "trigram_word_similar",
    "trigram_strict_word_similar",
}
NUL_MESSAGE = "The search or a filter had a NUL character, which cannot be searched for."
_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])


class ContactAdminSite(admin.AdminSite):
    """The Django admin for users with the Admin role, behind the app's own login page."""

    site_header = "Contact Management administration"
    site_title = "Contact Management admin"
    index_title = "Users, roles and attribute definitions"

    def has_permission(self, request: HttpRequest) -> bool:
        return opens_administration(request.user)

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
                if _is_list(request):
                    return _back_to_list(request, NUL_MESSAGE)
                raise BadRequest("A NUL character in the query string.")
            if not self._selection_valid(request):
                # An action filters by the selected ids as they come: a 500 without this.
                raise BadRequest("The selected rows are not ids of this list.")
            if not _is_list(request) or not _filters(request):
                try:
                    return wrapped(request, *args, **kwargs)
                except OverflowError:
                    # SQLite holds 64-bit integers: a larger id in the address matches no row.
                    raise Http404("There is no such row. It may have been deleted.") from None
            if any(_lookup(key) in UNOFFERED_LOOKUPS for key in _filters(request)):
                return _unfiltered(request)
            try:
                with transaction.atomic():  # a failed query leaves the connection usable
                    response = wrapped(request, *args, **kwargs)
                    if _refused_by_django(request, response):
                        return _unfiltered(request)
                    if isinstance(response, TemplateResponse):
                        response.render()  # its rows are read as it renders
            except (DatabaseError, ValueError, TypeError, IndexError, OverflowError):
                # Django turns a filter it cannot build into "?e=1", but a value that only
                # the database refuses (a malformed regex or range, a bad IP address) was a 500.
                return _unfiltered(request)
            return response

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


def _is_list(request: HttpRequest) -> bool:
    match = request.resolver_match
    name = match.url_name if match is not None else None
    return request.method == "GET" and bool(name) and str(name).endswith("_changelist")


def _filters(request: HttpRequest) -> list[str]:
    """The query's filters (`email__regex`): what is left but paging, sorting and search."""
    return [key for key in request.GET if key not in LIST_PARAMETERS]


def _lookup(key: str) -> str:
    return key.rsplit(LOOKUP_SEP, 1)[-1]


def _refused_by_django(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether ModelAdmin.changelist_view could not build the filters: it then redirects
    to "?e=1" (the whole list, no word why), or shows "Database error" when "e" was given."""
    if isinstance(response, HttpResponseRedirect):
        return response.url == f"{request.path}?{ERROR_FLAG}=1"
    return (
        isinstance(response, SimpleTemplateResponse)
        and response.template_name == "admin/invalid_setup.html"
    )


def _unfiltered(request: HttpRequest) -> HttpResponse:
    names = ", ".join(_filters(request))
    return _back_to_list(
        request,
        f"This list cannot be filtered by {names} with the value given. "
        "Use the filters beside the list or its search box.",
    )


def _back_to_list(request: HttpRequest, message: str) -> HttpResponse:
    messages.error(request, message)
    return HttpResponseRedirect(request.path)


def _nul_in_query(request: HttpRequest) -> bool:
    query = request.META.get("QUERY_STRING", "")
    if "%00" not in query and "\x00" not in query:
        return False
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.GET.lists()
    )
