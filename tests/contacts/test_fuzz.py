"""Arbitrary input to create, edit and the list: a clear answer every time, never a 500.

The test client re-raises any exception a view lets escape, so a crash fails the test.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts.models import AttributeDefinition, AttributeType, Contact
from tests.factories import AttributeDefinitionFactory, ContactFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
any_text = st.text(max_size=300) | st.sampled_from(["", " ", "+", "@", "0" * 40, "x" * 2500])
identifier_types = st.sampled_from(["email", "mobile", "app_alias"]) | st.text(max_size=10)


@FUZZ
@given(kind=identifier_types, identifier=any_text)
def test_create_never_fails(marketer_client, kind, identifier):
    before = Contact.objects.count()
    response = marketer_client.post(
        "/contacts/new/", {"identifier_type": kind, "identifier": identifier}
    )
    assert response.status_code in (200, 302)
    assert Contact.objects.count() == before + (1 if response.status_code == 302 else 0)


PROFILE_FIELDS = [
    "identifier_type",
    "email",
    "mobile_number",
    "app_alias",
    "external_id",
    "first_name",
    "title",
    "gender",
    "date_of_birth",
    "country",
    "language",
    "time_zone",
    "source_id",
    "version",
    "email_status",
]


@pytest.fixture
def fuzz_contact(db):
    AttributeDefinitionFactory(name="Score", data_type=AttributeType.NUMBER)
    AttributeDefinitionFactory(name="Since", data_type=AttributeType.DATE)
    AttributeDefinitionFactory(name="VIP", data_type=AttributeType.BOOLEAN)
    AttributeDefinitionFactory(name="Tier", allowed_values="Gold\nSilver")
    return ContactFactory(email="fuzz@example.com")


@FUZZ
@given(values=st.dictionaries(st.sampled_from(PROFILE_FIELDS), any_text), custom=any_text)
def test_edit_never_fails(marketer_client, fuzz_contact, values, custom):
    contact = Contact.objects.get(pk=fuzz_contact.pk)
    definition_ids = AttributeDefinition.objects.values_list("pk", flat=True)
    data = {
        "version": contact.version,
        "identifier_type": contact.identifier_type,
        "email": contact.email or "",
        "mobile_number": contact.mobile_number or "",
        "email_status": "active",
        "mobile_status": "active",
        "app_alias_status": "active",
        **{f"custom_{pk}": custom for pk in definition_ids},
        **values,
    }
    response = marketer_client.post(f"/contacts/{contact.pk}/", data)
    assert response.status_code in (200, 302)
    assert Contact.objects.filter(pk=contact.pk).exists()


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "q",
                "contact_id",
                "email",
                "mobile",
                "alias",
                "name",
                "identifier_type",
                "group",
                "created_from",
                "created_to",
                "sort",
                "page",
                "per_page",
                "after",
                "before",
                "last",
            ]
        ),
        any_text,
    )
)
def test_list_never_fails(marketer_client, params):
    response = marketer_client.get("/contacts/", params)
    assert response.status_code == 200


@FUZZ
@given(
    data=st.dictionaries(
        st.sampled_from(["ids", "select_all", "filter_query", "max_id", "confirmed"]), any_text
    )
)
def test_bulk_delete_and_list_export_never_fail(marketer_client, data):
    ContactFactory()
    for url in ("/contacts/delete/", "/exports/contacts/"):
        response = marketer_client.post(url, data)
        assert response.status_code in (200, 302)
