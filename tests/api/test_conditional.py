"""If-Match and If-None-Match of a contact as RFC 9110 reads them: lists, weak tags,
malformed headers, 304 Not Modified."""

import pytest

from contacts.models import Contact
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def _at_version(version: int) -> Contact:
    contact = ContactFactory(first_name="Old")
    Contact.objects.filter(pk=contact.pk).update(version=version)
    return contact


def _patch(api, contact, header):
    url = f"/api/v1/contacts/{contact.pk}/"
    return api.patch(url, {"first_name": "New"}, format="json", HTTP_IF_MATCH=header)


@pytest.mark.parametrize("header", ['"7", "1"', '"1","7"', '"1", , "7"', ' "7" '])
def test_if_match_holds_if_any_tag_of_its_list_is_current(api, header):
    contact = _at_version(7)
    response = _patch(api, contact, header)
    assert response.status_code == 200, response.json()
    assert response["ETag"] == '"8"'


@pytest.mark.parametrize("header", ['W/"5"', 'W/"5", W/"1"', '"5.0"', '"v5"', '"05"'])
def test_if_match_compares_strongly(api, header):
    """A weak tag never matches If-Match, nor a tag that is only alike."""
    contact = _at_version(5)
    response = _patch(api, contact, header)
    assert response.status_code == 412
    assert response["ETag"] == '"5"'
    contact.refresh_from_db()
    assert contact.first_name == "Old"


@pytest.mark.parametrize("header", ["garbage", "", "  ", "5", '"5', '"5" x', ",", '"5";"6"'])
def test_a_malformed_if_match_is_400_not_412(api, header):
    contact = _at_version(5)
    response = _patch(api, contact, header)
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert "If-Match must be * or a list of ETags" in response.json()["detail"]
    contact.refresh_from_db()
    assert contact.first_name == "Old"


@pytest.mark.parametrize("header", ['"3"', 'W/"3"', '"1", "3"', "*"])
def test_if_none_match_with_the_current_etag_is_304(api, header):
    contact = _at_version(3)
    response = api.get(f"/api/v1/contacts/{contact.pk}/", HTTP_IF_NONE_MATCH=header)
    assert response.status_code == 304
    assert response["ETag"] == '"3"'
    assert response.content == b""


def test_if_none_match_with_an_old_etag_is_the_profile(api):
    contact = _at_version(3)
    response = api.get(f"/api/v1/contacts/{contact.pk}/", HTTP_IF_NONE_MATCH='"2"')
    assert response.status_code == 200
    assert response["ETag"] == '"3"' and response.json()["id"] == contact.pk


def test_a_malformed_if_none_match_is_400(api):
    contact = _at_version(3)
    response = api.get(f"/api/v1/contacts/{contact.pk}/", HTTP_IF_NONE_MATCH="garbage")
    assert response.status_code == 400
    assert "If-None-Match must be" in response.json()["detail"]
