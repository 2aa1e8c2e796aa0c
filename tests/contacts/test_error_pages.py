import pytest
from django.template.loader import render_to_string

pytestmark = pytest.mark.django_db


def test_500_page_renders_without_a_request_and_looks_like_the_app():
    page = render_to_string("500.html")
    assert "Something went wrong" in page
    assert "bootstrap.min.css" in page
    assert "nothing was half-saved" in page


def test_403_and_404_pages_keep_the_navigation(outsider_client, marketer_client):
    forbidden = outsider_client.get("/contacts/")
    assert forbidden.status_code == 403
    assert "You are not allowed to do this" in forbidden.content.decode()
    missing = marketer_client.get("/no-such-page/")
    assert missing.status_code == 404
    page = missing.content.decode()
    assert "Not found" in page and "All Contacts" in page
