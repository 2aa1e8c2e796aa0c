"""The API's ID filter answers in the words of the one Contact ID rule, as the list does."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_contact_id_below_one_is_explained(api):
    response = api.get("/api/v1/contacts/", {"contact_id": "-5"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Enter a contact ID of 1 or more." in body
    assert "Ensure this value" not in body
