"""core.permissions.PermissionBackend reads the user and the permissions ModelBackend
reads (the permissions in one query), and logs people in as ModelBackend does."""

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser, Permission, User
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from contacts.roles import ADMIN, MARKETER, TESTER
from core.permissions import PermissionBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _users(roles) -> list[User]:
    own = UserFactory(role=TESTER)
    own.user_permissions.add(Permission.objects.get(codename="delete_contact"))
    return [
        UserFactory(role=MARKETER),
        UserFactory(role=TESTER),
        UserFactory(role=ADMIN),
        own,
        UserFactory(is_superuser=True),
        UserFactory(role=MARKETER, is_active=False),
        UserFactory(),
    ]


def test_the_permissions_are_model_backend_s(roles):
    users = _users(roles)
    for user in users:
        for method in ("get_user_permissions", "get_group_permissions", "get_all_permissions"):
            mine = getattr(PermissionBackend(), method)(User.objects.get(pk=user.pk))
            django = getattr(ModelBackend(), method)(User.objects.get(pk=user.pk))
            assert mine == django, (user.username, method)
            assert getattr(PermissionBackend(), method)(user, obj=object()) == set()
    assert PermissionBackend().get_all_permissions(AnonymousUser()) == set()
    marketer = User.objects.get(pk=users[0].pk)
    assert "contacts.view_contact" in PermissionBackend().get_all_permissions(marketer)


def test_a_request_reads_the_permissions_once(roles):
    user = User.objects.get(pk=UserFactory(role=MARKETER).pk)
    with CaptureQueriesContext(connection) as queries:
        assert user.has_perm("contacts.view_contact")
        assert not user.has_perm("auth.change_user")  # asks every backend, ModelBackend too
        assert user.has_perms(["contacts.view_contact", "contacts.change_contact"])
    assert len(queries) == 1


def test_it_logs_people_in_and_reads_the_user_model_backend_reads(roles):
    ann = UserFactory(username="ann", password="secret-pass-123")
    gone = UserFactory(role=MARKETER, is_active=False)
    user = authenticate(
        RequestFactory().post("/login/"), username="ann", password="secret-pass-123"
    )
    assert user is not None and user.backend == "core.permissions.PermissionBackend"
    assert authenticate(RequestFactory().post("/login/"), username="ann", password="x") is None
    for user_id in (ann.pk, str(ann.pk), gone.pk, 10**9):
        mine, django = PermissionBackend().get_user(user_id), ModelBackend().get_user(user_id)
        assert (mine and _fields(mine)) == (django and _fields(django)), user_id
    assert PermissionBackend().get_user(gone.pk) is None
    assert PermissionBackend().get_user("not-an-id") is None


def _fields(user: User) -> dict:
    return {f.attname: getattr(user, f.attname) for f in User._meta.concrete_fields}


def test_sessions_of_model_backend_are_renamed_and_stay_logged_in(roles, client):
    from importlib import import_module

    from django.apps import apps
    from django.contrib.sessions.models import Session

    migration = import_module("core.migrations.0002_sessions_name_the_app_backend")
    user = UserFactory(role=MARKETER)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    other = Client()
    other.force_login(UserFactory(role=MARKETER))  # already the app's backend
    assert client.get("/contacts/").status_code == 302, "ModelBackend is no longer listed"
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    migration.forwards(apps, _Editor())
    for session in Session.objects.all():
        assert session.get_decoded()["_auth_user_backend"] == "core.permissions.PermissionBackend"
    assert client.get("/contacts/").status_code == 200
    assert other.get("/contacts/").status_code == 200
    migration.backwards(apps, _Editor())
    backends = {s.get_decoded()["_auth_user_backend"] for s in Session.objects.all()}
    assert backends == {"django.contrib.auth.backends.ModelBackend"}


class _Editor:
    connection = connection
