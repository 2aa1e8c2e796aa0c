"""Screenshots of the main screens with a handful of realistic contacts, for the README.

The pages are checked like in the other browser tests, then photographed. By default the PNGs go
to test-results/screenshots/; to refresh the README's images run

    UPDATE_SCREENSHOTS=1 .venv/bin/python -m pytest -m browser tests/browser/test_screenshots.py

which writes docs/screenshots/. The data is fixed (IDs, names, dates; activity relative to now),
so the images only change when the pages do.
"""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from contacts.models import Contact, EventChannel, EventType, IdentifierType, MembershipStatus
from tests.browser.conftest import EDIT_LINK, check_accessibility, check_fits_viewport
from tests.factories import ContactFactory, EventFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS") == "1"
    else ROOT / "test-results" / "screenshots"
)
CREATED = dt.datetime(2025, 3, 3, 9, 15, tzinfo=dt.UTC)

# first name, last name, email, mobile number, app alias, country
PEOPLE = [
    ("Lukas", "Becker", "lukas.becker@example.de", None, None, "DE"),
    ("Sophie", "Martin", None, "+33612345678", None, "FR"),
    ("Jonas", "Weber", None, None, "c2f1e7a0-4b8d-4c1e-9a57-3f0d2b6e8c41", "DE"),
    ("Emma", "Johansson", "emma.johansson@example.se", None, None, "SE"),
    ("Mateo", "García", "mateo.garcia@example.es", "+34612345678", None, "ES"),
    ("Olivia", "Brown", "olivia.brown@example.co.uk", "+447700900123", None, "GB"),
    ("Yuki", "Tanaka", "yuki.tanaka@example.jp", None, "f81d4fae-7dec-11d0-a765-00a0c91e", "JP"),
]

# A file as people have them: German headers and semicolons.
IMPORT_CSV = "E-Mail;Vorname;Nachname;Handy;Land;user.CustomAttribute.FavouriteStore\r\n" + "".join(
    f"{email or ''};{first};{last};{mobile or ''};{country};Berlin Mitte\r\n"
    for first, last, email, mobile, _alias, country in PEOPLE
)


def _identifier_type(email, mobile) -> str:
    if email:
        return IdentifierType.EMAIL
    return IdentifierType.MOBILE if mobile else IdentifierType.APP_ALIAS


def seed() -> Contact:
    """Eight contacts, three groups and some activity; returns the one to show in detail."""
    newsletter = GroupFactory(name="Newsletter DE", sender_email="news@brand.example")
    spring = GroupFactory(name="Spring Sale 2025", sender_email="offers@brand.example")
    GroupFactory(name="QA Test Recipients", is_test_group=True)
    for first, last, email, mobile, alias, country in PEOPLE:
        ContactFactory(
            identifier_type=_identifier_type(email, mobile),
            email=email,
            mobile_number=mobile,
            app_alias=alias,
            first_name=first,
            last_name=last,
            country=country,
        )
    anna = ContactFactory(
        email="anna.schmidt@example.com",
        mobile_number="+491712345678",
        external_id="CRM-100245",
        first_name="Anna",
        last_name="Schmidt",
        title="ms",
        gender="female",
        date_of_birth=dt.date(1988, 4, 12),
        country="DE",
        language="de",
        zip_code="10115",
        time_zone="Europe/Berlin",
    )
    for number, contact in enumerate(Contact.objects.order_by("id")):
        at = CREATED + dt.timedelta(days=number * 3, hours=number * 2, minutes=number * 7)
        Contact.objects.filter(pk=contact.pk).update(created_at=at, updated_at=at)
    Contact.objects.filter(pk=anna.pk).update(updated_at=CREATED + dt.timedelta(days=40))

    MembershipFactory(contact=anna, group=newsletter, subscribed_at=CREATED)
    MembershipFactory(
        contact=anna, group=spring, status=MembershipStatus.PENDING, subscribed_at=CREATED
    )
    now = timezone.now()
    for event_type, ago, message in [
        (EventType.SENT, dt.timedelta(days=3), "Spring sale: 20% off"),
        (EventType.OPENED, dt.timedelta(days=2), "Spring sale: 20% off"),
        (EventType.CLICKED, dt.timedelta(hours=2), "Spring sale: 20% off"),
    ]:
        EventFactory(
            contact=anna,
            event_type=event_type,
            channel=EventChannel.EMAIL,
            message_name=message,
            group=spring,
            occurred_at=now - ago,
        )
    return anna


def shoot(page: Page, name: str) -> None:
    """Photograph a screen that passes axe-core and fits its viewport."""
    check_accessibility(page, name)
    check_fits_viewport(page, name)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.mouse.move(0, 0)
    page.screenshot(path=OUTPUT / name, full_page=True, animations="disabled", caret="hide")


def test_screenshots_of_the_main_screens(
    marketer_page, django_db_reset_sequences, settings, tmp_path
):
    page = marketer_page
    anna = seed()

    page.goto("/contacts/")
    expect(page.get_by_role("heading", name="All Contacts", level=1)).to_be_visible()
    expect(page.get_by_role("table").locator("tbody").get_by_role("row")).to_have_count(8)
    expect(page.get_by_text("1–8 of 8")).to_be_visible()
    shoot(page, "all-contacts.png")

    page.get_by_role("table").locator("tbody").get_by_role("row").filter(
        has_text="anna.schmidt@example.com"
    ).get_by_role("link", name=EDIT_LINK).click()
    heading = page.get_by_role("heading", name="Contact Profile", level=1)
    expect(heading).to_contain_text(f"Contact ID {anna.pk}")
    summary = page.get_by_role("tabpanel", name="Summary")
    expect(summary).to_contain_text("Clicked, 2\xa0hours ago")
    expect(summary).to_contain_text("CRM-100245")
    shoot(page, "contact-profile.png")

    page.goto("/contacts/new/")
    expect(page.get_by_role("heading", name="New Contact Profile", level=1)).to_be_visible()
    expect(page.get_by_role("radio", name="Email", exact=True)).to_be_checked()
    shoot(page, "new-contact-profile.png")

    settings.IMPORTS_ROOT = tmp_path / "imports"
    signups = tmp_path / "spring-sale-signups.csv"
    signups.write_text(IMPORT_CSV, encoding="utf-8")
    page.goto("/imports/new/")
    page.get_by_label("CSV file").set_input_files(signups)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", name="Check the mapping", level=1)).to_be_visible()
    expect(page.get_by_role("combobox", name="E-Mail", exact=True)).to_have_value("email")
    shoot(page, "import-mapping.png")

    for name in (
        "all-contacts.png",
        "contact-profile.png",
        "new-contact-profile.png",
        "import-mapping.png",
    ):
        assert (OUTPUT / name).stat().st_size > 10_000, name
