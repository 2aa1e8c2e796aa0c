"""Every page state of the app, on a desktop and on a phone: accessible, no wider than the screen.

Each state is checked with axe-core (no serious or critical violation) and for horizontal
scrolling of the document (a wide table may scroll inside its own box, the page may not). A
screenshot of each state goes to test-results/pages/<width>/, to look at.
"""

import datetime as dt
import re

import pytest
from django.urls import path
from playwright.sync_api import Page, expect

from config.urls import urlpatterns as app_urlpatterns
from contacts.models import AttributeType, EventChannel, EventType, MembershipStatus
from exports.models import ExportJob, ExportKind, ExportStatus
from imports.models import ImportJob, ImportStatus
from tests.browser.conftest import (
    PHONE_VIEWPORT,
    RESULTS_DIR,
    VIEWPORT,
    axe_violations,
    expect_success,
    format_overflow,
    format_violations,
    heading,
    horizontal_overflow,
    log_in,
)
from tests.factories import (
    AliasContactFactory,
    AttributeDefinitionFactory,
    AttributeValueFactory,
    ContactFactory,
    EventFactory,
    GroupFactory,
    MemberAttributeDefinitionFactory,
    MemberAttributeValueFactory,
    MembershipFactory,
    MobileContactFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": VIEWPORT, "phone": PHONE_VIEWPORT}
LONG_EMAIL = "maximilian.alexander.schneider-wittgenstein@marketing-department.example.com"
LONG_ALIAS = "c2f1e7a0-4b8d-4c1e-9a57-3f0d2b6e8c41-" * 3


def broken_view(request):
    raise RuntimeError("A deliberate failure, to show the 500 page")


# The app's URLs plus one that fails, for the 500 page (see test_error_pages).
urlpatterns = [path("broken/", broken_view), *app_urlpatterns]


class Audit:
    """Looks at one page state after another and collects what is wrong with each."""

    def __init__(self, page: Page, width: str):
        self.page = page
        self.width = width
        self.problems: list[str] = []
        self.seen: list[str] = []

    def look(self, state: str) -> None:
        page = self.page
        page.wait_for_load_state("networkidle")
        self.seen.append(state)
        name = re.sub(r"[^a-z0-9]+", "-", state.lower()).strip("-")
        folder = RESULTS_DIR / "pages" / self.width
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=folder / f"{name}.png", full_page=True, caret="hide")
        violations = axe_violations(page)
        if violations:
            self.problems.append(f"[{state}] axe-core:\n{format_violations(violations)}")
        overflow = horizontal_overflow(page)
        if overflow:
            self.problems.append(f"[{state}] {format_overflow(overflow)}")

    def log_in(self, user) -> None:
        """Through the login form, on a desktop screen where the user menu shows the name."""
        self.page.set_viewport_size(VIEWPORT)
        log_in(self.page, user.username)
        self.page.set_viewport_size(WIDTHS[self.width])

    def finish(self) -> None:
        if self.problems:
            pytest.fail(
                f"{len(self.problems)} problem(s) at {self.width} width "
                f"in {len(self.seen)} page states:\n\n" + "\n\n".join(self.problems),
                pytrace=False,
            )


@pytest.fixture(params=list(WIDTHS))
def width(request) -> str:
    return request.param


@pytest.fixture
def audit(page: Page, width: str) -> Audit:
    # Without motion, Bootstrap's fades finish at once: axe sees the final colours.
    page.emulate_media(reduced_motion="reduce")
    page.set_viewport_size(WIDTHS[width])
    return Audit(page, width)


def open_main_menu(page: Page, audit: Audit) -> None:
    """On a phone the navigation hides behind the toggler: open it first."""
    if audit.width == "phone":
        toggler = page.get_by_role("button", name="Toggle navigation")
        toggler.click()
        expect(toggler).to_have_attribute("aria-expanded", "true")


def seed_contacts() -> dict:
    """30 contacts (more than a page), with long values, groups, attributes and activity."""
    newsletter = GroupFactory(name="Newsletter DE")
    test_group = GroupFactory(name="QA Test Recipients", is_test_group=True)
    for number in range(26):
        ContactFactory(email=f"person{number}@example.com")
    MobileContactFactory(first_name="Sophie", last_name="Martin")
    AliasContactFactory(app_alias=LONG_ALIAS[::-1], first_name="Jonas", last_name="Weber")
    ContactFactory(email="short@example.de", first_name="Emma", last_name="Johansson")
    anna = ContactFactory(
        email=LONG_EMAIL,
        mobile_number="+491712345678",
        app_alias=LONG_ALIAS,
        external_id="CRM-100245",
        first_name="Anna-Katharina",
        last_name="Schmidt-Oberhausen",
        date_of_birth=dt.date(1988, 4, 12),
        country="DE",
        time_zone="Europe/Berlin",
    )
    AttributeValueFactory(
        contact=anna,
        definition=AttributeDefinitionFactory(name="FavouriteColour"),
        value="Türkis",
    )
    AttributeDefinitionFactory(name="LoyaltySince", data_type=AttributeType.DATE)
    membership = MembershipFactory(
        contact=anna, group=newsletter, subscribed_at=dt.datetime(2025, 3, 3, 9, 15, tzinfo=dt.UTC)
    )
    MemberAttributeValueFactory(
        membership=membership,
        definition=MemberAttributeDefinitionFactory(group=newsletter, name="PreferredStore"),
        value="Köln Süd",
    )
    MembershipFactory(
        contact=anna, group=test_group, status=MembershipStatus.PENDING, is_test_recipient=True
    )
    for event_type in (EventType.SENT, EventType.OPENED, EventType.CLICKED):
        EventFactory(
            contact=anna,
            event_type=event_type,
            channel=EventChannel.EMAIL,
            message_name="Spring sale: 20% off",
            group=newsletter,
        )
    return {"anna": anna, "newsletter": newsletter, "membership": membership}


def test_login_page(page: Page, audit: Audit, roles):
    UserFactory(username="someone")
    page.goto("/login/")
    expect(heading(page, "Log in")).to_be_visible()
    audit.look("Log in")

    page.get_by_label("Username").fill("someone")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()
    audit.look("Log in with an error")
    audit.finish()


def test_the_icon_loads_for_a_visitor_not_logged_in(page: Page, live_server):
    page.goto("/login/")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert icon is not None
    for url in (icon, "/favicon.ico"):  # browsers ask for /favicon.ico whatever the page says
        response = page.request.get(url)
        assert response.ok, url
        assert response.headers["content-type"].startswith("image/svg+xml"), url


def test_all_contacts(page: Page, audit: Audit, marketer):
    audit.log_in(marketer)
    page.goto("/contacts/")
    expect(page.get_by_role("heading", name="No contacts yet")).to_be_visible()
    audit.look("All Contacts without contacts")

    newsletter = seed_contacts()["newsletter"]
    page.goto("/contacts/")
    expect(page.get_by_text("1–25 of 30")).to_be_visible()
    audit.look("All Contacts with rows")
    page.goto("/contacts/?last=1")
    pages = page.get_by_role("navigation", name="Pages")
    expect(pages.locator("[aria-current=page]")).to_have_text("Last page")
    audit.look("All Contacts, last page")

    open_main_menu(page, audit)
    menu = page.get_by_role("navigation", name="Main")
    menu.get_by_role("button", name="Audience").click()
    expect(menu.get_by_role("link", name="All Contacts")).to_be_visible()
    audit.look("Audience menu open")
    menu.get_by_role("button", name=marketer.username).click()
    expect(menu.get_by_role("button", name="Log out")).to_be_visible()
    audit.look("User menu open")

    page.goto("/contacts/?sort=email")
    row = page.get_by_role("table").locator("tbody").get_by_role("row").first
    row.get_by_role("button", name=re.compile("^Actions for contact")).click()
    expect(row.get_by_role("link", name="Edit Contact Profile")).to_be_visible()
    audit.look("Actions menu of a row open")
    page.keyboard.press("Escape")
    row = page.get_by_role("table").locator("tbody").get_by_role("row").last
    row.get_by_role("button", name=re.compile("^Actions for contact")).click()
    expect(row.get_by_role("button", name="Anonymize Contact")).to_be_in_viewport()
    audit.look("Actions menu of the last row open")

    page.goto("/contacts/")
    page.get_by_role("checkbox", name="Select all contacts on this page").check()
    expect(page.get_by_role("button", name="Select all 30 contacts that match")).to_be_visible()
    audit.look("All Contacts with a selection banner")

    page.get_by_role("button", name="Delete", exact=True).click()
    dialog = page.get_by_role("dialog", name="Delete contacts")
    expect(dialog).to_be_visible()
    audit.look("Delete dialog open")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # The page for a browser without JavaScript: the form is sent without the dialog.
    page.evaluate("() => document.getElementById('bulk-form').submit()")
    expect(heading(page, "Delete 25 contacts?")).to_be_visible()
    audit.look("Bulk delete confirmation")

    page.goto("/contacts/")
    page.get_by_text("More filters").click()
    expect(page.get_by_label("Mobile App Alias")).to_be_visible()
    audit.look("All Contacts with more filters open")

    page.goto("/contacts/?q=nobody-matches-this")
    expect(page.get_by_role("heading", name="No contacts match this search")).to_be_visible()
    audit.look("All Contacts with no match")

    page.goto(f"/contacts/?group={newsletter.pk}&created_from=2001-01-01&created_to=2001-01-02")
    expect(page.get_by_role("heading", name="No contacts match these filters")).to_be_visible()
    expect(page.get_by_role("button", name="Export")).to_be_disabled()
    audit.look("All Contacts with no match of its filters")

    page.goto("/contacts/?created_from=yesterday")
    expect(page.get_by_text("The filter has a problem")).to_be_visible()
    audit.look("All Contacts with a filter error")
    audit.finish()


def test_contact_pages(page: Page, audit: Audit, marketer, settings):
    settings.ANONYMIZE_CONFIRMATION = True
    audit.log_in(marketer)
    anna = seed_contacts()["anna"]

    page.goto("/contacts/new/")
    expect(heading(page, "New Contact Profile")).to_be_visible()
    audit.look("New Contact Profile")
    page.get_by_label("Identifier").fill("not an address")
    page.get_by_role("button", name="Create", exact=True).click()
    expect(page.locator(".invalid-feedback")).to_be_visible()
    audit.look("New Contact Profile with an error")

    page.goto(f"/contacts/{anna.pk}/")
    expect(heading(page, "Contact Profile")).to_be_visible()
    for tab in ("Summary", "Channel Addresses", "Attributes", "Memberships", "Activity"):
        page.get_by_role("tab", name=tab).click()
        expect(page.get_by_role("tabpanel", name=tab)).to_be_visible()
        audit.look(f"Contact Profile, {tab}")

    page.get_by_role("tab", name="Channel Addresses").click()
    page.get_by_label("Email", exact=True).fill("not an address")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Nothing was saved")).to_be_visible()
    audit.look("Contact Profile with a form error")

    page.goto(f"/contacts/{anna.pk}/?tab=activity&days=7&type=opened")
    expect(page.get_by_role("tabpanel", name="Activity")).to_be_visible()
    page.get_by_label("Activity type").select_option(label="Clicked")
    expect(page.locator("#live-status")).to_contain_text("Clicked")
    audit.look("Contact Profile, Activity filtered")

    page.goto(f"/contacts/{anna.pk}/delete/")
    expect(heading(page, f"Delete Contact ID {anna.pk}?")).to_be_visible()
    audit.look("Delete confirmation")

    page.goto(f"/contacts/{anna.pk}/anonymize/")
    expect(heading(page, f"Anonymize Contact ID {anna.pk}?")).to_be_visible()
    audit.look("Anonymize confirmation")

    page.goto(f"/contacts/{anna.pk}/memberships/")
    expect(heading(page, "Memberships")).to_be_visible()
    audit.look("Memberships of a contact")
    page.get_by_role("button", name=re.compile("^Remove")).first.click()
    expect(heading(page, re.compile(r"^Remove Contact ID \d+ from"))).to_be_visible()
    audit.look("Remove from a group confirmation")
    page.get_by_role("link", name="Cancel").click()
    expect(heading(page, "Memberships")).to_be_visible()

    page.goto(f"/contacts/{anna.pk}/history/")
    expect(heading(page, "Message History")).to_be_visible()
    audit.look("Message History")
    audit.finish()


def test_group_pages(page: Page, audit: Audit, marketer):
    audit.log_in(marketer)
    seeded = seed_contacts()
    newsletter, membership = seeded["newsletter"], seeded["membership"]

    page.goto("/groups/")
    expect(heading(page, "Groups")).to_be_visible()
    audit.look("Groups")

    MembershipFactory(group=newsletter, contact=AliasContactFactory(app_alias=LONG_ALIAS[1:]))
    page.goto(f"/groups/{newsletter.pk}/")
    expect(heading(page, "Newsletter DE")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Mobile App Alias")).to_be_visible()
    audit.look("Members of a group")

    page.goto(f"/groups/{newsletter.pk}/memberships/{membership.pk}/")
    expect(heading(page, re.compile("^Membership of Contact ID"))).to_be_visible()
    audit.look("Membership edit")
    audit.finish()


def test_export_pages(page: Page, audit: Audit, marketer):
    audit.log_in(marketer)
    page.goto("/exports/")
    expect(page.get_by_role("heading", name="No exports yet")).to_be_visible()
    audit.look("Exports without exports")

    anna = seed_contacts()["anna"]
    now = dt.datetime.now(dt.UTC)
    jobs = {
        "scheduled": ExportJob.objects.create(contact_id=anna.pk, requested_by=marketer),
        "ready": ExportJob.objects.create(
            contact_id=anna.pk,
            requested_by=marketer,
            status=ExportStatus.READY,
            progress_done=12,
            progress_total=12,
            file_size=48_213,
            finished_at=now,
            expires_at=now + dt.timedelta(days=7),
        ),
        "failed": ExportJob.objects.create(
            kind=ExportKind.CONTACT_LIST,
            requested_by=marketer,
            status=ExportStatus.FAILED,
            error="The worker stopped three times; please request a new export.",
            finished_at=now,
        ),
    }
    page.goto("/exports/")
    expect(page.get_by_role("table")).to_be_visible()
    audit.look("Exports with jobs")

    for status, job in jobs.items():
        page.goto(f"/exports/{job.token}/")
        expect(heading(page, re.compile("^Export of"))).to_be_visible()
        audit.look(f"Export page, {status}")
    audit.finish()


# Twelve columns, long values and an unknown custom attribute: the mapping table scrolls.
WIDE_CSV = (
    "user.Email;user.MobileNumber;user.FirstName;user.LastName;Vorname;user.ISOCountryCode;"
    "user.ZipCode;user.DateOfBirth;user.Gender;user.ISOLanguageCode;user.Identifier;"
    "user.CustomAttribute.LoyaltyTier\r\n"
    + "".join(
        f"{LONG_EMAIL.replace('maximilian', f'max{n}')};+4917112345{n:02d};Anna;Schmidt;Anna;DE;"
        f"10115;1988-04-12;female;de;CRM-{n};Gold\r\n"
        for n in range(12)
    )
)


def test_import_pages(page: Page, audit: Audit, marketer, admin_user, settings, tmp_path):
    settings.IMPORTS_ROOT = tmp_path / "imports"
    audit.log_in(marketer)
    page.goto("/imports/")
    expect(page.get_by_role("heading", name="No imports yet")).to_be_visible()
    audit.look("Imports without imports")

    page.goto("/imports/new/")
    expect(heading(page, "Import contacts")).to_be_visible()
    audit.look("Import, upload")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    page.get_by_label("CSV file").set_input_files(empty)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("alert")).to_contain_text("This file cannot be imported")
    audit.look("Import, upload of a bad file")

    wide = tmp_path / "contacts-with-a-long-name-from-the-crm-export.csv"
    wide.write_text(WIDE_CSV, encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(wide)
    page.get_by_role("button", name="Upload").click()
    expect(heading(page, "Check the mapping")).to_be_visible()
    audit.look("Import, mapping")
    page.get_by_role("combobox", name="user.Email", exact=True).select_option("")
    page.get_by_role("combobox", name="user.MobileNumber", exact=True).select_option("")
    page.get_by_role("combobox", name="user.Identifier", exact=True).select_option("")
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Nothing was started")).to_be_visible()
    audit.look("Import, mapping with an error")

    now = dt.datetime.now(dt.UTC)
    jobs = {
        "running": ImportJob.objects.create(
            requested_by=marketer,
            file_name="newsletter-signups-2025.csv",
            status=ImportStatus.RUNNING,
            started_at=now - dt.timedelta(seconds=20),
            heartbeat_at=now,
            progress_done=640_000,
            progress_total=1_000_000,
        ),
        "done with rejected rows": ImportJob.objects.create(
            requested_by=marketer,
            file_name="crm-export.csv",
            status=ImportStatus.DONE,
            finished_at=now,
            progress_done=1_204,
            progress_total=1_204,
            created=1_100,
            updated=90,
            unchanged=4,
            skipped=0,
            rejected=10,
            stored_file="kept-for-the-rejected-rows.csv.enc",
        ),
        "validated": ImportJob.objects.create(
            requested_by=marketer,
            file_name="check-me.csv",
            status=ImportStatus.DONE,
            dry_run=True,
            finished_at=now,
            created=12,
        ),
        "failed": ImportJob.objects.create(
            requested_by=marketer,
            file_name="broken.csv",
            status=ImportStatus.FAILED,
            error="Line 7: a quoted value is never closed.",
            finished_at=now,
        ),
    }
    page.goto("/imports/")
    expect(page.get_by_role("table")).to_be_visible()
    audit.look("Imports with jobs")
    for state, job in jobs.items():
        page.goto(f"/imports/{job.pk}/")
        expect(heading(page, re.compile("^(Import|Validation) of"))).to_be_visible()
        audit.look(f"Import page, {state}")

    page.context.clear_cookies()
    audit.log_in(admin_user)
    page.goto("/imports/new/")
    page.get_by_label("CSV file").set_input_files(wide)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_label("Create the custom attribute “LoyaltyTier” (text)")).to_be_visible()
    audit.look("Import, mapping as an Admin")
    audit.finish()


def test_error_pages(page: Page, audit: Audit, tester, settings):
    settings.ROOT_URLCONF = __name__
    audit.log_in(tester)

    page.goto("/exports/")
    expect(heading(page, "You are not allowed to do this")).to_be_visible()
    audit.look("403")

    page.goto("/no-such-page/")
    expect(heading(page, "Not found")).to_be_visible()
    audit.look("404")

    page.goto("/broken/")
    expect(heading(page, "Something went wrong")).to_be_visible()
    audit.look("500")
    audit.finish()


def test_row_menu_of_the_only_row_is_not_cut_off(page: Page, audit: Audit, marketer):
    audit.log_in(marketer)
    anna = seed_contacts()["anna"]
    page.goto(f"/contacts/?q={anna.pk}")
    row = page.get_by_role("table").locator("tbody").get_by_role("row")
    expect(row).to_have_count(1)
    row.get_by_role("button", name=f"Actions for contact {anna.pk}").click()
    last_item = row.get_by_role("button", name="Anonymize Contact")
    expect(last_item).to_be_visible()
    # Nothing covers it or cuts it off: the element at its centre is the item itself.
    assert last_item.evaluate(
        """(item) => {
          const box = item.getBoundingClientRect();
          return document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2) === item;
        }"""
    )
    audit.look("Actions menu of the only row open")
    audit.finish()


def test_api_token_pages(page: Page, audit: Audit, marketer):
    """The API tokens page from the user menu: empty, a new token shown once, revoked."""
    _from_the_user_menu(page, audit, marketer, "API tokens")
    expect(heading(page, "API tokens")).to_be_visible()
    expect(page.get_by_text("You have no API tokens yet.")).to_be_visible()
    audit.look("API tokens without tokens")

    page.get_by_label("Name").fill("Shop sign-up form")
    page.get_by_label("Read and write").check()
    page.get_by_role("button", name="Create token").click()
    token = page.get_by_label("Token", exact=True)
    expect(token).to_have_value(re.compile(r"^cbt_[0-9a-f]{12}_"))
    expect(page.get_by_role("cell", name="Shop sign-up form", exact=True)).to_be_visible()
    audit.look("API tokens, a new token shown once")

    page.get_by_role("button", name="Revoke Shop sign-up form").click()
    expect_success(page, "The token was revoked; it no longer works.")
    expect(page.get_by_role("cell", name="Revoked", exact=True)).to_be_visible()
    expect(page.get_by_label("Token", exact=True)).to_have_count(0)
    audit.look("API tokens with a revoked token")
    audit.finish()


def test_change_password_page(page: Page, audit: Audit, marketer):
    """Change password from the user menu: a refusal that says why, then the change."""
    _from_the_user_menu(page, audit, marketer, "Change password")
    expect(heading(page, "Change password")).to_be_visible()
    audit.look("Change password")

    _change_password(page, old="not-my-password")
    expect(page.get_by_text("Your old password was entered incorrectly")).to_be_visible()
    audit.look("Change password with an error")

    _change_password(page, old="secret-pass-123")  # UserFactory's
    expect_success(page, "Your password has been changed.")
    expect(heading(page, "All Contacts")).to_be_visible()
    audit.finish()


def _change_password(page: Page, *, old: str) -> None:
    new = "a-new-and-long-passphrase-7"
    page.get_by_label("Old password").fill(old)
    page.get_by_label(re.compile(r"^\s*New password\W*$")).fill(new)
    page.get_by_label("New password confirmation").fill(new)
    page.get_by_role("button", name="Change password").click()


def _from_the_user_menu(page: Page, audit: Audit, user, link: str) -> None:
    audit.log_in(user)
    open_main_menu(page, audit)
    page.get_by_role("button", name=user.username).click()
    page.get_by_role("link", name=link).click()
