"""The profile's reads written out in SQL (contacts.selectors): the custom attributes
(definitions by name with the contact's value or None) and the memberships with their
groups and member attribute values, the rows the ORM gave."""

import pytest
from django.forms.models import model_to_dict

from contacts import selectors
from contacts.models import AppData, AttributeDefinition, Channel, Contact, Membership
from tests.factories import (
    AliasContactFactory,
    AppDataFactory,
    AttributeDefinitionFactory,
    AttributeValueFactory,
    ContactFactory,
    GroupFactory,
    MemberAttributeDefinitionFactory,
    MemberAttributeValueFactory,
    MembershipFactory,
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


def _memberships_with_values():
    contact, other = ContactFactory(), ContactFactory()
    groups = [GroupFactory(name=name) for name in ("Zoo", "<b>alpha</b>", "Mitte")]
    memberships = [MembershipFactory(contact=contact, group=g) for g in groups]
    MembershipFactory(contact=other, group=groups[0])
    zoo = memberships[0]
    for name, value in (("size", "<i>L</i>"), ("Colour", ""), ("age", "7")):
        definition = MemberAttributeDefinitionFactory(group=zoo.group, name=name)
        MemberAttributeValueFactory(membership=zoo, definition=definition, value=value)
    MemberAttributeValueFactory(membership=memberships[2], value="only one")
    return contact, memberships


def test_memberships_are_those_of_the_orm_by_group_name(django_assert_num_queries):
    contact, _memberships = _memberships_with_values()
    orm = list(Membership.objects.filter(contact=contact).select_related("group"))

    with django_assert_num_queries(2):  # the memberships with groups, then the values
        ours = selectors.contact_memberships(contact_id=contact.pk)
        cells = [
            (m.group.name, [(v.definition.name, v.value) for v in m.attribute_values.all()])
            for m in ours
        ]

    assert [model_to_dict(m) for m in ours] == [model_to_dict(m) for m in orm]
    assert [model_to_dict(m.group) for m in ours] == [model_to_dict(m.group) for m in orm]
    assert [name for name, _ in cells] == ["<b>alpha</b>", "Mitte", "Zoo"]
    # The values by their definition's name, each with its definition.
    assert cells[2][1] == [("age", "7"), ("Colour", ""), ("size", "<i>L</i>")]
    assert [value for _, value in cells[1][1]] == ["only one"]
    assert cells[0][1] == []
    for membership in ours:
        expected = {
            (v.pk, v.value)
            for v in membership.attribute_values.model.objects.filter(membership=membership)
        }
        assert {(v.pk, v.value) for v in membership.attribute_values.all()} == expected


def test_a_further_filter_of_the_values_stays_within_the_membership():
    contact, memberships = _memberships_with_values()
    ours = {m.pk: m for m in selectors.contact_memberships(contact_id=contact.pk)}
    zoo = ours[memberships[0].pk]
    assert zoo.attribute_values.filter(value="7").count() == 1
    assert ours[memberships[1].pk].attribute_values.filter(value="7").count() == 0


def test_no_memberships_one_query(django_assert_num_queries):
    contact = ContactFactory()
    with django_assert_num_queries(1):
        assert selectors.contact_memberships(contact_id=contact.pk) == []
