from django.contrib import admin
from django.urls import include, path

from config import views

urlpatterns = [
    path("favicon.ico", views.favicon),
    path("", views.home, name="home"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("account/password/", views.password_change, name="password_change"),
    path("contacts/", include("contacts.urls.contacts")),
    path("contacts/", include("anonymization.urls")),
    path("groups/", include("contacts.urls.groups")),
    path("exports/", include("exports.urls")),
    path("imports/", include("imports.urls")),
    path("account/api-tokens/", include("api.urls_tokens")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]

handler400 = views.bad_request
