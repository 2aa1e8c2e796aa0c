"""Personal access tokens: the API tokens page, hashing, expiry, revocation, last use."""

import datetime as dt
import hashlib

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from tests.api.conftest import bearer, make_token
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_the_page_creates_a_token_shown_once(marketer_client, marketer):
    page = marketer_client.get("/account/api-tokens/")
    assert page.status_code == 200
    assert "You have no API tokens yet." in page.content.decode()
    expires = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    response = marketer_client.post(
        "/account/api-tokens/",
        {"name": "Shop", "expires_on": expires, "access": "read_write"},
    )
    assert response.status_code == 201
    html = response.content.decode()
    token = ApiToken.objects.get()
    text = html.split('id="new-token" class="form-control font-monospace" readonly value="')[1]
    text = text.split('"')[0]
    assert text.startswith(f"cbt_{token.prefix}_")
    assert token.key_hash == hashlib.sha256(text.encode()).hexdigest()
    assert text not in str(ApiToken.objects.values().get())  # only the hash is stored
    assert not token.read_only and token.user == marketer
    # Shown once: the list shows the prefix only, and the last day as it was entered
    # (it showed the day after: the token works to the end of the day given).
    listing = marketer_client.get("/account/api-tokens/").content.decode()
    assert text not in listing
    assert f"<td>{expires}</td>" in listing
    assert bearer(text).get("/api/v1/contacts/").status_code == 200


def test_the_page_refuses_a_past_or_far_expiry(marketer_client):
    for day in (timezone.localdate(), timezone.localdate() + dt.timedelta(days=4000)):
        response = marketer_client.post(
            "/account/api-tokens/",
            {"name": "x", "expires_on": day.isoformat(), "access": "read_only"},
        )
        assert response.status_code == 200
        assert "A token lasts at most" in response.content.decode() or "after today" in (
            response.content.decode()
        )
    assert not ApiToken.objects.exists()


def test_revoke_stops_the_token_and_others_cannot_revoke_it(marketer, tester, marketer_client):
    text = make_token(marketer)
    token = ApiToken.objects.get()
    other = Client()
    other.force_login(tester)
    other.post(f"/account/api-tokens/{token.pk}/revoke/")
    assert bearer(text).get("/api/v1/contacts/").status_code == 200
    response = marketer_client.post(f"/account/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    response = bearer(text).get("/api/v1/contacts/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Revoked" in marketer_client.get("/account/api-tokens/").content.decode()


def test_expired_wrong_and_malformed_tokens_are_401(marketer):
    text = make_token(marketer)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    for header in (
        f"Bearer {text}",
        f"Bearer {text[:-2]}xx",
        "Bearer cbt_nope",
        "Bearer cbt_0123456789ab_\x00",
        f"Bearer {text[:8]}\x00{text[9:]}",
        "Bearer",
        "Bearer a b",
    ):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        response = client.get("/api/v1/contacts/")
        assert response.status_code == 401, header
        assert response["Content-Type"] == "application/problem+json"


def test_an_inactive_user_s_token_stops_working(marketer):
    text = make_token(marketer)
    marketer.is_active = False
    marketer.save()
    assert bearer(text).get("/api/v1/contacts/").status_code == 401


def test_last_use_is_recorded(marketer):
    text = make_token(marketer)
    assert ApiToken.objects.get().last_used_at is None
    bearer(text).get("/api/v1/contacts/")
    assert ApiToken.objects.get().last_used_at is not None


def test_read_only_token_reads_but_never_writes(marketer):
    client = bearer(make_token(marketer, read_only=True))
    assert client.get("/api/v1/contacts/").status_code == 200
    response = client.post(
        "/api/v1/contacts/", {"identifier_type": "email", "identifier": "a@b.de"}, format="json"
    )
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]


def test_the_token_carries_the_role_and_never_more(tester):
    client = bearer(make_token(tester))
    contact = ContactFactory()
    assert client.delete(f"/api/v1/contacts/{contact.pk}/").status_code == 403


def test_admin_sees_and_revokes_every_token(admin_client_role, marketer):
    make_token(marketer)
    token = ApiToken.objects.get()
    page = admin_client_role.get("/admin/api/apitoken/")
    assert page.status_code == 200 and token.prefix in page.content.decode()
    response = admin_client_role.post(
        "/admin/api/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    assert ApiToken.objects.get().revoked_at is not None


def test_the_user_menu_links_the_page(marketer_client):
    assert "/account/api-tokens/" in marketer_client.get("/contacts/").content.decode()


def test_session_writes_need_csrf(marketer):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(marketer)
    assert client.get("/api/v1/contacts/").status_code == 200
    response = client.post(
        "/api/v1/contacts/", {"identifier_type": "email", "identifier": "a@b.de"}, format="json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


@pytest.mark.parametrize("role", ["marketer", "tester", "admin", "outsider"])
def test_every_logged_in_user_has_the_page_anonymous_logs_in_first(clients, role):
    assert clients[role].get("/account/api-tokens/").status_code == 200
    response = clients["anonymous"].get("/account/api-tokens/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert clients["anonymous"].post("/account/api-tokens/1/revoke/").status_code == 302
    assert clients[role].put("/account/api-tokens/").status_code == 405
    assert clients[role].get("/account/api-tokens/1/revoke/").status_code == 405
