"""core.sessions reads a session as Django's database store does."""

import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _saved(data: dict) -> str:
    store = DjangoStore()
    store.update(data)
    store.create()
    assert store.session_key is not None
    return store.session_key


def test_a_session_reads_as_with_django():
    data = {"_auth_user_id": "7", "name": "O'Brien <script>", "list": [1, "two"]}
    key = _saved(data)
    ours, django = SessionStore(key), DjangoStore(key)
    assert ours.load() == django.load() == data
    assert ours.session_key == key
    row = ours._get_session_from_db()
    assert row is not None
    assert row.expire_date == Session.objects.get(pk=key).expire_date


def test_an_expired_session_is_empty_and_gets_a_new_key():
    key = _saved({"_auth_user_id": "7"})
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None
    assert dict(store.items()) == {}


def test_an_unknown_key_is_empty():
    store = SessionStore("x" * 32)
    assert store.load() == {}
    assert store.session_key is None


def test_the_app_uses_this_store(client, settings):
    assert settings.SESSION_ENGINE == "core.sessions"
    key = _saved({"_auth_user_id": "1"})
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    response = client.get("/login/")
    assert response.wsgi_request.session.__class__ is SessionStore
