"""A contact named by its number is "Contact ID 1997" in every title and heading, the
product's term ("Delete Contact 1997" and "Message History · Contact 1997" were not)."""

import re

import pytest

from contacts.models import Membership
from tests.factories import ContactFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _title(page: str) -> str:
    [title] = re.findall(r"<title>(.*?)</title>", page, re.S)
    return title.strip()


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/contacts/{pk}/delete/", "Delete Contact ID {pk} · Contact Management"),
        ("/contacts/{pk}/history/", "Message History · Contact ID {pk} · Contact Management"),
        ("/contacts/{pk}/anonymize/", "Anonymize Contact ID {pk} · Contact Management"),
    ],
)
def test_page_titles_name_the_contact_id(admin_client_role, settings, path, title):
    settings.ANONYMIZE_CONFIRMATION = True  # the anonymize page asks first
    contact = ContactFactory()
    response = admin_client_role.get(path.format(pk=contact.pk))
    assert response.status_code == 200
    assert _title(response.content.decode()) == title.format(pk=contact.pk)


def test_the_admin_names_a_contact_by_its_contact_id():
    membership = MembershipFactory(group__name="VIP")
    contact = membership.contact
    assert str(contact) == f"Contact ID {contact.pk}"
    assert str(Membership.objects.get()) == f"Contact ID {contact.pk} in VIP"
