from django.urls import path

from anonymization import views

app_name = "anonymization"
urlpatterns = [
    path("<id:contact_id>/anonymize/", views.contact_anonymize_view, name="contact"),
]
