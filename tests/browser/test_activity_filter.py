"""The Activity tab (Contact Profile, Message History): a change of its time frame or type
shows the list at once; Show stays for a browser without JavaScript."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from contacts.models import EventType
from tests.browser.conftest import open_tab
from tests.factories import ContactFactory, EventFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def contact_with_activity(transactional_db):
    contact = ContactFactory(email="active@example.com")
    now = timezone.now()
    for n in range(120):  # pages of 50: Older twice
        EventFactory(
            contact=contact,
            event_type=EventType.OPENED if n % 3 else EventType.CLICKED,
            message_name=f"Mailing {n:02d}",
            occurred_at=now - dt.timedelta(hours=n + 1),
        )
    return contact


def test_activity_filter_applies_on_change(marketer_page, contact_with_activity):
    page = marketer_page
    page.goto(f"/contacts/{contact_with_activity.pk}/")
    open_tab(page, "Activity")
    activity = page.locator("#activity")
    expect(activity.locator("tbody tr")).to_have_count(50)
    kind = page.get_by_label("Activity type")
    kind.focus()
    kind.select_option(label="Clicked")  # no Show pressed
    expect(activity.locator("tbody tr")).to_have_count(40)
    expect(activity.locator("tbody")).not_to_contain_text("Opened")
    expect(kind).to_be_focused()
    frame = page.get_by_label("Time frame")
    frame.focus()
    frame.select_option(label="Last 24 hours")
    expect(activity.locator("tbody tr")).to_have_count(8)
    expect(frame).to_be_focused()
    kind.select_option("")
    expect(activity.locator("tbody tr")).to_have_count(23)


def test_message_history_filter_applies_on_change(marketer_page, contact_with_activity):
    page: Page = marketer_page
    page.goto(f"/contacts/{contact_with_activity.pk}/history/")
    page.get_by_label("Activity type").select_option(label="Clicked")
    expect(page.locator("#activity tbody tr")).to_have_count(40)


def test_older_keeps_the_focus_and_hands_it_to_the_table_on_the_last_page(
    marketer_page, contact_with_activity
):
    page = marketer_page
    page.goto(f"/contacts/{contact_with_activity.pk}/?tab=activity")
    activity = page.locator("#activity")
    older = activity.get_by_role("link", name="Older")
    older.focus()
    page.keyboard.press("Enter")
    expect(activity.locator("tbody tr").first).to_contain_text("Mailing 50")
    expect(older).to_be_focused()
    page.keyboard.press("Enter")
    expect(activity.locator("tbody tr").first).to_contain_text("Mailing 100")
    expect(older).to_have_count(0)
    # The last page has no Older: its table takes the focus.
    expect(activity.get_by_role("table")).to_be_focused()


def test_a_filter_change_is_said_and_survives_a_reload(marketer_page, contact_with_activity):
    page = marketer_page
    page.goto(f"/contacts/{contact_with_activity.pk}/?next=%2Fcontacts%2F%3Fq%3Dactive")
    open_tab(page, "Activity")
    page.get_by_label("Activity type").select_option(label="Clicked")
    expect(page.locator("#live-status")).to_have_text(
        "Activity, Last 30 days, Clicked: 40 events shown"
    )
    page.get_by_label("Time frame").select_option(label="Last 24 hours")
    expect(page.locator("#live-status")).to_have_text(
        "Activity, Last 24 hours, Clicked: 8 events shown"
    )
    expect(page).to_have_url(re.compile(r"tab=activity&days=1&type=clicked$"))
    page.reload()
    expect(page.get_by_role("tab", name="Activity")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_label("Time frame")).to_have_value("1")
    expect(page.get_by_label("Activity type")).to_have_value("clicked")
    expect(page.locator("#activity tbody tr")).to_have_count(8)
    # The list the profile was opened from is still where Close goes.
    expect(page.get_by_role("link", name="Close")).to_have_attribute("href", "/contacts/?q=active")
