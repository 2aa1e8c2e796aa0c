"""Administration › Roles: the built-in roles (the app gives them their permissions by
name) are neither renamed nor deleted, and who may open the administration is who sees
its link."""

from html import unescape

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.test import Client

from contacts.roles import ADMIN, BUILT_IN_ROLES, MARKETER
from tests.factories import UserFactory
from tests.html_forms import form_values

pytestmark = pytest.mark.django_db

ROLES = "/admin/contacts/role/"
A_PAGE_WITH_THE_NAV = "/account/password/"


def _page(role: AuthGroup) -> str:
    return f"{ROLES}{role.pk}/change/"


def _submitted(client: Client, role: AuthGroup) -> dict:
    """The role's page as a browser submits it (every permission selected in its list box)."""
    values: dict = form_values(client.get(_page(role)).content.decode(), "role_form")
    values["permissions"] = list(role.permissions.values_list("pk", flat=True))
    return values


@pytest.mark.parametrize("name", BUILT_IN_ROLES)
def test_a_built_in_role_keeps_its_name(admin_client_role, name):
    role = AuthGroup.objects.get(name=name)
    assert (
        f'<div class="readonly">{name}</div>' in admin_client_role.get(_page(role)).content.decode()
    )
    values = _submitted(admin_client_role, role)
    assert "name" not in values
    response = admin_client_role.post(_page(role), {**values, "name": "Administrators"})
    assert response.status_code == 302
    assert AuthGroup.objects.get(pk=role.pk).name == name
    assert admin_client_role.get("/admin/").status_code == 200


def test_another_role_is_renamed_and_deleted(admin_client_role):
    role = AuthGroup.objects.create(name="Auditors")
    values = _submitted(admin_client_role, role)
    assert admin_client_role.post(_page(role), {**values, "name": "Auditing"}).status_code == 302
    assert AuthGroup.objects.get(pk=role.pk).name == "Auditing"
    delete = f"{ROLES}{role.pk}/delete/"
    assert admin_client_role.post(delete, {"post": "yes"}).status_code == 302
    assert not AuthGroup.objects.filter(pk=role.pk).exists()


@pytest.mark.parametrize("name", BUILT_IN_ROLES)
def test_a_built_in_role_is_not_deleted_and_the_page_says_why(admin_client_role, name):
    role = AuthGroup.objects.get(name=name)
    delete = f"{ROLES}{role.pk}/delete/"
    why = f"{name}: a built-in role, which cannot be deleted"
    assert why in unescape(admin_client_role.get(delete).content.decode())
    response = admin_client_role.post(delete, {"post": "yes"})
    assert why in unescape(response.content.decode())
    other = AuthGroup.objects.create(name="Auditors")
    response = admin_client_role.post(
        ROLES,
        {"action": "delete_selected", "_selected_action": [role.pk, other.pk], "post": "yes"},
    )
    assert why in unescape(response.content.decode())
    assert AuthGroup.objects.filter(pk__in=[role.pk, other.pk]).count() == 2


def _sees_the_link(client: Client) -> bool:
    return ">Administration</a>" in client.get(A_PAGE_WITH_THE_NAV).content.decode()


def _opens_it(client: Client) -> bool:
    status = client.get("/admin/").status_code
    assert status in (200, 403)
    return status == 200


def test_who_sees_the_link_opens_the_administration(roles):
    """Even with the Admin role renamed outside the admin (by an older version, or in the
    database): the admin site asks for what the link asks for, a permission."""
    AuthGroup.objects.filter(name=ADMIN).update(name="Administrators")
    may_manage_users = AuthGroup.objects.create(name="User managers")
    may_manage_users.permissions.add(Permission.objects.get(codename="change_user"))
    users = {
        "renamed admin role": (UserFactory(role="Administrators"), True),
        "user managers": (UserFactory(role="User managers"), True),
        "staff": (UserFactory(is_staff=True), True),
        "marketer": (UserFactory(role=MARKETER), False),
        "no role": (UserFactory(), False),
    }
    for who, (user, expected) in users.items():
        client = Client()
        client.force_login(user)
        assert (_sees_the_link(client), _opens_it(client)) == (expected, expected), who
