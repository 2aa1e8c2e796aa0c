"""The profile's custom attributes, read with SQL written out (contacts.selectors): the
rows the ORM gave, definitions by name with the contact's value or None."""

import pytest
from django.forms.models import model_to_dict

from contacts import selectors
from contacts.models import AttributeDefinition, Channel
from tests.factories import AttributeDefinitionFactory, AttributeValueFactory, ContactFactory

pytestmark = pytest.mark.django_db


def _orm_rows(contact):
    """What contact_custom_attributes read through the ORM."""
    values = dict(contact.attribute_values.values_list("definition_id", "value"))
    return [(d, values.get(d.pk)) for d in AttributeDefinition.objects.all()]


def test_custom_attributes_are_those_of_the_orm():
    contact, other = ContactFactory(), ContactFactory()
    names = ["zeta", '<script>"x"</script>', "Alpha", "O'Brien"]
    definitions = [
        AttributeDefinitionFactory(name=name, channel=Channel.EMAIL if i % 2 else Channel.ALL)
        for i, name in enumerate(names)
    ]
    AttributeValueFactory(contact=contact, definition=definitions[0], value="<b>bold</b>")
    AttributeValueFactory(contact=contact, definition=definitions[3], value="")
    AttributeValueFactory(contact=other, definition=definitions[1], value="not theirs")

    rows = selectors.contact_custom_attributes(contact=contact)

    expected = _orm_rows(contact)
    assert [(model_to_dict(r.definition), r.value) for r in rows] == [
        (model_to_dict(d), v) for d, v in expected
    ]
    assert [r.value for r in rows] == [v for _, v in expected]
    assert {r.definition.name: r.value for r in rows}["zeta"] == "<b>bold</b>"
    assert {r.definition.name: r.value for r in rows}['<script>"x"</script>'] is None


def test_no_definitions_no_rows():
    assert selectors.contact_custom_attributes(contact=ContactFactory()) == []
