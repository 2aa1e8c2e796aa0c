"""core.permissions.PermissionBackend reads the permissions ModelBackend reads, in
one query, and logs no one in."""

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser, Permission, User
from django.db import connection
from django.test import RequestFactory
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


def test_it_logs_no_one_in(roles):
    UserFactory(username="ann", password="secret-pass-123")
    assert (
        PermissionBackend().authenticate(None, username="ann", password="secret-pass-123") is None
    )
    user = authenticate(
        RequestFactory().post("/login/"), username="ann", password="secret-pass-123"
    )
    assert user is not None
    assert user.backend == "django.contrib.auth.backends.ModelBackend"
