"""Brute-force protection of the login page (django-axes), through the real login form."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from tests.anonymization.traces import database_hits
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"  # UserFactory's
LOCKED = "Too many failed attempts to log in. Try again in 15 minutes"


def _log_in(client: Client, username: str, password: str, **extra):
    return client.post("/login/", {"username": username, "password": password}, **extra)


def _logged_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


def test_five_wrong_passwords_lock_the_account_and_say_so(marketer):
    client = Client()
    for _ in range(4):
        response = _log_in(client, "marketer", "wrong")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    fifth = _log_in(client, "marketer", "wrong")
    assert fifth.status_code == 429
    page = fifth.content.decode()
    assert LOCKED in page and "ask an administrator" in page
    assert 'role="alert"' in page and 'name="username"' in page, "the login form stays"

    right = _log_in(client, "marketer", PASSWORD)
    assert right.status_code == 429 and not _logged_in(right)
    assert LOCKED in right.content.decode()


def test_the_lock_holds_for_the_user_from_any_address(marketer):
    for number in range(5):
        _log_in(Client(), "marketer", "wrong", REMOTE_ADDR=f"10.0.0.{number}")
    response = _log_in(Client(), "marketer", PASSWORD, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429 and not _logged_in(response)
    assert _logged_in(_log_in(Client(), UserFactory(username="other").username, PASSWORD))


def test_the_lock_holds_for_an_address_whatever_the_username(marketer):
    for number in range(5):
        _log_in(Client(), f"guess{number}", "wrong", REMOTE_ADDR="10.0.0.7")
    from_there = _log_in(Client(), "marketer", PASSWORD, REMOTE_ADDR="10.0.0.7")
    assert from_there.status_code == 429 and not _logged_in(from_there)
    assert _logged_in(_log_in(Client(), "marketer", PASSWORD, REMOTE_ADDR="10.0.0.8"))


def test_a_forged_forwarded_for_header_changes_nothing(marketer):
    for number in range(5):
        forged = {"HTTP_X_FORWARDED_FOR": f"192.0.2.{number}", "REMOTE_ADDR": "10.0.0.7"}
        _log_in(Client(), f"guess{number}", "wrong", **forged)
    response = _log_in(Client(), "marketer", PASSWORD, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 429


def test_behind_a_proxy_the_address_the_proxy_appended_counts(marketer, settings):
    settings.BEHIND_PROXY = True
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for number in range(5):
        # The client may send its own header; the proxy appends the address it saw.
        sent = {"HTTP_X_FORWARDED_FOR": f"192.0.2.{number}, 203.0.113.5", **proxy}
        _log_in(Client(), f"guess{number}", "wrong", **sent)
    locked = _log_in(Client(), "marketer", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    assert locked.status_code == 429
    other = _log_in(Client(), "marketer", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy)
    assert _logged_in(other), "another client behind the same proxy is not locked out"


@pytest.mark.parametrize("header", ["not-an-address", "", " , ", "10.0.0.300", "\x00"])
def test_behind_a_proxy_a_malformed_forwarded_for_counts_as_the_proxy(marketer, settings, header):
    settings.BEHIND_PROXY = True
    for number in range(5):
        response = _log_in(
            Client(), f"guess{number}", "wrong", HTTP_X_FORWARDED_FOR=header, REMOTE_ADDR="10.0.0.1"
        )
        assert response.status_code in (200, 429)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.0.1"}
    assert _log_in(Client(), "marketer", PASSWORD, REMOTE_ADDR="10.0.0.1").status_code == 429


def test_the_lock_ends_after_the_cool_off(marketer):
    for _ in range(5):
        _log_in(Client(), "marketer", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert _logged_in(_log_in(Client(), "marketer", PASSWORD))


def test_limit_and_lock_time_are_settings(marketer, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.LOGIN_LOCKOUT_MINUTES = 1
    _log_in(Client(), "marketer", "wrong")
    second = _log_in(Client(), "marketer", "wrong")
    assert second.status_code == 429
    assert "Try again in 1 minute, or ask an administrator" in second.content.decode()


def test_a_successful_login_clears_earlier_failures(marketer):
    for _ in range(4):
        _log_in(Client(), "marketer", "wrong")
    assert _logged_in(_log_in(Client(), "marketer", PASSWORD))
    for _ in range(4):
        _log_in(Client(), "marketer", "wrong")
    assert _logged_in(_log_in(Client(), "marketer", PASSWORD))


def test_an_admin_sees_the_lockout_and_lifts_it(marketer, admin_client_role):
    for _ in range(5):
        _log_in(Client(), "marketer", "wrong")
    listing = admin_client_role.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "marketer" in listing.content.decode()
    attempts = list(AccessAttempt.objects.values_list("pk", flat=True))
    confirm = admin_client_role.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": attempts},
    )
    assert confirm.status_code == 200
    done = admin_client_role.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )
    assert done.status_code == 302
    assert _logged_in(_log_in(Client(), "marketer", PASSWORD))


def test_only_admins_see_login_attempts(marketer_client, tester_client):
    for client in (marketer_client, tester_client):
        assert client.get("/admin/axes/accessattempt/").status_code == 403


def test_a_failed_attempt_stores_no_search_from_the_next_link(marketer):
    Client().post("/login/?next=/contacts/%3Fq%3DQuuxworth", {"username": "x", "password": "y"})
    Client().post(
        "/login/",
        {"username": "marketer", "password": "wrong", "next": "/contacts/?q=Quuxworth"},
    )
    assert AccessAttempt.objects.exists()
    assert database_hits(["Quuxworth"]) == []
