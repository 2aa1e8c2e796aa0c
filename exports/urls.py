from django.urls import path, register_converter

from exports import views


class TokenConverter:
    regex = "[A-Za-z0-9_-]{20,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TokenConverter, "token")

app_name = "exports"
urlpatterns = [
    path("", views.export_list, name="list"),
    path("contact/<id:contact_id>/", views.request_contact_export, name="request_contact"),
    path("contacts/", views.request_list_export, name="request_list"),
    path("<token:token>/", views.export_detail, name="detail"),
    path("<token:token>/download/", views.export_download, name="download"),
]
