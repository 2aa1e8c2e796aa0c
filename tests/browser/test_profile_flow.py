"""The Contact Profile in a real browser: whose profile it is, two people saving the same
contact."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import TIMEOUT_MS, VIEWPORT
from tests.factories import AliasContactFactory, ContactFactory

pytestmark = pytest.mark.browser


def heading(page: Page, name: str):
    return page.get_by_role("heading", name=name, level=1)


def open_tab(page: Page, name: str) -> None:
    tab = page.get_by_role("tab", name=name)
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")


def expect_success(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


# -- Whose profile it is -----------------------------------------------------------------------


def test_header_and_title_say_whose_profile_it_is(marketer_page):
    page = marketer_page
    contact = ContactFactory(first_name="Ada", last_name="Lovelace", email="ada@example.com")
    page.goto(f"/contacts/{contact.pk}/")
    who = f"Ada Lovelace · ada@example.com · Contact ID {contact.pk}"
    expect(heading(page, "Contact Profile")).to_have_text(f"Contact Profile {who}")
    expect(page).to_have_title(f"{who} · Contact Profile · Contact Management")


@pytest.mark.parametrize("width", [390, 1280])
def test_long_names_and_identifiers_stay_inside_the_page(marketer_page, width):
    page = marketer_page
    page.set_viewport_size({"width": width, "height": 844})
    contact = AliasContactFactory(first_name="Maximiliane" * 10, last_name="", app_alias="a" * 2000)
    page.goto(f"/contacts/{contact.pk}/")
    header = heading(page, "Contact Profile")
    expect(header).to_contain_text(f"Contact ID {contact.pk}")
    expect(header).to_contain_text("Maximiliane")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    box = header.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    # Each long part is cut to one line, so the sticky header stays short on a phone.
    for text in ("Maximiliane", "aaaa"):
        lines = header.get_by_text(text).evaluate(
            "el => el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)"
        )
        assert lines < 1.5, (text, lines)
    expect(page.get_by_role("button", name="Save", exact=True)).to_be_in_viewport()


# -- Two people save the same contact ----------------------------------------------------------


def test_second_save_keeps_the_edits_shows_theirs_and_saves_on_top(
    marketer_page, browser: Browser, live_server, tester, login
):
    contact = ContactFactory(
        email="shared@example.com", first_name="Paul", last_name="Koch", zip_code="10115"
    )
    mine = marketer_page
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        theirs = context.new_page()
        login(theirs, tester.username)
        for page in (mine, theirs):
            page.goto(f"/contacts/{contact.pk}/")
            open_tab(page, "Attributes")

        theirs.get_by_label("First Name", exact=True).fill("Pauline")
        theirs.get_by_label("ZIP Code", exact=True).fill("20095")
        theirs.get_by_role("button", name="Save", exact=True).click()
        expect_success(theirs, f"Contact ID {contact.pk} saved.")

        mine.get_by_label("First Name", exact=True).fill("Paula")
        mine.get_by_label("Last Name", exact=True).fill("Köhler")
        mine.get_by_role("button", name="Save", exact=True).click()

        alert = mine.get_by_role("alert").filter(has_text="Someone else saved this contact")
        expect(alert).to_contain_text(
            f"Contact ID {contact.pk} was changed by someone else after you opened it."
        )
        table = alert.get_by_role("table", name="Changed by someone else")
        expect(table.get_by_role("row")).to_have_count(3)
        expect(table.get_by_role("row").nth(1)).to_have_text(
            re.compile(r"First Name\s*Pauline\s*Paula")
        )
        expect(table.get_by_role("row").nth(2)).to_have_text(
            re.compile(r"ZIP Code\s*20095\s*Not changed by you")
        )
        expect(mine.get_by_role("tab", name="Attributes")).to_have_attribute(
            "aria-selected", "true"
        )
        expect(mine.get_by_label("First Name", exact=True)).to_have_value("Paula")
        expect(mine.get_by_label("Last Name", exact=True)).to_have_value("Köhler")
        expect(mine.get_by_label("ZIP Code", exact=True)).to_have_value("20095")
        contact.refresh_from_db()
        assert (contact.first_name, contact.last_name) == ("Pauline", "Koch")

        # They save once more before I do: caught again, nothing of theirs overwritten blindly.
        theirs.goto(f"/contacts/{contact.pk}/")
        open_tab(theirs, "Attributes")
        theirs.get_by_label("Nickname", exact=True).fill("Pauli")
        theirs.get_by_role("button", name="Save", exact=True).click()
        expect_success(theirs, f"Contact ID {contact.pk} saved.")

        mine.get_by_role("button", name="Save my changes").click()
        expect(alert.get_by_role("row").filter(has_text="Nickname")).to_contain_text("Pauli")
        mine.get_by_role("button", name="Save my changes").click()

        expect(heading(mine, "All Contacts")).to_be_visible()
        expect_success(mine, f"Contact ID {contact.pk} saved.")
        contact.refresh_from_db()
        assert (contact.first_name, contact.last_name, contact.nickname, contact.zip_code) == (
            "Paula",
            "Köhler",
            "Pauli",
            "20095",
        )
    finally:
        context.close()
