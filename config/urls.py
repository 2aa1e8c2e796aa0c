from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView


@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links: send them to the SVG icon.

    Not permanent: the static URL carries a hash of the file, which changes with it.
    """
    return redirect(static("img/favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    path("", RedirectView.as_view(pattern_name="contacts:list"), name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("contacts/", include("contacts.urls")),
    path("contacts/", include("anonymization.urls")),
    path("groups/", include("contacts.group_urls")),
    path("exports/", include("exports.urls")),
    path("admin/", admin.site.urls),
]
