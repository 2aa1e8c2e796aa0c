"""A typo in a number field of a form that saves: the browser used to submit an empty value
for "--5" (the forms are novalidate), and the server removed the stored number."""

import pytest
from playwright.sync_api import expect

from contacts.models import AttributeType, MemberAttributeValue
from tests.browser.conftest import heading, open_tab
from tests.factories import (
    AttributeDefinitionFactory,
    AttributeValueFactory,
    ContactFactory,
    MemberAttributeDefinitionFactory,
    MemberAttributeValueFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.browser

NOT_A_NUMBER = "Enter a number, e.g. 42 or -12.5, with a point as the decimal separator"


def test_a_typo_in_a_number_attribute_is_refused_and_the_value_kept(marketer_page):
    page = marketer_page
    definition = AttributeDefinitionFactory(name="OrderCount", data_type=AttributeType.NUMBER)
    contact = ContactFactory()
    AttributeValueFactory(contact=contact, definition=definition, value="7")
    page.goto(f"/contacts/{contact.pk}/")
    open_tab(page, "Attributes")
    box = page.get_by_label("OrderCount")
    box.clear()
    box.press_sequentially("--5")  # typed, as a person types it
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    expect(page.get_by_text(NOT_A_NUMBER)).to_be_visible()
    expect(box).to_have_value("--5")
    expect(box).to_be_focused()
    assert contact.attribute_values.get().value == "7"


def test_a_typo_in_a_number_member_attribute_is_refused_and_the_value_kept(marketer_page):
    page = marketer_page
    membership = MembershipFactory()
    definition = MemberAttributeDefinitionFactory(
        group=membership.group, name="Seat", data_type=AttributeType.NUMBER
    )
    value = MemberAttributeValueFactory(membership=membership, definition=definition, value="3")
    page.goto(f"/groups/{membership.group_id}/memberships/{membership.pk}/")
    expect(heading(page, f"Membership of Contact ID {membership.contact_id} in")).to_be_visible()
    page.get_by_label("Seat").clear()
    page.get_by_label("Seat").press_sequentially("12,5")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_text(NOT_A_NUMBER)).to_be_visible()
    expect(page.get_by_label("Seat")).to_have_value("12,5")
    assert MemberAttributeValue.objects.get(pk=value.pk).value == "3"
