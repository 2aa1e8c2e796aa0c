from django.urls import path

from contacts.views import memberships

app_name = "groups"
urlpatterns = [
    path("", memberships.group_list, name="list"),
    path("<id:group_id>/", memberships.group_detail, name="detail"),
    path(
        "<id:group_id>/memberships/<id:membership_id>/",
        memberships.membership_edit,
        name="membership",
    ),
    path(
        "<id:group_id>/memberships/<id:membership_id>/remove/",
        memberships.membership_remove,
        name="membership_remove",
    ),
]
