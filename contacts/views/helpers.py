from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from contacts.ids import parse_id


def safe_next(request: HttpRequest, default: str) -> str:
    """Where to go back to: the `next` parameter if it is a local URL, else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def list_url(query: str = "") -> str:
    """All Contacts with a filter query string (re-encoded: it may come from a form)."""
    url = reverse("contacts:list")
    query = QueryDict(query).urlencode()
    return f"{url}?{query}" if query else url


def page_size(request: HttpRequest) -> int:
    sizes = settings.CONTACTS_PAGE_SIZES
    raw = request.GET.get("per_page", "")
    size = parse_id(raw)
    return size if size in sizes else sizes[0]


def paginate(items, *, per_page: int, number: str | None) -> Page:
    return Paginator(items, per_page).get_page(number)
