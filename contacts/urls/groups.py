"""The group pages, under /groups/: members, and memberships with their member attributes."""

from django.urls import path

from contacts.views import groups

app_name = "groups"
urlpatterns = [
    path("", groups.group_list, name="list"),
    path("<id:group_id>/", groups.group_detail, name="detail"),
    path(
        "<id:group_id>/memberships/<id:membership_id>/",
        groups.membership_edit,
        name="membership",
    ),
    path(
        "<id:group_id>/memberships/<id:membership_id>/remove/",
        groups.membership_remove,
        name="membership_remove",
    ),
]
