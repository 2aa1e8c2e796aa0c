"""Exporting a contact in a real browser, with the file built and the email sent by a real worker.

Audience > Contact Management > All Contacts > Actions > Export Contact (or Export on the
Contact Profile): a message that the export is scheduled, an email with a link, the export page
with its Export button, and the CSV file it downloads.
"""

import csv
import datetime as dt
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import Locator, Page, expect

from contacts.models import EventChannel, EventType
from exports.models import ExportJob, ExportStatus
from exports.services import export_request
from tests.browser.conftest import (
    EDIT_LINK,
    MARKETER_EMAIL,
    PASSWORD,
    contact_row,
    expect_success,
    heading,
    main_menu,
    open_actions_menu,
    open_all_contacts,
)
from tests.factories import (
    AttributeDefinitionFactory,
    AttributeValueFactory,
    ContactFactory,
    EventFactory,
    GroupFactory,
    MemberAttributeDefinitionFactory,
    MemberAttributeValueFactory,
    MembershipFactory,
)
from tests.worker import mail_text, sent_mail, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.worker]

CONTACT_EMAIL = "export.me@export-test.example"
# A comma, quotes and non-ASCII letters: the CSV must quote them (RFC 4180) and keep UTF-8.
CUSTOM_VALUE = 'Türkis, "hell"'
MEMBER_VALUE = "Köln Süd"
EVENT_MESSAGE = 'Spring sale, "early bird"'
# The worker builds the file: give it more than the usual time to show up.
READY_TIMEOUT_MS = 60_000


@pytest.fixture
def contact(transactional_db):
    """A contact with a custom attribute, a member attribute and an event."""
    contact = ContactFactory(email=CONTACT_EMAIL, first_name="Erika", last_name="Export")
    AttributeValueFactory(
        contact=contact,
        definition=AttributeDefinitionFactory(name="FavouriteColour"),
        value=CUSTOM_VALUE,
    )
    group = GroupFactory(name="Newsletter DE")
    MemberAttributeValueFactory(
        membership=MembershipFactory(contact=contact, group=group),
        definition=MemberAttributeDefinitionFactory(group=group, name="PreferredStore"),
        value=MEMBER_VALUE,
    )
    EventFactory(
        contact=contact,
        event_type=EventType.OPENED,
        channel=EventChannel.EMAIL,
        message_name=EVENT_MESSAGE,
        group=group,
        occurred_at=dt.datetime(2025, 3, 14, 9, 26, 53, tzinfo=dt.UTC),
    )
    ContactFactory(email="someone.else@example.com")
    return contact


def expect_scheduled(page: Page, contact_id: int) -> None:
    expect_success(
        page,
        f"The export of Contact ID {contact_id} has been scheduled. "
        "You will receive an email with a link when it is ready",
    )


def export_link_path(worker_env: dict, contact_id: int) -> str:
    """Wait for the worker's "ready" email and return the path of the link in it."""
    subject = f"Your export of Contact ID {contact_id} is ready"

    def find():
        return [m for m in sent_mail(worker_env) if m["Subject"] == subject]

    messages = wait_for(find, what=f"the email that the export of {contact_id} is ready")
    assert len(messages) == 1
    assert messages[0]["To"] == MARKETER_EMAIL
    text = mail_text(messages[0])
    links = re.findall(r"https?://\S+", text)
    assert len(links) == 1, text
    # The link is SITE_URL + the path; the live server has another address.
    assert links[0].startswith(settings.SITE_URL + "/exports/"), links[0]
    path = urlsplit(links[0]).path
    assert re.fullmatch(r"/exports/[A-Za-z0-9_-]{20,64}/", path), path
    return path


def expect_ready_export_page(page: Page, contact_id: int) -> None:
    expect(heading(page, f"Export of Contact ID {contact_id}")).to_be_visible()
    expect(page.get_by_text("Ready", exact=True)).to_be_visible(timeout=READY_TIMEOUT_MS)
    expect(export_button(page)).to_be_visible()


def export_button(page: Page) -> Locator:
    return page.get_by_role("main").get_by_role("link", name="Export", exact=True)


def read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM"
    text = data.decode("utf-8-sig")
    # RFC 4180: every record ends with CRLF; no bare LF.
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    return list(csv.reader(io.StringIO(text, newline=""), strict=True))


# -- Export Contact from the Actions menu, the email, the export page, the file ----------------


def test_export_contact_from_the_menu_email_link_and_download(
    celery_worker, worker_env, marketer_page, contact, live_server
):
    page = marketer_page
    celery_worker()

    page.goto("/groups/")
    open_all_contacts(page)
    row = contact_row(page, CONTACT_EMAIL)
    open_actions_menu(row, contact.pk).get_by_role("button", name="Export Contact").click()

    expect(heading(page, "All Contacts")).to_be_visible()
    expect_scheduled(page, contact.pk)

    path = export_link_path(worker_env, contact.pk)
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.READY
    assert path == f"/exports/{job.token}/"
    page.goto(live_server.url + path)
    expect_ready_export_page(page, contact.pk)

    with page.expect_download() as download_info:
        export_button(page).click()
    download = download_info.value
    assert download.failure() is None
    assert re.fullmatch(
        rf"contact-{contact.pk}-\d{{4}}-\d{{2}}-\d{{2}}\.csv", download.suggested_filename
    )
    assert job.finished_at is not None
    assert download.suggested_filename == (
        f"contact-{contact.pk}-{job.finished_at.date().isoformat()}.csv"
    )

    rows = read_csv(Path(download.path()))
    header = [
        "Section",
        "Name",
        "Value",
        "Status",
        "Group",
        "Time",
        "Channel",
        "Message",
        "Address",
    ]
    assert rows[0] == header
    assert all(len(r) == len(header) for r in rows), "every record has the same fields"
    facts = [dict(zip(header, r, strict=True)) for r in rows[1:]]

    def facts_of(section: str) -> list[dict]:
        return [f for f in facts if f["Section"] == section]

    assert {"Name": "user.UserId", "Value": str(contact.pk)}.items() <= facts_of("Contact")[
        0
    ].items()
    assert [(f["Name"], f["Value"]) for f in facts_of("Channel address")] == [
        ("user.Email", CONTACT_EMAIL)
    ]
    assert [(f["Name"], f["Value"]) for f in facts_of("Custom attribute")] == [
        ("user.CustomAttribute.FavouriteColour", CUSTOM_VALUE)
    ]
    assert [(f["Name"], f["Value"], f["Group"]) for f in facts_of("Member attribute")] == [
        ("user.MemberAttribute.PreferredStore", MEMBER_VALUE, "Newsletter DE")
    ]
    assert [
        (f["Name"], f["Group"], f["Time"], f["Channel"], f["Message"], f["Address"])
        for f in facts_of("Event")
    ] == [
        (
            "Opened",
            "Newsletter DE",
            "2025-03-14T09:26:53+00:00",
            "Email",
            EVENT_MESSAGE,
            CONTACT_EMAIL,
        )
    ]
    assert "someone.else@example.com" not in download.path().read_text(encoding="utf-8-sig")

    # The Exports page of the top navigation lists it, and opens it.
    main_menu(page).get_by_role("link", name="Exports", exact=True).click()
    expect(heading(page, "Exports")).to_be_visible()
    export_rows = page.get_by_role("table").locator("tbody").get_by_role("row")
    expect(export_rows).to_have_count(1)
    expect(export_rows.first).to_contain_text(f"Contact ID {contact.pk}")
    expect(export_rows.first).to_contain_text("Ready")
    export_rows.first.get_by_role("link", name=re.compile("^Open")).click()
    expect(page).to_have_url(live_server.url + path)
    expect_ready_export_page(page, contact.pk)


# -- Export of the ticked rows of a filtered list ---------------------------------------------


def test_export_of_ticked_rows_exports_exactly_those(
    celery_worker, marketer_page, transactional_db
):
    """It exported every member of the group, called it "All Contacts selection", and said
    "The export of All Contacts (Group: Loyalty Club)"."""
    page = marketer_page
    celery_worker()
    club = GroupFactory(name="Loyalty Club")
    members = [ContactFactory(email=f"member{n:02d}@club.example") for n in range(30)]
    for member in members:
        MembershipFactory(contact=member, group=club)
    ContactFactory(email="outsider@club.example")
    ticked = members[3], members[7]

    page.goto(f"/contacts/?group={club.pk}&sort=id")
    export = page.get_by_role("button", name="Export", exact=True)
    expect(export).to_have_attribute("title", re.compile("every contact that matches"))
    for contact in ticked:
        page.get_by_role("checkbox", name=f"Select contact {contact.pk}").check()
    export = page.get_by_role("button", name="Export 2 selected contacts")
    expect(export).to_have_attribute("title", "Exports the ticked rows only")
    export.click()

    expect_success(page, "The export of 2 selected contacts has been scheduled.")
    expect(page).to_have_url(re.compile(rf"/contacts/\?group={club.pk}&sort=id$"))
    job = ExportJob.objects.get()
    assert job.contact_ids == sorted(c.pk for c in ticked)

    # "Exports" in the message is a link to the list.
    page.get_by_role("status").filter(has_text="has been scheduled").get_by_role(
        "link", name="Exports"
    ).click()
    export_rows = page.get_by_role("table").locator("tbody").get_by_role("row")
    expect(export_rows.first).to_contain_text("2 selected contacts")
    expect(export_rows.first).to_contain_text("Ready", timeout=READY_TIMEOUT_MS)
    export_rows.first.get_by_role("link", name=re.compile("^Open")).click()
    expect(heading(page, "Export of 2 selected contacts")).to_be_visible()
    with page.expect_download() as download_info:
        export_button(page).click()
    rows = read_csv(Path(download_info.value.path()))
    assert sorted(int(row[0]) for row in rows[1:]) == sorted(c.pk for c in ticked)


# -- Export in the Contact Profile header -----------------------------------------------------


def test_export_from_the_profile_header_is_scheduled_and_becomes_ready(
    celery_worker, worker_env, marketer_page, contact
):
    page = marketer_page
    celery_worker()

    page.goto("/contacts/")
    contact_row(page, CONTACT_EMAIL).get_by_role("link", name=EDIT_LINK).click()
    expect(heading(page, "Contact Profile")).to_contain_text(f"Contact ID {contact.pk}")
    page.get_by_role("button", name="Export", exact=True).click()

    # Back on the profile it was requested from, with the message.
    expect(heading(page, "Contact Profile")).to_contain_text(f"Contact ID {contact.pk}")
    expect_scheduled(page, contact.pk)
    job = ExportJob.objects.get()
    assert (job.contact_id, job.requested_by.username) == (contact.pk, "marketer")

    main_menu(page).get_by_role("link", name="Exports", exact=True).click()
    export_rows = page.get_by_role("table").locator("tbody").get_by_role("row")
    expect(export_rows).to_have_count(1)
    expect(export_rows.first).to_contain_text(f"Contact ID {contact.pk}")
    # The list updates by itself while the worker builds the file.
    expect(export_rows.first).to_contain_text("Ready", timeout=READY_TIMEOUT_MS)
    assert export_link_path(worker_env, contact.pk) == f"/exports/{job.token}/"


# -- The link in the email, opened when logged out ----------------------------------------------


def test_the_email_link_when_logged_out_leads_through_the_login_to_the_export(
    page, celery_worker, worker_env, marketer, contact, live_server
):
    """`page` is a fresh browser context in which nobody has logged in."""
    celery_worker()
    export_request(actor=marketer, contact_id=contact.pk)
    path = export_link_path(worker_env, contact.pk)

    page.goto(path)

    expect(page).to_have_url(re.compile(r"/login/\?next=/exports/"))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    expect(page.get_by_text(f"Contact ID {contact.pk}")).to_have_count(0)
    page.get_by_label("Username").fill(marketer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(live_server.url + path)
    expect(page.get_by_role("button", name=marketer.username)).to_be_visible()
    expect_ready_export_page(page, contact.pk)
    with page.expect_download() as download_info:
        export_button(page).click()
    assert download_info.value.suggested_filename.startswith(f"contact-{contact.pk}-")


# -- Tester ------------------------------------------------------------------------------------


def test_tester_sees_no_export_actions(tester_page):
    page = tester_page
    contact = ContactFactory(email="seen.by.tester@example.com")
    page.goto("/contacts/")

    expect(heading(page, "All Contacts")).to_be_visible()
    expect(main_menu(page).get_by_role("button", name="Audience")).to_be_visible()
    expect(main_menu(page).get_by_role("link", name="Exports")).to_have_count(0)
    expect(page.get_by_role("link", name="Create", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Export", exact=True)).to_have_count(0)

    row = contact_row(page, "seen.by.tester@example.com")
    menu = open_actions_menu(row, contact.pk)
    expect(menu.get_by_role("link", name="Message History")).to_be_visible()
    expect(menu.get_by_text("Export")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("Export"))).to_have_count(0)

    page.keyboard.press("Escape")
    row.get_by_role("link", name=EDIT_LINK).click()
    expect(heading(page, "Contact Profile")).to_contain_text(f"Contact ID {contact.pk}")
    expect(page.get_by_role("button", name="Save")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Export"))).to_have_count(0)
    expect(main_menu(page).get_by_role("link", name="Exports")).to_have_count(0)
    assert not ExportJob.objects.exists()
