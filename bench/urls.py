"""The app's URLs plus the stock admin and an empty page (bench process only; see
bench.settings)."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from bench.stock_admin import stock_site
from config.urls import urlpatterns as app_urlpatterns

EMPTY_PAGE_URL = "/bench/empty/"


@permission_required("contacts.view_contact", raise_exception=True)
def empty_page(request: HttpRequest) -> HttpResponse:
    """The app's layout with no content, behind the same login and permission check as
    All Contacts: what every page of the app costs before its own work (bench.request_path)."""
    return render(request, "base.html", {})


urlpatterns = [
    path("stockadmin/", stock_site.urls),
    path(EMPTY_PAGE_URL.strip("/") + "/", empty_page),
    *app_urlpatterns,
]
