"""Anonymizing a contact in a real browser, with the confirmation email sent by a real worker.

Audience > Contact Management > All Contacts > Contact Profile > Anonymize (and Anonymize
Contact in the row's Actions menu): immediate, a success message, the contact gone, an email
to the user who did it, and a new Contact ID if the person is added again.
"""

import re

import pytest
from playwright.sync_api import expect

from anonymization.models import Anonymization
from anonymization.notifications import CONFIRMATION
from contacts.models import AnonymousContact, Contact
from core.jobs import JobStatus
from tests.browser.conftest import (
    EDIT_LINK,
    MARKETER_EMAIL,
    contact_row,
    expect_success,
    heading,
    open_actions_menu,
    open_all_contacts,
)
from tests.factories import AttributeValueFactory, ContactFactory, EventFactory
from tests.jobs import mail_of
from tests.worker import mail_text, sent_mail, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def confirmation_mail(worker_env: dict, contact_id: int) -> str:
    """The text of the worker's confirmation email for this contact (waits for it)."""
    subject = f"Contact ID {contact_id} was anonymized"

    def find():
        return [m for m in sent_mail(worker_env) if m["Subject"] == subject]

    messages = wait_for(find, what=f"the confirmation email for Contact ID {contact_id}")
    assert len(messages) == 1, "one confirmation per anonymization"
    assert messages[0]["To"] == MARKETER_EMAIL
    return mail_text(messages[0])


def expect_confirmation_without_the_address(worker_env: dict, contact_id: int, address: str):
    text = confirmation_mail(worker_env, contact_id)
    assert f"Contact ID {contact_id} and its email address were anonymized" in text
    local_part, domain = address.split("@")
    for secret in (address, local_part, domain):
        assert secret.lower() not in text.lower(), f"the email repeats {secret!r}"


# -- Anonymize from the Contact Profile -------------------------------------------------------


def test_anonymize_from_the_profile_sends_the_confirmation_and_re_adding_gets_a_new_id(
    celery_worker, worker_env, marketer_page
):
    page = marketer_page
    address = "frieda.forgetme@privacy-test.example"
    contact = ContactFactory(email=address, first_name="Frieda", last_name="Vergessen")
    AttributeValueFactory(contact=contact, value="zq-favourite-colour")
    EventFactory(contact=contact, message_name="Autumn newsletter")
    ContactFactory(email="stays@example.com", first_name="Stefan")
    celery_worker()

    page.goto("/groups/")
    open_all_contacts(page)
    contact_row(page, address).get_by_role("link", name=EDIT_LINK).click()
    expect(heading(page, "Contact Profile")).to_contain_text(f"Contact ID {contact.pk}")

    # Immediate: no confirmation step.
    page.get_by_role("button", name="Anonymize", exact=True).click()

    expect(heading(page, "All Contacts")).to_be_visible()
    expect_success(
        page,
        f"Contact ID {contact.pk} was anonymized. A confirmation email is on its way to you.",
    )
    expect(contact_row(page, address)).to_have_count(0)
    expect(contact_row(page, "Frieda")).to_have_count(0)
    expect(contact_row(page, "stays@example.com")).to_have_count(1)
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert AnonymousContact.objects.count() == 1
    # The profile is gone for good.
    response = page.goto(f"/contacts/{contact.pk}/")
    assert response.status == 404

    expect_confirmation_without_the_address(worker_env, contact.pk, address)
    record = Anonymization.objects.get(contact_id=contact.pk)
    assert mail_of(CONFIRMATION, record.pk).status == JobStatus.DONE

    # The same person added again: a new Contact ID, nothing of the old data.
    open_all_contacts(page)
    page.get_by_role("link", name="Create", exact=True).click()
    expect(heading(page, "New Contact Profile")).to_be_visible()
    page.get_by_role("radio", name="Email", exact=True).check()
    page.get_by_label("Identifier").fill(address)
    page.get_by_role("button", name="Create", exact=True).click()

    title = heading(page, "Contact Profile")
    expect(title).to_be_visible()
    shown = re.search(r"Contact ID (\d+)", title.inner_text())
    assert shown, title.inner_text()
    new_id = int(shown.group(1))
    assert new_id > contact.pk
    expect_success(page, f"Contact ID {new_id} created.")
    summary = page.get_by_role("tabpanel", name="Summary")
    expect(summary.get_by_text(address, exact=True)).to_be_visible()
    expect(summary).to_contain_text("None yet")  # no activity carried over
    page.get_by_role("tab", name="Attributes").click()
    expect(page.get_by_label("First Name", exact=True)).to_have_value("")
    expect(page.get_by_label("Last Name", exact=True)).to_have_value("")
    assert list(Contact.objects.filter(email=address).values_list("pk", flat=True)) == [new_id]


# -- Anonymize Contact from the Actions menu --------------------------------------------------


def test_anonymize_contact_from_the_actions_menu(celery_worker, worker_env, marketer_page):
    page = marketer_page
    address = "menu.forgetme@privacy-test.example"
    contact = ContactFactory(email=address)
    ContactFactory(email="stays@example.com")
    celery_worker()

    page.goto("/contacts/")
    row = contact_row(page, address)
    menu = open_actions_menu(row, contact.pk)
    menu.get_by_role("button", name="Anonymize Contact").click()

    expect(heading(page, "All Contacts")).to_be_visible()
    expect_success(
        page,
        f"Contact ID {contact.pk} was anonymized. A confirmation email is on its way to you.",
    )
    expect(contact_row(page, address)).to_have_count(0)
    expect(contact_row(page, "stays@example.com")).to_have_count(1)
    assert not Contact.objects.filter(pk=contact.pk).exists()

    expect_confirmation_without_the_address(worker_env, contact.pk, address)


# -- Tester ------------------------------------------------------------------------------------


def test_tester_sees_no_anonymize_action(tester_page):
    page = tester_page
    contact = ContactFactory(email="kept.by.tester@example.com")
    page.goto("/contacts/")

    row = contact_row(page, "kept.by.tester@example.com")
    menu = open_actions_menu(row, contact.pk)
    expect(menu.get_by_role("link", name="Message History")).to_be_visible()
    expect(menu.get_by_text("Anonymize")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("Anonymize"))).to_have_count(0)

    page.keyboard.press("Escape")
    row.get_by_role("link", name=EDIT_LINK).click()
    expect(heading(page, "Contact Profile")).to_contain_text(f"Contact ID {contact.pk}")
    expect(page.get_by_role("button", name="Save")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Anonymize"))).to_have_count(0)
    expect(page.get_by_text("Anonymize")).to_have_count(0)
    assert Contact.objects.filter(pk=contact.pk).exists()
