"""The contact-management procedures of the product, done in a real browser as a user does them.

Audience > Contact Management > All Contacts: create, edit, delete, search, memberships; by a
marketer and by a tester; with the mouse and with the keyboard alone.
"""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from contacts.models import Contact, MemberAttributeValue, Membership
from tests.factories import (
    ContactFactory,
    GroupFactory,
    MemberAttributeDefinitionFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.browser


# -- helpers: what a user looks at ----------------------------------------------------------


def heading(page: Page, name: str) -> Locator:
    return page.get_by_role("heading", name=name, level=1)


def contact_rows(page: Page) -> Locator:
    """The body rows of the All Contacts table (not its header row)."""
    return page.get_by_role("table").locator("tbody").get_by_role("row")


def contact_row(page: Page, text: str) -> Locator:
    return contact_rows(page).filter(has_text=text)


def page_range(page: Page) -> Locator:
    """The "1–25 of 30" text next to the pagination."""
    return page.get_by_role("navigation", name="Pages").locator("[data-range]")


def column(page: Page, header: str) -> list[str]:
    """Texts of the All Contacts column under `header`, top to bottom."""
    headers = page.get_by_role("table").get_by_role("columnheader").all_inner_texts()
    index = next(n for n, text in enumerate(headers) if text.strip().startswith(header))
    cells = contact_rows(page).locator(f"td:nth-child({index + 1})")
    return [text.strip() for text in cells.all_inner_texts()]


def expect_success(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def main_menu(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main")


def open_all_contacts(page: Page) -> None:
    """Audience > (Contact Management) > All Contacts, through the menu."""
    menu = main_menu(page)
    menu.get_by_role("button", name="Audience").click()
    menu.get_by_role("link", name="All Contacts", exact=True).click()
    expect(heading(page, "All Contacts")).to_be_visible()


def open_tab(page: Page, name: str) -> None:
    tab = page.get_by_role("tab", name=name)
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")


def tab_to(page: Page, target: Locator, *, max_presses: int = 80) -> None:
    """Press Tab until `target` has the focus, as a keyboard user would."""
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    pytest.fail(f"{target} was not reached with {max_presses} presses of Tab")


UNLABELLED_CONTROLS_JS = """
() => [...document.querySelectorAll("input, select, textarea")]
  .filter((el) => el.type !== "hidden")
  .filter((el) => {
    const byAria = (el.getAttribute("aria-label") || "").trim();
    const byLabel = [...el.labels].map((label) => label.textContent.trim()).join("");
    const byIds = (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean)
      .map((id) => (document.getElementById(id) || {}).textContent || "").join("").trim();
    return !(byAria || byLabel || byIds);
  })
  .map((el) => el.outerHTML.slice(0, 160))
"""


def form_controls_count(page: Page) -> int:
    return page.evaluate(
        "() => [...document.querySelectorAll('input, select, textarea')]"
        ".filter((el) => el.type !== 'hidden').length"
    )


# -- All Contacts through the menu --------------------------------------------------------------


def test_menu_leads_to_the_empty_all_contacts_page_with_styles_and_scripts(marketer_page):
    page = marketer_page
    page.goto("/groups/")
    expect(heading(page, "Groups")).to_be_visible()

    audience = main_menu(page).get_by_role("button", name="Audience")
    audience.click()
    # Bootstrap's JavaScript opened the menu.
    expect(audience).to_have_attribute("aria-expanded", "true")
    main_menu(page).get_by_role("link", name="All Contacts", exact=True).click()

    expect(page).to_have_url(re.compile(r"/contacts/$"))
    expect(heading(page, "All Contacts")).to_be_visible()
    expect(page.get_by_role("heading", name="No contacts yet")).to_be_visible()
    expect(page.get_by_role("link", name="Create a contact")).to_be_visible()
    expect(page.get_by_role("table")).to_have_count(0)

    # Bootstrap's CSS coloured the navbar, its icon font loaded, and htmx is there.
    navbar = page.get_by_role("navigation", name="Main")
    assert navbar.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(10, 88, 202)"
    icon_font = page.evaluate(
        """async () => {
          await document.fonts.ready;
          return [...document.fonts]
            .filter((f) => f.family.replace(/["']/g, "") === "bootstrap-icons")
            .map((f) => f.status);
        }"""
    )
    assert icon_font == ["loaded"]
    assert page.evaluate("typeof window.htmx") == "object"


# -- Create -----------------------------------------------------------------------------------


def test_create_one_contact_of_each_identifier_type(marketer_page):
    page = marketer_page
    page.goto("/groups/")
    open_all_contacts(page)
    expect(page.get_by_role("heading", name="No contacts yet")).to_be_visible()

    entries = [
        (
            "Email",
            "An email address",
            "Maria.Keller@Example.COM",
            "email",
            "Maria.Keller@example.com",
        ),
        (
            "Mobile Number",
            "Start with \\+ and the country code",
            "+49 171 1234567",
            "mobile_number",
            "+491711234567",
        ),
        (
            "Mobile App Alias",
            "The alias generated by the mobile app",
            "7f3c9e2a-app-alias-01",
            "app_alias",
            "7f3c9e2a-app-alias-01",
        ),
    ]
    ids = []
    for kind, help_text, typed, field, stored in entries:
        page.get_by_role("link", name="Create", exact=True).click()
        expect(heading(page, "New Contact Profile")).to_be_visible()
        expect(page.get_by_text("The new contact is not in any group.")).to_be_visible()
        page.get_by_role("radio", name=kind, exact=True).check()
        identifier = page.get_by_label("Identifier")
        expect(identifier).to_have_accessible_description(re.compile(help_text))
        identifier.fill(typed)
        page.get_by_role("button", name="Create", exact=True).click()

        expect(heading(page, "Contact Profile")).to_be_visible()
        contact = Contact.objects.get(**{field: stored})
        assert contact.get_identifier_type_display() == kind
        expect(page).to_have_url(re.compile(rf"/contacts/{contact.pk}/$"))
        expect(heading(page, "Contact Profile")).to_contain_text(f"Contact ID {contact.pk}")
        expect_success(page, f"Contact ID {contact.pk} created.")
        summary = page.get_by_role("tabpanel", name="Summary")
        expect(summary.get_by_text(stored, exact=True)).to_be_visible()
        expect(summary.get_by_role("note")).to_contain_text("This contact is not in any group.")
        ids.append(contact.pk)

        page.get_by_role("link", name="Close").click()
        expect(heading(page, "All Contacts")).to_be_visible()
        expect(page_range(page)).to_have_text(f"1–{len(ids)} of {len(ids)}")
        expect(contact_row(page, stored)).to_have_count(1)

    assert len(set(ids)) == 3
    assert column(page, "ID") == [str(i) for i in sorted(ids, reverse=True)]


def test_duplicate_email_in_other_case_is_refused_and_links_the_existing_contact(marketer_page):
    page = marketer_page
    existing = ContactFactory(email="anna.schmidt@example.com")
    page.goto("/contacts/new/")

    page.get_by_role("radio", name="Email", exact=True).check()
    page.get_by_label("Identifier").fill("Anna.Schmidt@EXAMPLE.com")
    page.get_by_role("button", name="Create", exact=True).click()

    expect(heading(page, "New Contact Profile")).to_be_visible()
    expect(
        page.get_by_text(f"A contact with this Email already exists (Contact ID {existing.pk}).")
    ).to_be_visible()
    link = page.get_by_role("link", name=f"Open the existing contact (Contact ID {existing.pk})")
    expect(link).to_have_attribute("href", f"/contacts/{existing.pk}/")
    assert Contact.objects.count() == 1

    page.get_by_role("link", name="Cancel").click()
    expect(page_range(page)).to_have_text("1–1 of 1")

    page.goto("/contacts/new/")
    page.get_by_label("Identifier").fill("ANNA.SCHMIDT@example.com")
    page.get_by_role("button", name="Create", exact=True).click()
    page.get_by_role("link", name=f"Open the existing contact (Contact ID {existing.pk})").click()
    expect(heading(page, "Contact Profile")).to_contain_text(f"Contact ID {existing.pk}")
    assert Contact.objects.count() == 1


# -- Edit -------------------------------------------------------------------------------------


def test_edit_first_name_from_the_edit_icon(marketer_page):
    page = marketer_page
    contact = ContactFactory(email="lena.fischer@example.com", first_name="Lena")
    ContactFactory(email="other@example.com", first_name="Otto")
    page.goto("/contacts/")

    row = contact_row(page, "lena.fischer@example.com")
    row.get_by_role("button", name=f"Actions for contact {contact.pk}").click()
    menu = row.get_by_role("list")
    for item in ("Edit Contact Profile", "Memberships", "Message History"):
        expect(menu.get_by_role("link", name=item)).to_be_visible()
    page.keyboard.press("Escape")
    expect(menu.get_by_role("link", name="Memberships")).to_be_hidden()

    row.get_by_role("link", name="Edit", exact=True).click()
    expect(heading(page, "Contact Profile")).to_contain_text(f"Contact ID {contact.pk}")
    open_tab(page, "Attributes")
    first_name = page.get_by_label("First Name", exact=True)
    expect(first_name).to_have_value("Lena")
    first_name.fill("Magdalena")
    page.get_by_role("button", name="Save").click()

    expect(heading(page, "All Contacts")).to_be_visible()
    expect_success(page, f"Contact ID {contact.pk} saved.")
    expect(contact_row(page, "lena.fischer@example.com")).to_contain_text("Magdalena")
    expect(contact_row(page, "other@example.com")).to_contain_text("Otto")
    contact.refresh_from_db()
    assert contact.first_name == "Magdalena"


def test_actions_menu_opens_memberships_and_message_history(marketer_page):
    page = marketer_page
    contact = ContactFactory(email="menu.user@example.com")
    page.goto("/contacts/")
    row = contact_row(page, "menu.user@example.com")

    row.get_by_role("button", name=f"Actions for contact {contact.pk}").click()
    row.get_by_role("link", name="Memberships").click()
    expect(heading(page, "Memberships")).to_contain_text(f"Contact ID {contact.pk}")

    open_all_contacts(page)
    row.get_by_role("button", name=f"Actions for contact {contact.pk}").click()
    row.get_by_role("link", name="Message History").click()
    expect(heading(page, "Message History")).to_contain_text(f"Contact ID {contact.pk}")

    open_all_contacts(page)
    row.get_by_role("button", name=f"Actions for contact {contact.pk}").click()
    row.get_by_role("link", name="Edit Contact Profile").click()
    expect(heading(page, "Contact Profile")).to_contain_text(f"Contact ID {contact.pk}")


def test_concurrent_edit_is_refused_with_changed_by_someone_else(marketer_page):
    first = marketer_page
    contact = ContactFactory(email="shared@example.com", first_name="Paul", last_name="Koch")
    second = first.context.new_page()
    for page in (first, second):
        page.goto(f"/contacts/{contact.pk}/")
        open_tab(page, "Attributes")

    first.get_by_label("First Name", exact=True).fill("Pauline")
    first.get_by_role("button", name="Save").click()
    expect_success(first, f"Contact ID {contact.pk} saved.")

    second.get_by_label("Last Name", exact=True).fill("Köhler")
    second.get_by_role("button", name="Save").click()
    expect(second.get_by_role("alert")).to_contain_text(
        f"Contact ID {contact.pk} was changed by someone else after you opened it."
    )
    expect(heading(second, "Contact Profile")).to_be_visible()

    contact.refresh_from_db()
    assert (contact.first_name, contact.last_name) == ("Pauline", "Koch")
    second.goto("/contacts/")
    expect(contact_row(second, "shared@example.com")).to_contain_text("Pauline")
    expect(contact_row(second, "shared@example.com")).to_contain_text("Koch")


def test_removing_the_only_identifier_is_refused(marketer_page):
    page = marketer_page
    contact = ContactFactory(email="only.address@example.com")
    page.goto(f"/contacts/{contact.pk}/")

    open_tab(page, "Channel Addresses")
    email = page.get_by_label("Email", exact=True)
    expect(email).to_have_value("only.address@example.com")
    email.fill("")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    expect(page.get_by_role("tab", name="Channel Addresses")).to_have_attribute(
        "aria-selected", "true"
    )
    expect(
        page.get_by_text("This is the contact's only identifier and cannot be removed.")
    ).to_be_visible()
    contact.refresh_from_db()
    assert contact.email == "only.address@example.com"


# -- Delete -----------------------------------------------------------------------------------


def test_delete_one_contact_after_confirmation(marketer_page):
    page = marketer_page
    keep = [ContactFactory(email=f"keep{n}@example.com") for n in range(2)]
    doomed = ContactFactory(email="doomed@example.com")
    page.goto("/contacts/")
    delete = page.get_by_role("button", name="Delete", exact=True)
    expect(delete).to_be_disabled()

    page.get_by_role("checkbox", name=f"Select contact {doomed.pk}").check()
    expect(delete).to_be_enabled()
    delete.click()
    dialog = page.get_by_role("dialog", name="Delete contacts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Delete 1 contact?")
    expect(dialog).to_contain_text("This cannot be undone.")

    # Cancel first: nothing happens. (The dialog's close button is named "Cancel" too.)
    dialog.get_by_role("button", name="Cancel").last.click()
    expect(dialog).to_be_hidden()
    assert Contact.objects.count() == 3

    delete.click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Delete 1 contact").click()

    expect_success(page, "1 contact deleted.")
    expect(contact_row(page, "doomed@example.com")).to_have_count(0)
    expect(page_range(page)).to_have_text("1–2 of 2")
    assert sorted(Contact.objects.values_list("pk", flat=True)) == sorted(c.pk for c in keep)


def test_select_all_that_match_deletes_every_matching_contact(marketer_page):
    page = marketer_page
    for n in range(30):
        ContactFactory(email=f"zander{n:02d}@example.com", last_name="Zander")
    outside = [ContactFactory(email=f"other{n}@example.com", last_name="Berg") for n in range(2)]
    page.goto("/contacts/")
    page.get_by_label("Search", exact=True).fill("Zander")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page_range(page)).to_have_text("1–25 of 30")

    page.get_by_role("checkbox", name="Select all contacts on this page").check()
    expect(page.get_by_text("All 25 contacts on this page are selected.")).to_be_visible()
    page.get_by_role("button", name="Select all 30 contacts that match").click()
    expect(page.get_by_text("All 30 contacts that match are selected.")).to_be_visible()

    page.get_by_role("button", name="Delete", exact=True).click()
    dialog = page.get_by_role("dialog", name="Delete contacts")
    expect(dialog).to_contain_text("Delete all 30 contacts that match the filter?")
    expect(dialog).to_contain_text("This cannot be undone.")
    dialog.get_by_role("button", name="Delete 30 contacts").click()

    expect_success(page, "30 contacts deleted.")
    expect(page.get_by_role("heading", name="No contacts match this search")).to_be_visible()
    assert sorted(Contact.objects.values_list("pk", flat=True)) == sorted(c.pk for c in outside)


# -- Search, sort, rows per page ---------------------------------------------------------------


def test_search_sort_and_rows_per_page(marketer_page):
    page = marketer_page
    named = [
        ("Anna", "Schmidt"),
        ("Lukas", "Becker"),
        ("Jonas", "Schmidt"),
        ("Mia", "Wagner"),
        ("Ben", "Fischer"),
    ]
    for first, last in named:
        ContactFactory(
            email=f"{first.lower()}.{last.lower()}@example.com", first_name=first, last_name=last
        )
    for n in range(25):
        ContactFactory(email=f"zander{n:02d}@example.com", first_name=f"P{n}", last_name="Zander")
    page.goto("/contacts/")
    expect(page_range(page)).to_have_text("1–25 of 30")
    expect(contact_rows(page)).to_have_count(25)

    page.get_by_label("Rows per page").select_option("50")
    expect(page_range(page)).to_have_text("1–30 of 30")
    expect(contact_rows(page)).to_have_count(30)
    expect(page).to_have_url(re.compile(r"per_page=50"))

    last_name = page.get_by_role("columnheader", name=re.compile(r"^Last Name"))
    last_name.get_by_role("link").click()
    expect(last_name).to_have_attribute("aria-sort", "ascending")
    assert column(page, "Last Name")[:5] == [
        "Becker",
        "Fischer",
        "Schmidt",
        "Schmidt",
        "Wagner",
    ]
    last_name.get_by_role("link").click()
    expect(last_name).to_have_attribute("aria-sort", "descending")
    assert column(page, "Last Name")[-5:] == [
        "Wagner",
        "Schmidt",
        "Schmidt",
        "Fischer",
        "Becker",
    ]
    expect(contact_rows(page)).to_have_count(30)

    page.get_by_label("Search", exact=True).fill("schmidt")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page_range(page)).to_have_text("1–2 of 2")
    expect(contact_rows(page)).to_have_count(2)
    expect(contact_row(page, "anna.schmidt@example.com")).to_have_count(1)
    expect(contact_row(page, "jonas.schmidt@example.com")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q=schmidt"))
    # Searching keeps the chosen order and page size.
    expect(last_name).to_have_attribute("aria-sort", "descending")
    expect(page).to_have_url(re.compile(r"sort=-last_name"))
    expect(page).to_have_url(re.compile(r"per_page=50"))

    page.get_by_label("Search", exact=True).fill("nobody-by-this-name")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="No contacts match this search")).to_be_visible()

    page.get_by_role("link", name="Clear filters").first.click()
    expect(page_range(page)).to_have_text("1–25 of 30")


def test_search_by_mobile_number_as_typed(marketer_page):
    page = marketer_page
    ContactFactory(email="with.mobile@example.com", mobile_number="+491711234567")
    ContactFactory(email="without.mobile@example.com")
    page.goto("/contacts/")

    page.get_by_label("Search", exact=True).fill("+49 171 1234567")
    page.get_by_label("Search", exact=True).press("Enter")
    expect(page_range(page)).to_have_text("1–1 of 1")
    expect(contact_row(page, "with.mobile@example.com")).to_have_count(1)


# -- Tester ------------------------------------------------------------------------------------


def test_tester_has_no_delete_and_no_check_boxes(tester_page):
    page = tester_page
    contact = ContactFactory(email="seen.by.tester@example.com")
    page.goto("/contacts/")

    expect(contact_row(page, "seen.by.tester@example.com")).to_have_count(1)
    expect(page.get_by_role("link", name="Create", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Delete", exact=True)).to_have_count(0)
    expect(page.get_by_role("checkbox")).to_have_count(0)

    contact_row(page, "seen.by.tester@example.com").get_by_role(
        "link", name="Edit", exact=True
    ).click()
    expect(heading(page, "Contact Profile")).to_contain_text(f"Contact ID {contact.pk}")
    expect(page.get_by_role("link", name="Delete")).to_have_count(0)
    expect(page.get_by_role("button", name="Save")).to_be_visible()


def test_tester_adds_a_contact_to_a_test_group_and_edits_the_member_attribute(tester_page):
    page = tester_page
    contact = ContactFactory(email="test.recipient@example.com")
    test_group = GroupFactory(name="QA Test Recipients", is_test_group=True)
    GroupFactory(name="Newsletter DE")
    store = MemberAttributeDefinitionFactory(group=test_group, name="PreferredStore")
    page.goto("/contacts/")

    row = contact_row(page, "test.recipient@example.com")
    row.get_by_role("button", name=f"Actions for contact {contact.pk}").click()
    row.get_by_role("link", name="Memberships").click()
    expect(heading(page, "Memberships")).to_contain_text(f"Contact ID {contact.pk}")
    expect(page.get_by_role("note")).to_contain_text("This contact is not in any group.")

    group = page.get_by_label("Group")
    # A tester may only add contacts to test groups.
    expect(group.get_by_role("option")).to_have_text(["---------", "QA Test Recipients"])
    group.select_option(label="QA Test Recipients")
    page.get_by_label("Test recipient").check()
    page.get_by_role("button", name="Add", exact=True).click()

    expect_success(page, f"Contact ID {contact.pk} added to “QA Test Recipients”.")
    membership_row = page.get_by_role("row").filter(has_text="QA Test Recipients")
    expect(membership_row).to_contain_text("Active")
    expect(membership_row).to_contain_text("Yes")
    membership = Membership.objects.get(contact=contact, group=test_group)
    assert membership.is_test_recipient

    # The member attribute is edited in the group's membership page.
    main_menu(page).get_by_role("button", name="Audience").click()
    main_menu(page).get_by_role("link", name="Groups").click()
    page.get_by_role("link", name="QA Test Recipients").click()
    expect(heading(page, "QA Test Recipients")).to_be_visible()
    page.get_by_role("link", name=f"Edit membership of contact {contact.pk}").click()
    expect(heading(page, f"Membership of Contact ID {contact.pk}")).to_be_visible()
    page.get_by_label("PreferredStore").fill("Berlin Mitte")
    page.get_by_role("button", name="Save").click()

    expect_success(page, f"Membership of Contact ID {contact.pk} in “QA Test Recipients” saved.")
    expect(heading(page, "QA Test Recipients")).to_be_visible()
    value = MemberAttributeValue.objects.get(membership=membership, definition=store)
    assert value.value == "Berlin Mitte"

    # On the profile it is shown read-only, with the way to edit it in the group.
    page.goto(f"/contacts/{contact.pk}/")
    open_tab(page, "Memberships")
    panel = page.get_by_role("tabpanel", name="Memberships")
    expect(panel).to_contain_text("PreferredStore: Berlin Mitte")
    expect(panel.get_by_role("textbox")).to_have_count(0)
    expect(panel.get_by_role("link", name="Edit member attributes in the group")).to_be_visible()


def test_tester_cannot_manage_a_regular_group_membership(tester_page):
    page = tester_page
    membership = MembershipFactory(
        contact=ContactFactory(email="newsletter.reader@example.com"),
        group=GroupFactory(name="Newsletter DE"),
    )
    page.goto(f"/contacts/{membership.contact_id}/memberships/")

    row = page.get_by_role("row").filter(has_text="Newsletter DE")
    expect(row.get_by_role("link", name="View membership in Newsletter DE")).to_be_visible()
    expect(row.get_by_role("button", name=re.compile("^Remove"))).to_have_count(0)
    expect(page.get_by_text("There is no other group you can add this contact to.")).to_be_visible()


# -- Keyboard and labels ---------------------------------------------------------------------


def test_keyboard_only_reaches_all_contacts_and_opens_a_contact(page, marketer):
    contact = ContactFactory(email="keyboard.user@example.com", first_name="Kira")
    page.goto("/login/")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type(marketer.username)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type("secret-pass-123")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=marketer.username)).to_be_visible()

    page.goto("/groups/")
    expect(heading(page, "Groups")).to_be_visible()
    audience = main_menu(page).get_by_role("button", name="Audience")
    tab_to(page, audience)
    page.keyboard.press("Enter")
    expect(audience).to_have_attribute("aria-expanded", "true")
    tab_to(page, main_menu(page).get_by_role("link", name="All Contacts"), max_presses=3)
    page.keyboard.press("Enter")
    expect(heading(page, "All Contacts")).to_be_visible()

    edit = contact_row(page, "keyboard.user@example.com").get_by_role(
        "link", name="Edit", exact=True
    )
    tab_to(page, edit)
    page.keyboard.press("Enter")
    expect(heading(page, "Contact Profile")).to_contain_text(f"Contact ID {contact.pk}")

    # The tabs of the profile work with the keyboard too.
    summary_tab = page.get_by_role("tab", name="Summary")
    tab_to(page, summary_tab)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Attributes")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("First Name", exact=True)).to_be_visible()
    expect(page.get_by_label("First Name", exact=True)).to_have_value("Kira")


def test_every_form_control_has_an_accessible_label(marketer_page):
    page = marketer_page
    contact = ContactFactory(email="labels@example.com", mobile_number="+491711234567")
    MembershipFactory(contact=contact, group=GroupFactory(name="Newsletter DE"))
    GroupFactory(name="Newsletter FR")  # so that the form to add a membership is shown

    for url, title in [
        ("/contacts/", "All Contacts"),
        ("/contacts/new/", "New Contact Profile"),
        (f"/contacts/{contact.pk}/", "Contact Profile"),
        (f"/contacts/{contact.pk}/memberships/", "Memberships"),
    ]:
        page.goto(url)
        expect(heading(page, title)).to_be_visible()
        # The check is about something: these pages have form controls to label.
        assert form_controls_count(page) >= 3, url
        assert page.evaluate(UNLABELLED_CONTROLS_JS) == [], url
