from collections.abc import Callable
from functools import cache
from urllib.parse import urlencode, urlsplit

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

# What a view or a template can set to change the policy of one answer (django-csp).
_POLICY_CHANGES = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


class SitePolicyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the site's policy (CONTENT_SECURITY_POLICY) built
    once per process: django-csp builds it again for every answer, about 3% of a list
    page's time outside SQL. An answer whose policy a view changes, one that used a nonce,
    and any setup this shortcut does not cover go through django-csp itself."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if (
            HEADER in response
            or settings.DEBUG
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or settings.CONTENT_SECURITY_POLICY.get("EXCLUDE_URL_PREFIXES")
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _POLICY_CHANGES)
        ):
            return super().process_response(request, response)
        response[HEADER] = _site_policy(id(settings.CONTENT_SECURITY_POLICY))
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


class MethodNotAllowedPage:
    """Give a 405 the app's error page: Django's own 405 has an empty body.

    The `Allow` header of the original answer is kept; it says which methods would work.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        # A plain, empty 405 only: not a streamed answer, nor one with a body of its own.
        if (
            response.status_code != 405
            or not isinstance(response, HttpResponse)
            or response.content
        ):
            return response
        page = render(request, "405.html", status=405)
        if "Allow" in response:
            page["Allow"] = response["Allow"]
        return page


class NoStore:
    """Nothing the app answers is kept by the browser or a proxy: its pages show personal
    data, and Back after Anonymize, Delete or Log out must not show them from a cache. A
    view that sets its own Cache-Control keeps it. Static files never get here (WhiteNoise
    answers them before this middleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-store, private"
        return response


class HtmxLoginRedirect:
    """An htmx request whose session has ended would get the login page swapped into a
    fragment (the results, the Activity tab, an export's status). The browser goes to the
    login page instead, with next= the page the user is on (HX-Current-URL), not the
    fragment's URL. A refusal (403) of a logged-in user reloads the page: htmx swaps no
    error page into a fragment, so the request would otherwise just seem to do nothing.
    Comes after django-htmx's middleware, which sets request.htmx."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not getattr(request, "htmx", False):
            return response
        user = getattr(request, "user", None)
        logged_out = user is None or not user.is_authenticated
        if _is_login_redirect(response) or (response.status_code == 403 and logged_out):
            return HttpResponseClientRedirect(_login_url(request))
        if response.status_code == 403:
            response["HX-Refresh"] = "true"
        return response


def _is_login_redirect(response: HttpResponseBase) -> bool:
    if response.status_code not in (301, 302, 303, 307, 308) or "Location" not in response:
        return False
    login_path = urlsplit(resolve_url(settings.LOGIN_URL)).path
    return urlsplit(response["Location"]).path == login_path


def _login_url(request: HttpRequest) -> str:
    """The login page, back to the page the user is on when the browser says which one
    and it is of this site (the header is the client's word)."""
    login = resolve_url(settings.LOGIN_URL)
    current = request.headers.get("HX-Current-URL", "")
    if not url_has_allowed_host_and_scheme(
        current, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return login
    parts = urlsplit(current)
    page = parts.path + (f"?{parts.query}" if parts.query else "")
    return f"{login}?{urlencode({REDIRECT_FIELD_NAME: page})}"


@cache
def _site_policy(_settings_id: int) -> str:
    """The policy of CONTENT_SECURITY_POLICY (keyed by the setting's identity, which a
    test that overrides the setting changes)."""
    return build_policy()
