"""The contact screens, under /contacts/."""

from django.urls import path

from contacts.views import listing, memberships, profile

app_name = "contacts"
urlpatterns = [
    path("", listing.contact_list, name="list"),
    path("delete/", listing.contact_bulk_delete, name="bulk_delete"),
    path("deletions/", listing.deletion_progress, name="deletions"),
    path("deletions/<id:deletion_id>/dismiss/", listing.deletion_dismiss, name="deletion_dismiss"),
    path("new/", profile.contact_new, name="new"),
    path("<id:contact_id>/", profile.contact_profile, name="profile"),
    path("<id:contact_id>/delete/", profile.contact_delete, name="delete"),
    path("<id:contact_id>/history/", profile.contact_history, name="history"),
    path("<id:contact_id>/memberships/", memberships.contact_memberships, name="memberships"),
]
