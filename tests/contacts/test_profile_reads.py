"""The profile's custom attributes, read with SQL written out (contacts.selectors): the
rows the ORM gave, definitions by name with the contact's value or None."""

import pytest
from django.forms.models import model_to_dict

from contacts import selectors
from contacts.models import AppData, AttributeDefinition, Channel, Contact
from tests.factories import (
    AliasContactFactory,
    AppDataFactory,
    AttributeDefinitionFactory,
    AttributeValueFactory,
    ContactFactory,
)

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


def test_a_contact_is_read_with_its_app_data(django_assert_num_queries):
    with_data = AliasContactFactory(first_name="<b>O'Neil</b>")
    AppDataFactory(contact=with_data)
    without = ContactFactory()
    for contact in (with_data, without):
        orm = Contact.objects.select_related("app_data").get(pk=contact.pk)
        with django_assert_num_queries(1):
            ours = selectors.contact_get(contact_id=contact.pk)
            assert ours is not None
            assert model_to_dict(ours) == model_to_dict(orm)
            assert ours.created_at == orm.created_at
            if contact is with_data:
                assert model_to_dict(ours.app_data) == model_to_dict(orm.app_data)
                assert ours.app_data.contact is ours
            else:
                with pytest.raises(AppData.DoesNotExist):
                    ours.app_data  # noqa: B018
    assert selectors.contact_get(contact_id=10**17) is None
