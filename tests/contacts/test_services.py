import pytest
from django.core.exceptions import ValidationError

from contacts.models import (
    AppData,
    AttributeType,
    AttributeValue,
    Contact,
    Event,
    MemberAttributeValue,
    Membership,
    MembershipStatus,
    RelatedRecord,
)
from contacts.services import (
    ContactConflict,
    ContactGone,
    DuplicateIdentifier,
    contact_create,
    contact_delete,
    contact_update,
    contacts_delete,
    membership_create,
    membership_update,
)
from core.models import AuditEntry
from tests.factories import (
    AppDataFactory,
    AttributeDefinitionFactory,
    AttributeValueFactory,
    ContactFactory,
    EventFactory,
    GroupFactory,
    MemberAttributeDefinitionFactory,
    MemberAttributeValueFactory,
    MembershipFactory,
    RelatedRecordFactory,
)

pytestmark = pytest.mark.django_db


def test_create_normalizes_and_audits(marketer):
    contact = contact_create(actor=marketer, identifier_type="mobile", identifier="+49 171 1234567")
    assert contact.mobile_number == "+491711234567"
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.contact_id) == (
        marketer,
        "contact.created",
        contact.pk,
    )
    assert entry.details == {}


def test_duplicate_identifier_names_the_existing_contact_and_creates_nothing():
    existing = ContactFactory(email="anna@example.com")
    with pytest.raises(DuplicateIdentifier) as exc:
        contact_create(actor=None, identifier_type="email", identifier="ANNA@example.com")
    assert exc.value.existing_id == existing.pk
    assert f"Contact ID {existing.pk}" in str(exc.value)
    assert Contact.objects.count() == 1
    assert not AuditEntry.objects.exists()


def test_update_writes_only_changed_fields_and_bumps_version(marketer):
    contact = ContactFactory(first_name="Anna", last_name="Alt")
    changed = contact_update(
        actor=marketer,
        contact_id=contact.pk,
        expected_version=1,
        changes={"first_name": "Anna", "last_name": "Neu"},
    )
    assert changed == ["last_name"]
    contact.refresh_from_db()
    assert (contact.last_name, contact.version) == ("Neu", 2)
    entry = AuditEntry.objects.get(action="contact.updated")
    assert entry.details == {"fields": ["last_name"]}
    assert "Neu" not in str(entry.details)


def test_update_with_nothing_changed_leaves_the_version():
    contact = ContactFactory(first_name="Anna")
    assert (
        contact_update(
            actor=None, contact_id=contact.pk, expected_version=1, changes={"first_name": "Anna"}
        )
        == []
    )
    contact.refresh_from_db()
    assert contact.version == 1


def test_update_based_on_an_old_version_is_refused():
    contact = ContactFactory(first_name="Anna")
    contact_update(
        actor=None, contact_id=contact.pk, expected_version=1, changes={"first_name": "B"}
    )
    with pytest.raises(ContactConflict):
        contact_update(
            actor=None, contact_id=contact.pk, expected_version=1, changes={"first_name": "C"}
        )
    contact.refresh_from_db()
    assert contact.first_name == "B"


def test_update_of_a_deleted_contact_says_it_is_gone():
    contact = ContactFactory()
    contact_delete(actor=None, contact_id=contact.pk)
    with pytest.raises(ContactGone):
        contact_update(actor=None, contact_id=contact.pk, expected_version=1, changes={})


def test_the_only_identifier_cannot_be_removed():
    contact = ContactFactory(email="a@example.com")
    with pytest.raises(ValidationError, match="only identifier"):
        contact_update(actor=None, contact_id=contact.pk, expected_version=1, changes={"email": ""})
    contact.refresh_from_db()
    assert contact.email == "a@example.com"


def test_identifier_of_the_chosen_type_cannot_be_removed_but_type_can_change():
    contact = ContactFactory(email="a@example.com", mobile_number="+491711234567")
    with pytest.raises(ValidationError, match="identifier type"):
        contact_update(actor=None, contact_id=contact.pk, expected_version=1, changes={"email": ""})
    contact_update(
        actor=None,
        contact_id=contact.pk,
        expected_version=1,
        changes={"email": "", "identifier_type": "mobile"},
    )
    contact.refresh_from_db()
    assert (contact.email, contact.identifier_type) == (None, "mobile")


def test_changing_email_to_one_in_use_names_the_clash():
    other = ContactFactory(email="taken@example.com")
    contact = ContactFactory(email="mine@example.com")
    with pytest.raises(DuplicateIdentifier) as exc:
        contact_update(
            actor=None,
            contact_id=contact.pk,
            expected_version=1,
            changes={"email": "TAKEN@example.com"},
        )
    assert exc.value.existing_id == other.pk
    contact.refresh_from_db()
    assert contact.email == "mine@example.com"


def test_custom_values_are_validated_by_type_and_stored_canonically():
    number = AttributeDefinitionFactory(name="Score", data_type=AttributeType.NUMBER)
    flag = AttributeDefinitionFactory(name="VIP", data_type=AttributeType.BOOLEAN)
    contact = ContactFactory()
    changed = contact_update(
        actor=None,
        contact_id=contact.pk,
        expected_version=1,
        changes={},
        custom_values={number.pk: "012.50", flag.pk: "true"},
    )
    assert changed == ["custom:Score", "custom:VIP"]
    assert dict(contact.attribute_values.values_list("definition__name", "value")) == {
        "Score": "12.5",
        "VIP": "true",
    }
    with pytest.raises(ValidationError, match="Score"):
        contact_update(
            actor=None,
            contact_id=contact.pk,
            expected_version=2,
            changes={"first_name": "Changed"},
            custom_values={number.pk: "twelve"},
        )
    contact.refresh_from_db()
    assert contact.first_name != "Changed"


def test_custom_value_can_be_removed():
    value = AttributeValueFactory(value="x")
    contact_update(
        actor=None,
        contact_id=value.contact_id,
        expected_version=1,
        changes={},
        custom_values={value.definition_id: None},
    )
    assert not AttributeValue.objects.exists()


def test_bulk_delete_removes_everything_of_the_contacts_and_nothing_else(marketer):
    doomed = ContactFactory()
    kept = ContactFactory()
    for contact in (doomed, kept):
        membership = MembershipFactory(contact=contact)
        MemberAttributeValueFactory(membership=membership)
        AttributeValueFactory(contact=contact)
        EventFactory(contact=contact)
        RelatedRecordFactory(contact=contact)
    AppDataFactory(contact=doomed)

    assert contacts_delete(actor=marketer, contacts=Contact.objects.filter(pk=doomed.pk)) == 1

    assert list(Contact.objects.values_list("pk", flat=True)) == [kept.pk]
    for model in (Membership, AttributeValue, Event, RelatedRecord):
        assert set(model.objects.values_list("contact_id", flat=True)) == {kept.pk}
    assert MemberAttributeValue.objects.get().membership.contact_id == kept.pk
    assert not AppData.objects.exists()
    entry = AuditEntry.objects.get(action="contact.deleted")
    assert (entry.contact_id, entry.actor) == (doomed.pk, marketer)


def test_deleting_a_contact_that_is_gone_says_so():
    contact = ContactFactory()
    contact_delete(actor=None, contact_id=contact.pk)
    with pytest.raises(ContactGone):
        contact_delete(actor=None, contact_id=contact.pk)


def test_membership_create_update_and_member_values(marketer):
    contact = ContactFactory()
    group = GroupFactory()
    store = MemberAttributeDefinitionFactory(group=group, name="PreferredStore")
    membership = membership_create(actor=marketer, contact_id=contact.pk, group=group)
    with pytest.raises(Exception, match="already a member"):
        membership_create(actor=marketer, contact_id=contact.pk, group=group)
    changed = membership_update(
        actor=marketer,
        membership_id=membership.pk,
        status="pending",
        is_test_recipient=True,
        member_values={store.pk: "Berlin"},
    )
    assert changed == ["status", "is_test_recipient", "member:PreferredStore"]
    assert membership.attribute_values.get().value == "Berlin"
    assert AuditEntry.objects.filter(contact_id=contact.pk).count() == 2


def test_membership_for_a_deleted_contact_is_refused():
    contact = ContactFactory()
    contact_delete(actor=None, contact_id=contact.pk)
    with pytest.raises(ContactGone):
        membership_create(actor=None, contact_id=contact.pk, group=GroupFactory())


def test_every_member_of_a_test_group_is_a_test_recipient(marketer):
    test_group, group = GroupFactory(is_test_group=True), GroupFactory()
    contact = ContactFactory()
    in_test = membership_create(actor=marketer, contact_id=contact.pk, group=test_group)
    in_other = membership_create(actor=marketer, contact_id=contact.pk, group=group)
    assert (in_test.is_test_recipient, in_other.is_test_recipient) == (True, False)

    membership_update(
        actor=marketer,
        membership_id=in_test.pk,
        status=MembershipStatus.ACTIVE,
        is_test_recipient=False,
    )
    in_test.refresh_from_db()
    assert in_test.is_test_recipient
