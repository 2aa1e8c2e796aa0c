"""An htmx request after the session ended sends the browser to the login page (HX-Redirect),
back to the page the user was on; it never swaps the login or an error page into a fragment."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from exports.models import new_token
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def login_next(response) -> list[str] | None:
    """The next= of the login page the answer sends the browser to (None: no next)."""
    target = urlsplit(response["HX-Redirect"])
    assert target.path == "/login/"
    return parse_qs(target.query).get("next")


def test_a_list_filter_after_the_session_ended_goes_to_the_login_page(client):
    response = client.get(
        "/contacts/?q=schmidt&group=3",
        headers={**HTMX, "HX-Current-URL": "http://testserver/contacts/?q=schmidt&sort=email"},
    )
    assert response.status_code == 200
    assert login_next(response) == ["/contacts/?q=schmidt&sort=email"]
    assert b"Log in" not in response.content


def test_the_activity_tab_returns_to_the_profile_not_to_the_fragment(client):
    contact = ContactFactory()
    response = client.get(
        f"/contacts/{contact.pk}/history/?days=7",
        headers={**HTMX, "HX-Current-URL": f"http://testserver/contacts/{contact.pk}/"},
    )
    assert login_next(response) == [f"/contacts/{contact.pk}/"]


def test_an_export_poll_after_the_session_ended_goes_to_the_login_page(client):
    url = f"/exports/{new_token()}/"
    response = client.get(url, headers={**HTMX, "HX-Current-URL": f"http://testserver{url}"})
    assert login_next(response) == [url]


@pytest.mark.parametrize(
    "current",
    ["https://evil.example/phish", "//evil.example/x", "javascript:alert(1)", ""],
)
def test_a_current_url_of_another_site_is_not_followed(client, current):
    response = client.get("/contacts/", headers={**HTMX, "HX-Current-URL": current})
    assert login_next(response) is None


def test_without_htmx_the_login_redirect_is_unchanged(client):
    response = client.get("/contacts/?q=x")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/contacts/%3Fq%3Dx"
    assert "HX-Redirect" not in response


def test_a_post_refused_for_its_csrf_token_after_the_session_ended_goes_to_the_login_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/contacts/deletions/1/dismiss/",
        headers={**HTMX, "HX-Current-URL": "http://testserver/contacts/"},
    )
    assert login_next(response) == ["/contacts/"]


def test_a_refusal_of_a_logged_in_user_reloads_the_page(outsider_client):
    response = outsider_client.get(
        "/contacts/", headers={**HTMX, "HX-Current-URL": "http://testserver/contacts/"}
    )
    assert response.status_code == 403
    assert response["HX-Refresh"] == "true"
    assert "HX-Refresh" not in outsider_client.get("/contacts/")
