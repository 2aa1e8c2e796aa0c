"""The admin's sidebar is kept per page and view of the apps (core.admin_sidebar): the
markup is Django's, for each user's permissions, and rendered once."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils.safestring import mark_safe

from core import admin_sidebar
from core.admin import ReadOnlyAdmin
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/contacts/contact/"


@pytest.fixture(autouse=True)
def _nothing_kept(monkeypatch):
    monkeypatch.setattr(admin_sidebar, "_RENDERED", {})


def _sidebar(client: Client, path: str = LIST) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content.decode()
    start = html.index('<button class="sticky toggle-nav-sidebar"')
    return html[start : html.index("</nav>", start) + len("</nav>")]


def _staff_client(*codenames: str) -> Client:
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(user)
    return client


def test_each_user_s_sidebar_is_django_s(admin_client_role, monkeypatch):
    viewer = _staff_client("view_contact")
    both = _staff_client("view_contact", "view_auditentry")
    kept = [_sidebar(c) for c in (admin_client_role, viewer, both)]
    kept_again = [_sidebar(c) for c in (admin_client_role, viewer, both)]
    monkeypatch.setattr(ReadOnlyAdmin, "change_list_template", None)
    stock = [_sidebar(c) for c in (admin_client_role, viewer, both)]
    assert kept == kept_again == stock
    assert len(set(kept)) == 3  # three views of the apps, three sidebars
    assert 'aria-current="page">Contacts</a>' in kept[1]
    assert "Audit entries" in kept[2] and "Audit entries" not in kept[1]
    assert len(admin_sidebar._RENDERED) == 3


def test_a_kept_sidebar_is_not_rendered_again(admin_client_role):
    _sidebar(admin_client_role)
    (key,) = admin_sidebar._RENDERED
    admin_sidebar._RENDERED[key] = mark_safe('<button class="sticky toggle-nav-sidebar">kept</nav>')
    assert _sidebar(admin_client_role).endswith(">kept</nav>")
    # Another page marks another model as the current one: another entry.
    _sidebar(admin_client_role, "/admin/contacts/event/")
    assert len(admin_sidebar._RENDERED) == 2


def test_at_most_so_many_are_kept(admin_client_role, monkeypatch):
    monkeypatch.setattr(admin_sidebar, "_KEPT", 2)
    for path in ("/admin/contacts/contact/", "/admin/contacts/event/", "/admin/core/auditentry/"):
        _sidebar(admin_client_role, path)
    assert [key[0] for key in admin_sidebar._RENDERED] == [
        "/admin/contacts/event/",
        "/admin/core/auditentry/",
    ]
