"""What a create or change of a contact refuses instead of dropping: an identifier sent
twice with two values, keys that name no field, numbers where text is asked for."""

import pytest

from contacts.models import AttributeDefinition, Contact
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def _create(api, attributes, identifier_type="email", identifier="a13@b.com"):
    body = {"identifier_type": identifier_type, "identifier": identifier, "attributes": attributes}
    return api.post("/api/v1/contacts/", body, format="json")


@pytest.mark.parametrize(
    ("attributes", "fields"),
    [
        ({"email": "x@y.com"}, ["identifier", "attributes.email"]),
        ({"email": None}, ["identifier", "attributes.email"]),
        ({"identifier_type": "mobile"}, ["identifier_type", "attributes.identifier_type"]),
    ],
)
def test_an_identifier_sent_twice_with_two_values_is_refused(api, attributes, fields):
    response = _create(api, attributes)
    assert response.status_code == 400, response.json()
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert sorted(body["errors"]) == sorted(fields)
    assert "differs from" in body["detail"]
    assert not Contact.objects.exists()


def test_the_identifier_sent_again_with_the_same_value_is_fine(api):
    attributes = {"email": " a13@B.COM ", "identifier_type": "email", "mobile_number": None}
    response = _create(api, attributes)
    assert response.status_code == 201, response.json()
    assert response.json()["email"] == "a13@b.com"


@pytest.mark.parametrize("name", ["nonexistent", "version", "id", "memberships", "app_data"])
def test_create_refuses_unknown_attributes_as_patch_does(api, name):
    created = _create(api, {name: "1", "first_name": "Anna"})
    assert created.status_code == 422
    assert created.json()["errors"] == {f"attributes.{name}": ["There is no such field."]}
    assert not Contact.objects.exists()
    contact = ContactFactory()
    changed = api.patch(
        f"/api/v1/contacts/{contact.pk}/", {name: "1"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert changed.status_code == 422
    assert changed.json()["errors"] == {name: ["There is no such field."]}


def test_create_refuses_an_unknown_key_of_the_request(api):
    response = api.post(
        "/api/v1/contacts/",
        {"identifier_type": "email", "identifier": "a@b.com", "atributes": {}},
        format="json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"atributes": ["There is no such field."]}


@pytest.mark.parametrize("value", ["1e400", "1", "2.5", "true", "[]"])
def test_text_is_a_json_string_never_a_number(api, value):
    AttributeDefinition.objects.create(name="Tier")
    text = '{"identifier_type": "email", "identifier": "n@b.com", "attributes": {"first_name": V}}'
    response = api.post(
        "/api/v1/contacts/", text.replace("V}", f"{value}}}"), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "attributes.first_name": ["Send text (a JSON string, in quotes) or null."]
    }
    contact = ContactFactory()
    patch = '{"custom_attributes": {"Tier": VALUE}}'.replace("VALUE", value)
    response = api.patch(
        f"/api/v1/contacts/{contact.pk}/",
        patch,
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["custom_attributes.Tier"]
    assert not AttributeDefinition.objects.get().values.exists()
