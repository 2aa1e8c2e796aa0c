import pytest

from contacts.models import AnonymousContact, Contact
from core.models import AuditEntry
from tests.factories import ContactFactory, EventFactory

pytestmark = pytest.mark.django_db


def test_admin_action_anonymizes_through_the_same_service(admin_client_role, admin_user):
    contacts = ContactFactory.create_batch(2)
    kept = ContactFactory()
    EventFactory(contact=contacts[0])
    response = admin_client_role.post(
        "/admin/contacts/contact/",
        {"action": "anonymize_contacts", "_selected_action": [c.pk for c in contacts]},
        follow=True,
    )
    assert "2 contacts anonymized" in response.content.decode()
    assert list(Contact.objects.values_list("pk", flat=True)) == [kept.pk]
    assert AnonymousContact.objects.count() == 2
    assert AuditEntry.objects.filter(action="contact.anonymized", actor=admin_user).count() == 2


def test_admin_delete_action_uses_the_service(admin_client_role):
    contact = ContactFactory()
    EventFactory(contact=contact)
    admin_client_role.post(
        "/admin/contacts/contact/",
        {"action": "delete_contacts", "_selected_action": [contact.pk]},
    )
    assert not Contact.objects.exists()
    assert AuditEntry.objects.filter(action="contact.deleted").count() == 1
