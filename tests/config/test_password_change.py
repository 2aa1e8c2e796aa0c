"""Change password, from the user menu: every user may, for their own account only."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from api.services import token_create, token_revoke
from core.models import AuditEntry

pytestmark = pytest.mark.django_db

OLD = "secret-pass-123"  # UserFactory's
NEW = "a-new-and-long-passphrase-7"
URL = "/account/password/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _change(client: Client, old=OLD, new=NEW, again=None):
    data = {"old_password": old, "new_password1": new, "new_password2": again or new}
    return client.post(URL, data, follow=True)


@pytest.mark.parametrize("persona", ["marketer", "tester", "outsider", "admin_user"])
def test_every_user_changes_their_own_password_and_stays_logged_in(persona, request):
    user = request.getfixturevalue(persona)
    client = _client(user)
    page = client.get(URL).content.decode()
    assert "<h1" in page and "Change password" in page and 'name="old_password"' in page
    other_browser = _client(user)

    response = _change(client)
    assert "Your password has been changed." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW) and not user.check_password(OLD)
    assert client.get(URL).status_code == 200  # this session stays
    assert other_browser.get(URL).status_code == 302  # another one has ended
    entry = AuditEntry.objects.get(action="account.password_changed")
    assert entry.actor == user and entry.contact_id is None


@pytest.mark.parametrize(
    ("old", "new", "again", "message"),
    [
        ("wrong-password", NEW, NEW, "Your old password was entered incorrectly"),
        (OLD, NEW, NEW + "x", "The two password fields"),
        (OLD, "short", "short", "This password is too short"),
        (OLD, "", "", "This field is required"),
    ],
)
def test_a_refused_change_says_why_and_keeps_the_password(marketer, old, new, again, message):
    client = _client(marketer)
    response = _change(client, old=old, new=new, again=again)
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    marketer.refresh_from_db()
    assert marketer.check_password(OLD)
    assert not AuditEntry.objects.filter(action="account.password_changed").exists()


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.post(URL, {"new_password1": NEW, "new_password2": NEW}).status_code == 302


def test_the_user_menu_offers_it(marketer_client):
    page = marketer_client.get("/contacts/").content.decode()
    assert f'<a class="dropdown-item" href="{URL}">Change password</a>' in page


def _token(user, name: str):
    days = dt.timedelta(days=9)
    return token_create(
        user=user, name=name, expires_on=timezone.localdate() + days, read_only=True
    )


def test_the_page_says_that_active_api_tokens_keep_working(marketer):
    client = _client(marketer)
    assert "active API token" not in client.get(URL).content.decode()
    first, _ = _token(marketer, "crm")
    page = client.get(URL).content.decode()
    assert "Your 1 active API token keeps working: it is not tied to the password." in page
    _token(marketer, "bi")
    page = client.get(URL).content.decode()
    assert "Your 2 active API tokens keep working: they are not tied to the password." in page
    assert 'href="/account/api-tokens/"' in page
    token_revoke(actor=marketer, token_id=first.pk)
    assert "Your 1 active API token keeps" in client.get(URL).content.decode()
