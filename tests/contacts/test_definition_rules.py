"""An admin changing an attribute's type or allowed values cannot strand a stored value."""

import pytest

from contacts.models import AttributeDefinition, AttributeType, MemberAttributeDefinition
from tests.contacts.admin_pages import errors
from tests.factories import (
    AttributeDefinitionFactory,
    AttributeValueFactory,
    GroupFactory,
    MemberAttributeDefinitionFactory,
    MemberAttributeValueFactory,
)

pytestmark = pytest.mark.django_db

ADD = "/admin/contacts/attributedefinition/add/"


def _change(definition) -> str:
    return f"/admin/contacts/attributedefinition/{definition.pk}/change/"


def _data(**fields) -> dict:
    return {
        "name": "Segment",
        "data_type": AttributeType.STRING,
        "allowed_values": "",
        "channel": "all",
        "description": "",
        **fields,
    }


@pytest.mark.parametrize(
    ("data_type", "allowed", "error"),
    [
        (AttributeType.NUMBER, "1\n2\nabc", "Not a number: “abc”."),
        (AttributeType.DATE, "2026-01-01\n2026-13-01", "Not a date: “2026-13-01”."),
        (AttributeType.BOOLEAN, "yes\nno", "A Boolean attribute is Yes or No"),
    ],
)
def test_allowed_values_must_be_of_the_type(admin_client_role, data_type, allowed, error):
    response = admin_client_role.post(ADD, _data(data_type=data_type, allowed_values=allowed))
    assert any(message.startswith(error) for message in errors(response)), errors(response)
    assert not AttributeDefinition.objects.exists()


def test_allowed_numbers_and_dates_are_stored_as_values_are(admin_client_role):
    response = admin_client_role.post(
        ADD, _data(data_type=AttributeType.NUMBER, allowed_values="1.50\n 1.5 \n2\n\n")
    )
    assert response.status_code == 302
    assert AttributeDefinition.objects.get().allowed_values == "1.5\n2"


def test_a_list_cannot_drop_a_value_that_contacts_hold(admin_client_role):
    definition = AttributeDefinitionFactory(
        name="Segment", allowed_values="New\nRegular\nVIP\nDormant"
    )
    for value in ("VIP", "VIP", "Dormant", "New"):
        AttributeValueFactory(definition=definition, value=value)
    response = admin_client_role.post(_change(definition), _data(allowed_values="New\nRegular"))
    assert errors(response) == [
        "3 contacts hold a value that this list refuses: “Dormant”, “VIP”. Change or remove "
        "those values first (an import can), or keep them allowed."
    ]
    definition.refresh_from_db()
    assert definition.allowed_value_list == ["New", "Regular", "VIP", "Dormant"]

    # Keeping every value that is held (and dropping one that is not) is fine.
    response = admin_client_role.post(
        _change(definition), _data(allowed_values="New\nVIP\nDormant")
    )
    assert response.status_code == 302
    definition.refresh_from_db()
    assert definition.allowed_value_list == ["New", "VIP", "Dormant"]


def test_a_type_cannot_change_under_values_it_refuses(admin_client_role):
    definition = AttributeDefinitionFactory(name="Segment", data_type=AttributeType.NUMBER)
    AttributeValueFactory(definition=definition, value="56")
    response = admin_client_role.post(_change(definition), _data(data_type=AttributeType.DATE))
    assert errors(response) == [
        "1 contact holds a value that the type Date refuses: “56”. Change or remove those "
        "values first (an import can), or keep them allowed."
    ]
    definition.refresh_from_db()
    assert definition.data_type == AttributeType.NUMBER

    # Every stored value is text: a String attribute takes them all.
    response = admin_client_role.post(_change(definition), _data(data_type=AttributeType.STRING))
    assert response.status_code == 302


def test_other_changes_do_not_look_at_the_values(admin_client_role):
    definition = AttributeDefinitionFactory(name="Segment", allowed_values="New")
    AttributeValueFactory(definition=definition, value="Left over from before")
    response = admin_client_role.post(
        _change(definition), _data(allowed_values="New", description="Customer segment")
    )
    assert response.status_code == 302


def test_a_groups_member_attribute_follows_the_same_rule(admin_client_role):
    definition = MemberAttributeDefinitionFactory(
        name="Store", data_type=AttributeType.STRING, allowed_values="Berlin\nHamburg"
    )
    MemberAttributeValueFactory(definition=definition, value="Hamburg")
    response = admin_client_role.post(
        f"/admin/contacts/memberattributedefinition/{definition.pk}/change/",
        {
            "group": definition.group_id,
            "name": "Store",
            "data_type": AttributeType.STRING,
            "allowed_values": "Berlin",
            "description": "",
        },
    )
    assert errors(response) == [
        "1 membership holds a value that this list refuses: “Hamburg”. Change or remove "
        "those values first (an import can), or keep them allowed."
    ]
    assert MemberAttributeDefinition.objects.get().allowed_value_list == ["Berlin", "Hamburg"]


def test_a_name_taken_in_other_capitals_is_refused_in_words(admin_client_role):
    AttributeDefinitionFactory(name="CustomerSegment")
    response = admin_client_role.post(ADD, _data(name="customersegment"))
    assert errors(response) == [
        "A custom attribute of this name exists already (names are the same in capitals "
        "and small letters)."
    ]
    group = GroupFactory()
    MemberAttributeDefinitionFactory(group=group, name="Store")
    response = admin_client_role.post(
        "/admin/contacts/memberattributedefinition/add/",
        {"group": group.pk, "name": "STORE", "data_type": "string", "allowed_values": ""},
    )
    assert errors(response) == [
        "This group has a member attribute of this name already (names are the same in "
        "capitals and small letters)."
    ]
