"""The client's address, the one rule for whoever counts requests by address: the login
lockout (django-axes) and the API throttle. BEHIND_PROXY says whether to read the proxy's
X-Forwarded-For entry."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address: the socket's, or behind a proxy the one the proxy appended.

    Only the last X-Forwarded-For entry comes from our own proxy; earlier ones are
    whatever the client sent, and trusting them would let an attacker pick a new
    address for every guess.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.headers.get("x-forwarded-for", "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass  # no header, or not from our proxy: the socket's address is all we know
    return str(request.META.get("REMOTE_ADDR", ""))
