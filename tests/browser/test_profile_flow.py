"""The Contact Profile in a real browser: whose profile it is, two people saving the same
contact, and the warning before unsaved changes are lost."""

import re

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from contacts.models import Contact
from tests.browser.conftest import TIMEOUT_MS, VIEWPORT, expect_success, heading, open_tab
from tests.factories import AliasContactFactory, ContactFactory

pytestmark = pytest.mark.browser


class Dialogs:
    """The browser dialogs a page opens, answered with `accept` (True) or dismissed."""

    def __init__(self, page: Page):
        self.seen: list[tuple[str, str]] = []
        self.accept = False
        page.on("dialog", self._answer)

    def _answer(self, dialog: Dialog) -> None:
        self.seen.append((dialog.type, dialog.message))
        if self.accept:
            dialog.accept()
        else:
            dialog.dismiss()

    @property
    def types(self) -> list[str]:
        return [kind for kind, _ in self.seen]


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
    assert box is not None
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


# -- Unsaved changes ---------------------------------------------------------------------------


def leave_by_breadcrumb(page: Page) -> None:
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="All Contacts"
    ).click()


def test_leaving_without_changes_or_after_save_asks_nothing(marketer_page):
    page = marketer_page
    contact = ContactFactory(first_name="Lena")
    dialogs = Dialogs(page)

    page.goto(f"/contacts/{contact.pk}/")
    open_tab(page, "Attributes")
    first_name = page.get_by_label("First Name", exact=True)
    first_name.fill("Magdalena")
    first_name.fill("Lena")  # typed back: nothing changed
    leave_by_breadcrumb(page)
    expect(heading(page, "All Contacts")).to_be_visible()

    page.goto(f"/contacts/{contact.pk}/")
    open_tab(page, "Attributes")
    page.get_by_label("First Name", exact=True).fill("Magdalena")
    page.get_by_role("button", name="Save", exact=True).click()
    expect_success(page, f"Contact ID {contact.pk} saved.")
    assert dialogs.seen == []
    contact.refresh_from_db()
    assert contact.first_name == "Magdalena"


def test_leaving_with_unsaved_changes_warns_first(marketer_page):
    page = marketer_page
    contact = ContactFactory(first_name="Lena")
    dialogs = Dialogs(page)
    page.goto(f"/contacts/{contact.pk}/")
    open_tab(page, "Attributes")
    page.get_by_label("First Name", exact=True).fill("Magdalena")

    with page.expect_event("dialog"):
        leave_by_breadcrumb(page)
    assert dialogs.types == ["beforeunload"]
    expect(heading(page, "Contact Profile")).to_be_visible()
    expect(page.get_by_label("First Name", exact=True)).to_have_value("Magdalena")

    dialogs.accept = True
    with page.expect_event("dialog"):
        leave_by_breadcrumb(page)
    expect(heading(page, "All Contacts")).to_be_visible()
    assert dialogs.types == ["beforeunload", "beforeunload"]
    assert Contact.objects.get().first_name == "Lena"


def test_close_asks_before_discarding_changes(marketer_page):
    page = marketer_page
    contact = ContactFactory(email="lena@example.com")
    dialogs = Dialogs(page)
    page.goto(f"/contacts/{contact.pk}/")
    open_tab(page, "Channel Addresses")
    page.get_by_label("External Identifier", exact=True).fill("CRM-42")

    page.get_by_role("link", name="Close").click()
    assert dialogs.seen == [("confirm", "Discard your unsaved changes to this contact?")]
    expect(heading(page, "Contact Profile")).to_be_visible()
    expect(page.get_by_label("External Identifier", exact=True)).to_have_value("CRM-42")

    dialogs.accept = True
    page.get_by_role("link", name="Close").click()
    expect(heading(page, "All Contacts")).to_be_visible()
    # Confirmed once: leaving does not ask a second time.
    assert dialogs.types == ["confirm", "confirm"]
    contact.refresh_from_db()
    assert contact.external_id == ""


def test_back_after_discarding_shows_the_stored_values(marketer_page):
    """The browser used to fill the form in again with the discarded edit (form restoration,
    or the back cache), under a header with the stored name and nothing marked unsaved."""
    page = marketer_page
    contact = ContactFactory(first_name="Lena", last_name="Fischer")
    dialogs = Dialogs(page)
    dialogs.accept = True
    page.goto("/contacts/")
    page.goto(f"/contacts/{contact.pk}/")
    open_tab(page, "Attributes")
    page.get_by_label("Last Name", exact=True).fill("Discarded")
    page.get_by_role("link", name="Close").click()
    expect(heading(page, "All Contacts")).to_be_visible()
    assert dialogs.types == ["confirm"]

    page.go_back()
    expect(heading(page, "Contact Profile")).to_contain_text("Lena Fischer")
    open_tab(page, "Attributes")
    expect(page.get_by_label("Last Name", exact=True)).to_have_value("Fischer")
    page.get_by_role("link", name="Close").click()  # nothing unsaved: no question
    expect(heading(page, "All Contacts")).to_be_visible()
    assert dialogs.types == ["confirm"]
    contact.refresh_from_db()
    assert contact.last_name == "Fischer"


def test_close_without_changes_just_closes(marketer_page):
    page = marketer_page
    contact = ContactFactory()
    dialogs = Dialogs(page)
    page.goto(f"/contacts/{contact.pk}/")
    page.get_by_role("link", name="Close").click()
    expect(heading(page, "All Contacts")).to_be_visible()
    assert dialogs.seen == []


def test_edits_shown_again_after_a_refused_save_are_still_unsaved(marketer_page):
    page = marketer_page
    contact = ContactFactory(first_name="Lena", last_name="Fischer")
    dialogs = Dialogs(page)
    page.goto(f"/contacts/{contact.pk}/")
    open_tab(page, "Attributes")
    Contact.objects.filter(pk=contact.pk).update(last_name="Fisher", version=2)
    page.get_by_label("First Name", exact=True).fill("Magdalena")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("button", name="Save my changes")).to_be_visible()
    # Only someone else changed Last Name: the tab the user was on stays open.
    expect(page.get_by_role("tab", name="Attributes")).to_have_attribute("aria-selected", "true")
    assert dialogs.seen == []

    page.get_by_role("link", name="Close").click()
    assert dialogs.types == ["confirm"]
    expect(page.get_by_label("First Name", exact=True)).to_have_value("Magdalena")
    expect(page.get_by_label("Last Name", exact=True)).to_have_value("Fisher")


def test_the_main_menus_open_over_the_profiles_sticky_header(marketer_page, marketer):
    """The header with Save stays on top of the page as it scrolls; the menus above it
    must still open over it: Log out used to sit under Save and click it."""
    page = marketer_page
    contact = ContactFactory(first_name="Lena")
    page.goto(f"/contacts/{contact.pk}/")
    menu = page.get_by_role("navigation", name="Main")
    menu.get_by_role("button", name="Audience").click()
    new_contact = menu.get_by_role("link", name="New Contact Profile")
    expect(new_contact).to_be_visible()
    new_contact.hover()  # fails while something else is drawn over the link
    page.keyboard.press("Escape")

    menu.get_by_role("button", name=marketer.username).click()
    menu.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    contact.refresh_from_db()
    assert contact.version == 1  # nothing was saved


# -- Errors and the keyboard --------------------------------------------------------------------


def test_errors_on_two_tabs_mark_both_and_focus_the_first_bad_field(marketer_page):
    page = marketer_page
    contact = ContactFactory(email="two.tabs@example.com")
    page.goto(f"/contacts/{contact.pk}/")
    open_tab(page, "Attributes")
    page.get_by_label("Date of Birth").fill("2999-01-01")
    open_tab(page, "Channel Addresses")
    page.get_by_label("Email", exact=True).fill("bad@@x")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("alert")).to_have_text(
        "Nothing was saved: please correct the fields marked on the Channel Addresses and "
        "Attributes tabs."
    )
    expect(page.get_by_label("Email", exact=True)).to_be_focused()
    expect(page.get_by_role("tab", name="Attributes 1 error")).to_be_visible()
    expect(page.get_by_role("tab", name="Channel Addresses 1 error")).to_have_attribute(
        "aria-selected", "true"
    )
    assert Contact.objects.get(pk=contact.pk).version == 1


def _covered_by_header(page: Page) -> bool:
    return bool(
        page.evaluate(
            """() => {
              const header = document.querySelector('.profile-header').getBoundingClientRect();
              const field = document.activeElement.getBoundingClientRect();
              const sticky = getComputedStyle(document.querySelector('.profile-header')).position;
              return sticky === 'sticky' && header.top <= 0 && field.top < header.bottom;
            }"""
        )
    )


@pytest.mark.parametrize("width", [390, 1280])
def test_a_field_reached_backwards_by_keyboard_is_not_under_the_header(marketer_page, width):
    page = marketer_page
    page.set_viewport_size({"width": width, "height": 600})
    contact = ContactFactory()
    page.goto(f"/contacts/{contact.pk}/")
    open_tab(page, "Attributes")
    page.get_by_label("ZIP Code").focus()
    seen: list[str] = []
    while "First Name" not in seen and len(seen) < 30:  # up through the attributes
        page.keyboard.press("Shift+Tab")
        name = page.evaluate("document.activeElement.labels?.[0]?.textContent?.trim() || ''")
        seen.append(name)
        assert not _covered_by_header(page), seen
        expect(page.locator("*:focus")).to_be_in_viewport()
    assert "First Name" in seen
