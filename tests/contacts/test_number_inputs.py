"""Numbers that a form saves are typed in text boxes: <input type=number> submitted an
empty value for "--5" or "1e999", and the empty value removed the stored number. What
the user typed reaches the rule of the type, which says what a number is."""

import re

import pytest

from contacts.attributes import attribute_parser
from contacts.models import AttributeDefinition, AttributeType, MemberAttributeValue
from tests.contacts.test_profile_views import _profile_data
from tests.factories import (
    AttributeDefinitionFactory,
    AttributeValueFactory,
    ContactFactory,
    MemberAttributeDefinitionFactory,
    MemberAttributeValueFactory,
    MembershipFactory,
)

NOT_A_NUMBER = (
    "Enter a number, e.g. 42 or -12.5, with a point as the decimal separator "
    "and no thousands separators."
)
TOO_LARGE = "Enter a number with at most 20 digits before the decimal point and 10 after it."
TYPOS = [("--5", NOT_A_NUMBER), ("12,5", NOT_A_NUMBER), ("1e999", TOO_LARGE)]


def _input(page: str, name: str) -> str:
    [tag] = re.findall(rf'<input[^>]* name="{name}"[^>]*>', page)
    return tag


@pytest.mark.parametrize(("raw", "message"), TYPOS)
def test_the_number_rule_refuses_typos_in_the_product_s_words(raw, message):
    parse = attribute_parser(AttributeDefinition(name="Points", data_type=AttributeType.NUMBER))
    with pytest.raises(Exception, match=re.escape(message)):
        parse(raw)


@pytest.mark.django_db
@pytest.mark.parametrize(("raw", "message"), TYPOS)
def test_a_typo_in_a_number_attribute_keeps_the_stored_value(marketer_client, raw, message):
    definition = AttributeDefinitionFactory(name="OrderCount", data_type=AttributeType.NUMBER)
    contact = ContactFactory()
    AttributeValueFactory(contact=contact, definition=definition, value="7")
    field = f"custom_{definition.pk}"
    response = marketer_client.post(
        f"/contacts/{contact.pk}/", _profile_data(contact, **{field: raw})
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    # Shown again as typed, in a box the browser does not empty.
    tag = _input(page, field)
    assert 'type="text"' in tag and 'inputmode="decimal"' in tag
    assert f'value="{raw}"' in tag
    assert contact.attribute_values.get().value == "7"


@pytest.mark.django_db
@pytest.mark.parametrize(("raw", "message"), TYPOS)
def test_a_typo_in_a_number_member_attribute_keeps_the_stored_value(marketer_client, raw, message):
    membership = MembershipFactory()
    definition = MemberAttributeDefinitionFactory(
        group=membership.group, name="Seat", data_type=AttributeType.NUMBER
    )
    value = MemberAttributeValueFactory(membership=membership, definition=definition, value="3")
    url = f"/groups/{membership.group_id}/memberships/{membership.pk}/"
    field = f"member_{value.definition_id}"
    tag = _input(marketer_client.get(url).content.decode(), field)
    assert 'type="text"' in tag and 'inputmode="decimal"' in tag
    response = marketer_client.post(url, {"status": membership.status, field: raw})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert MemberAttributeValue.objects.get(pk=value.pk).value == "3"


@pytest.mark.django_db
def test_the_source_id_is_typed_as_text_and_a_typo_keeps_it(marketer_client):
    contact = ContactFactory(source_id=42)
    tag = _input(marketer_client.get(f"/contacts/{contact.pk}/").content.decode(), "source_id")
    assert 'type="text"' in tag and 'inputmode="numeric"' in tag and 'value="42"' in tag
    response = marketer_client.post(
        f"/contacts/{contact.pk}/", _profile_data(contact, source_id="--5")
    )
    assert "Enter a whole number from 0 to 99,999." in response.content.decode()
    assert 'value="--5"' in _input(response.content.decode(), "source_id")
    contact.refresh_from_db()
    assert contact.source_id == 42
