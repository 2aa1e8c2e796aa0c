"""Links into the contact screens that other code builds (views, rows, other apps)."""

from django.core.exceptions import TooManyFieldsSent
from django.http import QueryDict
from django.urls import reverse


def list_url(query: str = "") -> str:
    """All Contacts with a filter query string (re-encoded: it may come from a form)."""
    url = reverse("contacts:list")
    try:
        query = QueryDict(query).urlencode()
    except TooManyFieldsSent:  # not a filter the list made: start from the plain list
        query = ""
    return f"{url}?{query}" if query else url
