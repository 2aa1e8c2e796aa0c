"""Helpers of thin views: where to go back to, which methods a view takes, page sizes."""

from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_htmx.middleware import HtmxDetails

from core.ids import parse_id

if TYPE_CHECKING:
    from django.core.paginator import _SupportsPagination  # what Paginator takes (stubs only)

_T = TypeVar("_T")


class AppRequest(HttpRequest):
    """The request as the app's views see it (for type hints; Django builds the object).

    LoginRequiredMiddleware lets only a logged-in user reach a view that does not say
    `login_not_required`, so `user` is a User; django-htmx's middleware adds `htmx`.
    """

    user: User
    htmx: HtmxDetails


# A page with a form: shown by GET (and HEAD), sent by POST; anything else is a 405.
require_safe_or_post = require_http_methods(["GET", "HEAD", "POST"])

# Longer than any link the app makes; a longer `next` is not ours.
MAX_NEXT_LENGTH = 2000


def is_local_path(url: str | None) -> bool:
    """A path on this site ("/contacts/?q=a"), nothing a redirect could read differently.

    `redirect()` takes a string without "/" for a URL name ("-1" crashed it), browsers read
    "//host" and "/\\host" as another site and drop tabs and newlines, so only a single
    leading "/" and printable characters pass.
    """
    if not url:
        return False
    return (
        len(url) <= MAX_NEXT_LENGTH
        and url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url.isprintable()
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    )


def safe_next(request: HttpRequest, default: str) -> str:
    """Where to go back to: the `next` parameter if it is a local path, else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    return candidate if is_local_path(candidate) else default


def page_size(request: HttpRequest) -> int:
    """The `per_page` the user chose, if it is one of settings.PAGE_SIZES."""
    sizes = settings.PAGE_SIZES
    raw = request.GET.get("per_page", "")
    size = parse_id(raw)
    return size if size in sizes else sizes[0]


def paginate(items: "_SupportsPagination[_T]", *, per_page: int, number: str | None) -> Page[_T]:
    return Paginator(items, per_page).get_page(number)
