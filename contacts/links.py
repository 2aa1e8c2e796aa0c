"""Links into the contact screens that other code builds (views, rows, other apps)."""

from urllib.parse import urlencode

from django.core.exceptions import TooManyFieldsSent
from django.http import QueryDict
from django.urls import reverse
from django.utils.http import MAX_URL_REDIRECT_LENGTH


def _fits(url: str) -> bool:
    return len(url) <= MAX_URL_REDIRECT_LENGTH  # Django refuses a longer redirect


def profile_url(contact_id: int, *, back: str = "") -> str:
    """A Contact Profile that goes `back` (a list page) on Save and Close, unless that
    makes the URL longer than a redirect may be."""
    url = reverse("contacts:profile", args=[contact_id])
    with_back = f"{url}?{urlencode({'next': back})}" if back else url
    return with_back if _fits(with_back) else url


def list_url(query: str = "") -> str:
    """All Contacts with a filter query string (re-encoded: it may come from a form)."""
    url = reverse("contacts:list")
    try:
        query = QueryDict(query).urlencode()
    except TooManyFieldsSent:  # not a filter the list made: start from the plain list
        query = ""
    if not _fits(f"{url}?{query}"):
        query = ""  # nor is one longer than a redirect may be
    return f"{url}?{query}" if query else url
