"""Links into the contact screens that other code builds (views, rows, other apps)."""

from django.core.exceptions import TooManyFieldsSent
from django.http import QueryDict
from django.urls import reverse
from django.utils.http import MAX_URL_REDIRECT_LENGTH


def list_url(query: str = "") -> str:
    """All Contacts with a filter query string (re-encoded: it may come from a form)."""
    url = reverse("contacts:list")
    try:
        query = QueryDict(query).urlencode()
    except TooManyFieldsSent:  # not a filter the list made: start from the plain list
        query = ""
    if len(url) + 1 + len(query) > MAX_URL_REDIRECT_LENGTH:
        query = ""  # nor is one longer than a redirect may be (Django refuses it)
    return f"{url}?{query}" if query else url
