"""A deactivated user is logged out everywhere: reactivated, they log in again."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client

from core.accounts import account_sessions_end
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_reactivating_a_user_does_not_bring_their_sessions_back(marketer, marketer_client):
    other = _logged_in(marketer)
    assert marketer_client.get("/contacts/").status_code == 200
    marketer.is_active = False
    marketer.save()
    marketer.is_active = True
    marketer.save()
    for client in (marketer_client, other):
        response = client.get("/contacts/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_deactivating_through_the_admin_ends_the_sessions(admin_client_role, marketer):
    client = _logged_in(marketer)
    page = admin_client_role.get(f"/admin/auth/user/{marketer.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(is_active="", groups=[g.pk for g in marketer.groups.all()])
    data = {k: v for k, v in data.items() if k not in ("password", "is_active")}
    response = admin_client_role.post(f"/admin/auth/user/{marketer.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    marketer.refresh_from_db()
    assert not marketer.is_active
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(marketer.pk)
    ]
    assert client.get("/contacts/").status_code == 302


def test_only_that_users_sessions_end(marketer, tester):
    _logged_in(marketer), _logged_in(marketer), _logged_in(tester)
    assert account_sessions_end(user_id=marketer.pk) == 2
    assert Session.objects.count() == 1
    assert account_sessions_end(user_id=UserFactory().pk) == 0
