"""All Contacts with htmx: Back and Forward after filtering, sorting and paging bring back
the page of the URL, filter boxes included (htmx keeps no snapshot of its own)."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import contact_rows, heading, page_range
from tests.factories import ContactFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.browser


def back(page: Page) -> None:
    """Browser Back, and the reload of the page from the server that follows it."""
    with page.expect_event("load"):
        page.go_back()


def forward(page: Page) -> None:
    with page.expect_event("load"):
        page.go_forward()


def test_back_and_forward_keep_the_filter_boxes_of_the_url(marketer_page):
    page = marketer_page
    group = GroupFactory(name="Newsletter")
    GroupFactory(name="Other")
    for first in ("Anna", "Jonas", "Lea"):
        contact = ContactFactory(
            email=f"{first.lower()}.schmidt@example.com", first_name=first, last_name="Schmidt"
        )
        if first != "Lea":
            MembershipFactory(contact=contact, group=group)
    ContactFactory(email="mia.wagner@example.com", last_name="Wagner")
    page.goto("/contacts/")
    search = page.get_by_label("Search", exact=True)
    group_box = page.get_by_label("Group", exact=True)
    search.fill("schmidt")
    search.press("Enter")
    expect(page_range(page)).to_have_text("1–3 of 3")
    group_box.select_option(label="Newsletter")
    expect(page_range(page)).to_have_text("1–2 of 2")
    email = page.get_by_role("columnheader", name=re.compile(r"^Email"))
    email.get_by_role("link").click()
    expect(email).to_have_attribute("aria-sort", "ascending")
    expect(page).to_have_url(re.compile(r"sort=email"))

    back(page)
    expect(page).not_to_have_url(re.compile(r"sort=email"))
    expect(page).to_have_url(re.compile(r"q=schmidt.*group=\d"))
    expect(page_range(page)).to_have_text("1–2 of 2")
    expect(search).to_have_value("schmidt")
    expect(group_box).to_have_value(str(group.pk))
    # A change of another filter keeps the ones shown.
    page.get_by_label("Identifier type").select_option(label="Email")
    expect(page).to_have_url(re.compile(r"q=schmidt.*identifier_type=email.*group=\d"))
    expect(contact_rows(page)).to_have_count(2)

    back(page)
    back(page)
    expect(page).to_have_url(re.compile(r"q=schmidt"))
    expect(page).not_to_have_url(re.compile(r"group=\d"))
    expect(search).to_have_value("schmidt")
    expect(group_box).to_have_value("")
    expect(page_range(page)).to_have_text("1–3 of 3")

    forward(page)
    expect(group_box).to_have_value(str(group.pk))
    expect(page_range(page)).to_have_text("1–2 of 2")
    # No copy of the pages (personal data) is kept by htmx in the session's storage.
    assert page.evaluate("() => sessionStorage.getItem('htmx-history-cache')") is None


def test_reloading_a_pushed_url_shows_the_whole_page(marketer_page):
    page = marketer_page
    for n in range(30):
        ContactFactory(email=f"zander{n:02d}@example.com", last_name="Zander")
    page.goto("/contacts/")
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Next").click()
    expect(page_range(page)).to_have_text("26–30 of 30")
    expect(page).to_have_url(re.compile(r"after="))
    page.reload()
    expect(heading(page, "All Contacts")).to_be_visible()
    expect(page.get_by_role("search")).to_be_visible()
    expect(page_range(page)).to_have_text("26–30 of 30")
