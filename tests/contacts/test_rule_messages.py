"""The messages of the ID and Source ID rules are the product's, not Django's."""

import re

import pytest

from tests.contacts.test_profile_views import _profile_data
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", "Enter a contact ID of 1 or more."),
        ("0", "Enter a contact ID of 1 or more."),
        ("1.5", "Enter a contact ID as a whole number, e.g. 1042."),
        ("99999999999999999999", "No contact has an ID this large."),
    ],
)
def test_the_id_filter_says_what_a_contact_id_is(marketer_client, value, message):
    ContactFactory()
    page = marketer_client.get("/contacts/", {"contact_id": value}).content.decode()
    assert message in page
    assert "Ensure this value" not in page


@pytest.mark.parametrize(
    ("value", "message"),
    [("123456", "A source ID has at most 5 digits."), ("-5", "Enter a whole number from 0")],
)
def test_the_profile_s_source_id_says_what_a_source_id_is(marketer_client, value, message):
    contact = ContactFactory()
    response = marketer_client.post(
        f"/contacts/{contact.pk}/", _profile_data(contact, source_id=value)
    )
    page = response.content.decode()
    assert message in page
    assert "Ensure this value" not in page


def test_a_source_id_in_range_is_saved(marketer_client):
    contact = ContactFactory()
    marketer_client.post(f"/contacts/{contact.pk}/", _profile_data(contact, source_id="99999"))
    contact.refresh_from_db()
    assert contact.source_id == 99999


def _number_input(page: str, name: str) -> str:
    [tag] = re.findall(rf'<input type="number"[^>]* name="{name}"[^>]*>', page)
    return tag


@pytest.mark.parametrize(
    ("value", "shown"),
    [("abc", None), ("12abc", None), ("1.5", "1.5"), ("-5", "-5"), (" 42 ", "42"), ("42", "42")],
)
def test_the_id_input_holds_only_a_number(marketer_client, value, shown):
    """The browser empties any other value of a number input and logs "The specified
    value "abc" cannot be parsed"; the message says what was wrong."""
    page = marketer_client.get("/contacts/", {"contact_id": value}).content.decode()
    tag = _number_input(page, "contact_id")
    if shown is None:
        assert " value=" not in tag
        assert "Enter a contact ID as a whole number, e.g. 1042." in page
    else:
        assert f' value="{shown}"' in tag


def test_the_source_id_input_shows_what_was_typed(marketer_client):
    """A text box (a number input would have submitted "" for a typo, clearing the ID)."""
    contact = ContactFactory()
    response = marketer_client.post(
        f"/contacts/{contact.pk}/", _profile_data(contact, source_id="abc")
    )
    page = response.content.decode()
    [tag] = re.findall(r'<input type="text"[^>]* name="source_id"[^>]*>', page)
    assert ' value="abc"' in tag
    assert "Enter a whole number from 0" in page
