"""contacts/ through a token: list, look-up, create, get, PATCH with If-Match, DELETE."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import AttributeDefinition, AttributeType, Contact
from core.models import AuditEntry
from tests.factories import ContactFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def test_create_returns_201_with_location_and_the_profile(api):
    AttributeDefinition.objects.create(name="Tier", data_type=AttributeType.NUMBER)
    body = {
        "identifier_type": "email",
        "identifier": " Anna@Exämple.com ",
        "attributes": {"first_name": "Anna", "country": "DE", "custom_attributes": {"tier": "3"}},
    }
    response = api.post("/api/v1/contacts/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert response["Location"] == f"/api/v1/contacts/{data['id']}/"
    assert data["email"] == "Anna@xn--exmple-cua.com"
    assert data["first_name"] == "Anna" and data["country"] == "DE"
    assert data["custom_attributes"] == {"Tier": "3"}
    assert response["ETag"] == f'"{data["version"]}"'
    assert AuditEntry.objects.filter(action="contact.created", contact_id=data["id"]).exists()


def test_create_duplicate_is_409_naming_the_existing_contact(api):
    existing = ContactFactory(email="dup@example.com")
    response = api.post(
        "/api/v1/contacts/",
        {"identifier_type": "email", "identifier": "DUP@example.com"},
        format="json",
    )
    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    assert response.json()["existing_id"] == existing.pk
    assert f"Contact ID {existing.pk}" in response.json()["detail"]


def test_create_with_a_bad_attribute_creates_nothing(api):
    response = api.post(
        "/api/v1/contacts/",
        {
            "identifier_type": "email",
            "identifier": "x@example.com",
            "attributes": {"country": "Narnia", "custom_attributes": {"Nope": "1"}},
        },
        format="json",
    )
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert "attributes.custom_attributes.Nope" in response.json()["errors"]
    assert not Contact.objects.exists()


def test_create_with_an_invalid_identifier_is_422(api):
    response = api.post(
        "/api/v1/contacts/", {"identifier_type": "mobile", "identifier": "12"}, format="json"
    )
    assert response.status_code == 422
    assert "identifier" in response.json()["errors"]


def test_lookup_by_each_identifier_is_exact(api):
    a = ContactFactory(email="anna@example.com", external_id="crm-1")
    ContactFactory(email="anna@example.com.au")
    b = ContactFactory(email=None, identifier_type="mobile", mobile_number="+4915112345678")
    c = ContactFactory(email=None, identifier_type="app_alias", app_alias="alias-1")
    for query, expected in [
        ("email=ANNA@example.com", [a.pk]),
        ("mobile_number=%2B49 151 12345678", [b.pk]),
        ("app_alias=alias-1", [c.pk]),
        ("external_id=crm-1", [a.pk]),
        ("external_id=crm", []),
    ]:
        response = api.get(f"/api/v1/contacts/?{query}")
        assert response.status_code == 200, (query, response.json())
        assert [r["id"] for r in response.json()["results"]] == expected, query
    # Not an address at all: said, not an empty page.
    assert api.get("/api/v1/contacts/?email=ann").json()["errors"]["email"]


def test_list_pages_by_cursor_with_filters_and_sort(api):
    group = GroupFactory()
    contacts = [ContactFactory(last_name=f"N{i:02d}") for i in range(7)]
    for contact in contacts[:5]:
        MembershipFactory(contact=contact, group=group)
    seen = []
    url = f"/api/v1/contacts/?group={group.pk}&sort=last_name&page_size=2"
    while url:
        data = api.get(url).json()
        seen += [r["last_name"] for r in data["results"]]
        url = data["next"]
    assert seen == [f"N{i:02d}" for i in range(5)]


def test_list_with_a_bad_filter_is_422(api):
    response = api.get("/api/v1/contacts/?contact_id=abc&sort=nope")
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM


def test_get_shows_the_profile_with_memberships(api):
    contact = ContactFactory(email="p@example.com")
    MembershipFactory(contact=contact, group=GroupFactory(name="News"))
    data = api.get(f"/api/v1/contacts/{contact.pk}/").json()
    assert data["identifiers"] == [
        {"type": "email", "value": "p@example.com", "status": "active", "is_identifier_type": True}
    ]
    assert data["memberships"][0]["group"] == "News"


def test_patch_needs_if_match_and_refuses_a_stale_version(api):
    contact = ContactFactory(first_name="Old", last_name="Name")
    url = f"/api/v1/contacts/{contact.pk}/"
    assert api.patch(url, {"first_name": "New"}, format="json").status_code == 428
    response = api.patch(url, {"first_name": "New"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200, response.json()
    assert response.json()["first_name"] == "New"
    assert response.json()["last_name"] == "Name"  # only what was sent changes
    assert response["ETag"] == '"2"'
    stale = api.patch(url, {"first_name": "Lost"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert stale["ETag"] == '"2"'
    contact.refresh_from_db()
    assert contact.first_name == "New"


def test_patch_with_if_match_star_changes_the_current_version(api):
    """RFC 9110: "*" matches any current version of a contact that exists."""
    contact = ContactFactory(first_name="Old")
    url = f"/api/v1/contacts/{contact.pk}/"
    api.patch(url, {"first_name": "Second"}, format="json", HTTP_IF_MATCH='"1"')
    response = api.patch(url, {"first_name": "Third"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 200, response.json()
    assert response["ETag"] == '"3"'
    assert (
        api.patch("/api/v1/contacts/999999/", {}, format="json", HTTP_IF_MATCH="*").status_code
        == 404
    )


def test_patch_keeps_the_rules_of_the_profile(api):
    contact = ContactFactory(email="only@example.com")
    url = f"/api/v1/contacts/{contact.pk}/"
    response = api.patch(url, {"email": None}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 422
    assert "email" in response.json()["errors"]
    response = api.patch(url, {"shoe_size": 42}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 422
    response = api.patch(url, {"time_zone": "Factory"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 422
    assert "time_zone" in response.json()["errors"]
    AttributeDefinition.objects.create(name="Points", data_type="number")
    response = api.patch(
        url, {"custom_attributes": {"Points": "1_000"}}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 422
    assert "without underscores" in response.json()["detail"]
    other = ContactFactory(email="taken@example.com")
    response = api.patch(url, {"email": "taken@example.com"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 409
    assert response.json()["existing_id"] == other.pk


def test_delete(api):
    contact = ContactFactory()
    assert api.delete(f"/api/v1/contacts/{contact.pk}/").status_code == 204
    assert api.delete(f"/api/v1/contacts/{contact.pk}/").status_code == 404
    assert api.get(f"/api/v1/contacts/{contact.pk}/").status_code == 404


def test_profile_query_count_does_not_grow_with_memberships(api):
    contact = ContactFactory()
    url = f"/api/v1/contacts/{contact.pk}/"
    api.get(url)  # records the token's last use (once a minute)
    MembershipFactory(contact=contact, group=GroupFactory())
    with CaptureQueriesContext(connection) as one:
        api.get(url)
    for _ in range(5):
        MembershipFactory(contact=contact, group=GroupFactory())
    with CaptureQueriesContext(connection) as six:
        data = api.get(url).json()
    assert len(data["memberships"]) == 6
    assert len(six) == len(one)


def test_patch_changes_only_what_is_sent_whatever_the_stored_values(api):
    definition = AttributeDefinition.objects.create(name="Since", data_type=AttributeType.DATE)
    contact = ContactFactory(
        email="anna@xn--exmple-cua.com",
        mobile_number="+4915112345678",
        date_of_birth="1990-02-03",
        country="DE",
        time_zone="Europe/Berlin",
        source_id=7,
    )
    contact.attribute_values.create(definition=definition, value="2020-01-01")
    response = api.patch(
        f"/api/v1/contacts/{contact.pk}/", {"nickname": "Anni"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 200, response.json()
    entry = AuditEntry.objects.filter(action="contact.updated").get()
    assert entry.details == {"fields": ["nickname"]}
    assert response.json()["custom_attributes"] == {"Since": "2020-01-01"}
