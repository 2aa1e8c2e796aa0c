"""No answer of the app is kept by a browser or a proxy cache (personal data)."""

import pytest
from django.http import HttpResponse

from config.middleware import NoStore
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_pages_with_personal_data_are_not_stored(marketer_client):
    contact = ContactFactory(first_name="Frieda")
    for url in ("/contacts/", f"/contacts/{contact.pk}/", "/contacts/?q=Frieda"):
        response = marketer_client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-store, private", url


def test_the_login_page_and_errors_are_not_stored_either(client, marketer_client):
    # Django's login view says so itself (never_cache); the middleware keeps its words.
    assert "no-store" in client.get("/login/")["Cache-Control"]
    assert marketer_client.get("/contacts/999999/")["Cache-Control"] == "no-store, private"


def test_an_answer_with_its_own_cache_control_keeps_it(rf):
    def view(request):
        response = HttpResponse("icon")
        response["Cache-Control"] = "public, max-age=60"
        return response

    assert NoStore(view)(rf.get("/"))["Cache-Control"] == "public, max-age=60"
