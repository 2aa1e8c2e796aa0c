"""Brute-force protection of the login (django-axes): whose address counts, what a locked-out
user sees. The settings are in config/settings.py (LOGIN_FAILURE_LIMIT, LOGIN_LOCKOUT_MINUTES,
BEHIND_PROXY)."""

import ipaddress
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


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


def lockout_message() -> str:
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    return (
        "Too many failed attempts to log in. Try again in "
        f"{minutes} minute{'s' if minutes != 1 else ''}, or ask an administrator to unlock "
        "your account."
    )


def lockout_response(
    request: HttpRequest,
    response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The login page again, with the reason and no further check of the password."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    context = {"form": form, "lockout": lockout_message(), "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=429)
