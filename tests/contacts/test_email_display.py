"""Internationalised domains: stored in IDNA (Punycode) form, shown in Unicode everywhere."""

import pytest

from contacts.models import Contact
from contacts.validation import display_email
from tests.factories import ContactFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db

STORED = "Anna@xn--bcher-kva.example"
SHOWN = "Anna@bücher.example"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (STORED, SHOWN),
        ("ben@shop.xn--bcher-kva.xn--mnchen-3ya.example", "ben@shop.bücher.münchen.example"),
        ("plain@example.com", "plain@example.com"),
        ("broken@xn--zzzz.example", "broken@xn--zzzz.example"),  # not valid Punycode
        ('"a@b"@xn--bcher-kva.example', '"a@b"@bücher.example'),
        (None, ""),
    ],
)
def test_display_form_of_an_address(stored, shown):
    assert display_email(stored) == shown


@pytest.fixture
def contact(db):
    return ContactFactory(email=STORED, first_name="Anna", last_name="Berg")


def test_all_contacts_row_shows_the_unicode_domain(marketer_client, contact):
    page = marketer_client.get("/contacts/").content.decode()
    # The cell may offer line breaks (<wbr>) inside the address on a narrow screen.
    assert f'<td class="email-col">{SHOWN}</td>' in page.replace("<wbr>", "")
    assert "xn--" not in page


def test_profile_shows_the_unicode_domain_and_saves_it_unchanged(marketer_client, contact):
    page = marketer_client.get(f"/contacts/{contact.pk}/").content.decode()
    assert f'<dd class="col-sm-7 text-break">{SHOWN}</dd>' in page  # Summary
    assert f'value="{SHOWN}"' in page  # the Email field
    assert "xn--" not in page
    for submitted in (SHOWN, STORED):
        data = {
            "version": contact.version,
            "identifier_type": "email",
            "email": submitted,
            "email_status": "active",
            "mobile_status": "active",
            "app_alias_status": "active",
            "first_name": "Anna",
            "last_name": "Berg",
        }
        response = marketer_client.post(f"/contacts/{contact.pk}/", data, follow=True)
        assert f"Nothing changed in Contact ID {contact.pk}." in response.content.decode()
    stored = Contact.objects.get(pk=contact.pk)
    assert (stored.email, stored.version) == (STORED, 1)


def test_profile_saves_a_new_unicode_address_in_idna_form(marketer_client, contact):
    data = {
        "version": contact.version,
        "identifier_type": "email",
        "email": "anna@straße.example",
        "email_status": "active",
        "mobile_status": "active",
        "app_alias_status": "active",
        "first_name": "Anna",
        "last_name": "Berg",
    }
    response = marketer_client.post(f"/contacts/{contact.pk}/", data, follow=True)
    assert f"Contact ID {contact.pk} saved." in response.content.decode()
    assert Contact.objects.get(pk=contact.pk).email == "anna@strasse.example"


def test_group_members_show_the_unicode_domain(marketer_client, contact):
    group = GroupFactory()
    MembershipFactory(contact=contact, group=group)
    page = marketer_client.get(f"/groups/{group.pk}/").content.decode()
    assert SHOWN in page.replace("<wbr>", "") and "xn--" not in page


def test_admin_shows_the_unicode_domain(admin_client_role, contact):
    listing = admin_client_role.get("/admin/contacts/contact/").content.decode()
    assert SHOWN in listing and "xn--" not in listing
    detail = admin_client_role.get(f"/admin/contacts/contact/{contact.pk}/change/")
    assert SHOWN in detail.content.decode()
