"""The project's own views around Django's: log in, log out, the home redirect, the icon."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from api.selectors import active_token_count
from contacts.selection_forms import MAX_SELECTED
from core.accounts import account_password_change
from core.uploads import multipart_problem
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


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """All Contacts; a user whose role does not open it (or who has no role yet) gets a
    page that says so, not a 403 whose only link leads back to it."""
    if request.user.has_perm("contacts.view_contact"):
        return redirect("contacts:list")
    return render(request, "home_without_contacts.html")


@require_http_methods(["GET", "HEAD", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Change password (the user menu): every user, whatever the role."""
    user = request.user
    assert user.is_authenticated  # noqa: S101 (LoginRequiredMiddleware sent others to log in)
    form = PasswordChangeForm(user, request.POST if request.method == "POST" else None)
    if form.is_valid():
        account_password_change(user=user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)  # this session stays; the others end
        messages.success(request, "Your password has been changed.")
        return redirect("home")
    context = {"form": form, "active_tokens": active_token_count(user)}
    return render(request, "registration/password_change_form.html", context)


@require_safe
@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links: send them to the SVG icon.

    Not permanent: the static URL carries a hash of the file, which changes with it.
    """
    return redirect(static("img/favicon.svg"))


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 page (rendered without the request, as Django's own is); a form of more
    fields than Django reads, such as too many ticked rows, is told what to do instead, and
    an upload Django could not read (a file name too long) why, with the way back."""
    too_many = isinstance(exception, TooManyFieldsSent)
    context = {"too_many_fields": too_many, "max_selected": f"{MAX_SELECTED:,}"}
    if isinstance(exception, MultiPartParserError):
        # An upload whose form could not be read (Django refuses it before any view).
        context["reason"] = multipart_problem(str(exception))
        if request.path == reverse("imports:new"):
            context["back"] = request.get_full_path()
    return HttpResponseBadRequest(loader.get_template("400.html").render(context))
