from django.urls import path

from imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="list"),
    path("new/", views.import_new, name="new"),
    path("<id:pk>/", views.import_detail, name="detail"),
    path("<id:pk>/cancel/", views.import_cancel_view, name="cancel"),
    path("<id:pk>/rejected/", views.import_rejected, name="rejected"),
]
