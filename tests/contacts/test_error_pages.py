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


def test_405_page_keeps_the_navigation_and_the_allow_header(marketer_client):
    for method, url, allow in (
        ("PUT", "/contacts/", "GET, HEAD"),
        ("DELETE", "/contacts/new/", "GET, HEAD, POST"),
        ("GET", "/logout/", "POST"),
        ("GET", "/contacts/1/anonymize/", "POST"),
    ):
        response = marketer_client.generic(method, url)
        assert response.status_code == 405, (method, url)
        assert response["Allow"] == allow
        page = response.content.decode()
        assert "This page cannot do that" in page and "All Contacts" in page


def test_400_page_for_a_host_that_is_not_ours(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get("/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    page = response.content.decode()
    assert "This request could not be understood" in page
    assert "bootstrap.min.css" in page


def test_400_page_for_too_many_parameters(marketer_client):
    response = marketer_client.get("/contacts/?" + "a=1&" * 1500)
    assert response.status_code == 400
    assert "This request could not be understood" in response.content.decode()
