"""The API tokens page, under /account/api-tokens/."""

from django.urls import path

from api import token_views

app_name = "api_tokens"
urlpatterns = [
    path("", token_views.token_list, name="list"),
    path("<id:token_id>/revoke/", token_views.token_revoke_view, name="revoke"),
]
