"""Keyboard users after an htmx swap: the focus stays on the control they used (or what
took its place) instead of falling back to <body>; the Activity filter applies at once."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import contact_rows, expect_success, page_range
from tests.factories import ContactFactory

pytestmark = pytest.mark.browser


def press_enter_on(page: Page, control: Locator) -> None:
    control.focus()
    expect(control).to_be_focused()
    page.keyboard.press("Enter")


def focused_text(page: Page) -> str:
    return page.evaluate("() => document.activeElement.textContent.trim()")


@pytest.fixture
def thirty_contacts(transactional_db):
    for n in range(60):
        ContactFactory(email=f"zander{n:02d}@example.com", last_name="Zander")


def test_paging_and_sorting_with_the_keyboard_keep_the_focus(marketer_page, thirty_contacts):
    page = marketer_page
    page.goto("/contacts/")
    pages = page.get_by_role("navigation", name="Pages")
    press_enter_on(page, pages.get_by_role("link", name="Next"))
    expect(page_range(page)).to_have_text("26–50 of 60")
    expect(pages.get_by_role("link", name="Next")).to_be_focused()

    # Last page: » is no link there any more, the summary of the page takes the focus.
    press_enter_on(page, pages.get_by_role("link", name="Last page"))
    expect(page_range(page)).to_have_text("36–60 of 60")
    expect(page_range(page)).to_be_focused()

    email = page.get_by_role("columnheader", name=re.compile(r"^Email"))
    press_enter_on(page, email.get_by_role("link"))
    expect(email).to_have_attribute("aria-sort", "ascending")
    expect(email.get_by_role("link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(email).to_have_attribute("aria-sort", "descending")
    expect(email.get_by_role("link")).to_be_focused()
    # The next Tab goes on from there, not from the top of the page.
    page.keyboard.press("Tab")
    assert focused_text(page).startswith("Mobile Number")


def test_select_all_that_match_hands_the_focus_to_clear_selection(marketer_page, thirty_contacts):
    page = marketer_page
    page.goto("/contacts/")
    page.get_by_role("checkbox", name="Select all contacts on this page").check()
    press_enter_on(page, page.get_by_role("button", name="Select all 60 contacts that match"))
    expect(page.get_by_text("All 60 contacts that match are selected.")).to_be_visible()
    expect(page.get_by_role("button", name="Clear selection")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("checkbox", name="Select all contacts on this page")).to_be_focused()
    expect(contact_rows(page).get_by_role("checkbox", checked=True)).to_have_count(0)


def test_closing_a_message_moves_the_focus_on(marketer_page):
    page = marketer_page
    contact = ContactFactory(email="saved@example.com", first_name="Old")
    page.goto(f"/contacts/{contact.pk}/?tab=attributes")
    page.get_by_label("First Name").fill("New")
    page.get_by_role("button", name="Save", exact=True).click()
    expect_success(page, f"Contact ID {contact.pk} saved.")
    message = page.locator("#messages").get_by_role("status")
    press_enter_on(page, message.get_by_role("button", name="Close"))
    expect(message).to_have_count(0)
    expect(page.locator("#main")).to_be_focused()
