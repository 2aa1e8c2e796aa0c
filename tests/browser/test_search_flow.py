"""All Contacts search in a real browser: an address's beginning, a domain (also an
internationalised one, shown as people write it), and a created range the wrong way round."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import contact_row, contact_rows, page_range
from tests.factories import ContactFactory

pytestmark = pytest.mark.browser


def search(page: Page, text: str) -> None:
    box = page.get_by_label("Search", exact=True)
    box.fill(text)
    box.press("Enter")


def test_search_by_the_beginning_of_an_address_and_by_a_domain(marketer_page):
    page = marketer_page
    ContactFactory(email="shelton.h@example.com", first_name="Sam", last_name="Shelton")
    ContactFactory(email="anna@xn--bcher-kva.example", first_name="Anna", last_name="Berg")
    ContactFactory(email="zoe@example.org", first_name="Zoe", last_name="Zed")
    page.goto("/contacts/")
    expect(
        page.get_by_text("the beginning of its domain (@example.com: the domain only)")
    ).to_be_visible()

    search(page, "shelton.h")
    expect(page_range(page)).to_have_text("1–1 of 1")
    expect(contact_row(page, "shelton.h@example.com")).to_have_count(1)

    search(page, "@example.org")
    expect(page_range(page)).to_have_text("1–1 of 1")
    expect(contact_row(page, "zoe@example.org")).to_have_count(1)

    # Typed in Unicode, shown in Unicode (stored in Punycode).
    search(page, "bücher.example")
    expect(page_range(page)).to_have_text("1–1 of 1")
    expect(contact_row(page, "anna@bücher.example")).to_have_count(1)
    expect(contact_rows(page).filter(has_text="xn--")).to_have_count(0)

    contact_row(page, "anna@bücher.example").get_by_role("link", name="Edit").click()
    expect(page.get_by_label("Email", exact=True)).to_have_value("anna@bücher.example")


def test_created_range_the_wrong_way_round_is_explained(marketer_page):
    page = marketer_page
    ContactFactory(email="someone@example.com")
    page.goto("/contacts/")
    page.get_by_label("Created from").fill("2025-05-10")
    page.get_by_label("Created to").fill("2025-05-01")
    page.get_by_label("Created to").press("Enter")
    alert = page.get_by_role("alert").filter(has_text="The filter has a problem")
    expect(alert).to_contain_text("is before “Created from” (2025-05-10)")
    expect(page.get_by_role("heading", name="No contacts match this search")).to_have_count(0)
