"""Links into the contact screens that other code builds (views, rows, other apps)."""

from urllib.parse import urlencode, urlsplit

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


def activity_page_url(current: str, *, contact_id: int, query: dict[str, str]) -> str | None:
    """The page whose activity was just filtered (`current`: the Contact Profile or the
    Message History of this contact), with the activity's `query` in its own: reloaded, it
    shows the Activity tab and the same filter. None for any other page."""
    parts = urlsplit(current)
    tab = {
        reverse("contacts:profile", args=[contact_id]): "activity",
        reverse("contacts:history", args=[contact_id]): None,
    }
    if parts.path not in tab:
        return None
    try:
        params = QueryDict(parts.query, mutable=True)
    except TooManyFieldsSent:
        return None
    for name in (*query, "tab"):
        params.pop(name, None)
    section = tab[parts.path]
    if section:
        params["tab"] = section
    params.update({name: value for name, value in query.items() if value})
    url = f"{parts.path}?{params.urlencode()}"
    return url if _fits(url) else None
