from django.urls import path

import contacts.converters  # noqa: F401  (registers <id:...>)
from anonymization import views

app_name = "anonymization"
urlpatterns = [
    path("<id:contact_id>/anonymize/", views.contact_anonymize_view, name="contact"),
]
