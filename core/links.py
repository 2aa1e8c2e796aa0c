"""URLs of named routes with fixed arguments, reversed once per process.

Every page reverses the same few names (the navigation bar; the table's row links, with
a stand-in for the id): about a dozen reverse() calls a request, each a walk of the URL
resolver. The result depends only on the URLconf and the script prefix, so it is kept
per both.
"""

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_REVERSED: dict[tuple[object, str, str, tuple[str, ...]], str] = {}


def url_for(name: str, *args: str) -> str:
    """reverse(name, args=args) for arguments that do not change (constants)."""
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), name, args)
    url = _REVERSED.get(key)
    if url is None:
        url = _REVERSED[key] = reverse(name, args=list(args))
    return url
