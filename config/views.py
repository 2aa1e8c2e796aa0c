"""The project's own views around Django's: log in, log out, the home redirect, the icon."""

from urllib.parse import urlsplit

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.generic import RedirectView

from core.views import safe_next


class LocalNextMixin:
    """`next` by the app's rule for redirects; one that points at this page itself is
    dropped too (Django refuses an authenticated user's login loop with an exception)."""

    request: HttpRequest

    def get_redirect_url(self, request: HttpRequest | None = None) -> str:
        url = safe_next(self.request, "")
        return "" if urlsplit(url).path == self.request.path else url


class LoginView(LocalNextMixin, auth_views.LoginView):
    redirect_authenticated_user = True


class LogoutView(LocalNextMixin, auth_views.LogoutView):
    pass


login = require_http_methods(["GET", "HEAD", "POST"])(LoginView.as_view())
logout = require_POST(LogoutView.as_view())
home = require_safe(RedirectView.as_view(pattern_name="contacts:list"))


@require_safe
@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links: send them to the SVG icon.

    Not permanent: the static URL carries a hash of the file, which changes with it.
    """
    return redirect(static("img/favicon.svg"))
