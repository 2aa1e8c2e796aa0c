"""Screen readers hear what changed: one small live region outside the swapped results says
the new summary (the table itself is not live); an export's new status is said; messages
shown with a page are added to their live region after load, so they are read out."""

import re

import pytest
from playwright.sync_api import Page, expect

from exports.models import ExportJob, ExportKind, ExportStatus
from tests.browser.conftest import PASSWORD, page_range
from tests.factories import ContactFactory

pytestmark = pytest.mark.browser


def live_status(page: Page):
    return page.locator("#live-status")


def test_results_are_not_live_and_their_summary_is_said(marketer_page):
    page = marketer_page
    for n in range(30):
        ContactFactory(email=f"zander{n:02d}@example.com", last_name="Zander")
    page.goto("/contacts/")
    results = page.locator("#results")
    assert results.get_attribute("aria-live") is None
    expect(results.locator("[aria-live]")).to_have_count(0)
    region = live_status(page)
    expect(region).to_have_attribute("role", "status")
    expect(region).to_have_text("")  # nothing said at load

    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Next").click()
    expect(page_range(page)).to_have_text("26–30 of 30")
    expect(region).to_have_text("Contacts 26–30 of 30, sorted by Contact ID, newest first")
    page.get_by_role("columnheader", name=re.compile(r"^Email")).get_by_role("link").click()
    expect(region).to_have_text("Contacts 1–25 of 30, sorted by Email, A to Z")
    search = page.get_by_label("Search", exact=True)
    search.fill("nobody-here")
    search.press("Enter")
    expect(region).to_have_text("No contacts match this search")


def test_the_new_status_of_an_export_is_said(marketer_page, marketer):
    page = marketer_page
    job = ExportJob.objects.create(
        requested_by=marketer, kind=ExportKind.CONTACT, contact_id=1, status=ExportStatus.RUNNING
    )
    page.goto(f"/exports/{job.token}/")
    expect(page.get_by_text("Running", exact=True)).to_be_visible()
    region = live_status(page)
    page.wait_for_timeout(2_500)  # a poll that brings the same status again says nothing
    expect(region).to_have_text("")
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, error="Disk full")
    expect(page.get_by_text("Failed", exact=True)).to_be_visible()
    expect(region).to_have_text("Export status: Failed")


# Records what was taken out of #messages after the page had loaded: taking a message out
# and putting it back made the page jump.
WATCH_MESSAGES = """
window.__removedMessages = [];
document.addEventListener("DOMContentLoaded", () => {
  const region = document.getElementById("messages");
  if (!region) return;
  new MutationObserver((records) => records.forEach((record) => record.removedNodes.forEach(
    (node) => window.__removedMessages.push(node.textContent.trim())
  ))).observe(region, { childList: true });
});
"""


def test_a_message_of_a_new_page_stays_put_and_is_said(marketer_page):
    page = marketer_page
    contact = ContactFactory(email="saved@example.com", first_name="Old")
    page.context.add_init_script(WATCH_MESSAGES)
    page.goto(f"/contacts/{contact.pk}/?tab=attributes")
    page.get_by_label("First Name").fill("New")
    page.get_by_role("button", name="Save", exact=True).click()
    message = page.locator("#messages").get_by_role("status")
    expect(message).to_have_text(f"Contact ID {contact.pk} saved.")
    expect(page.locator("#live-status")).to_have_text(f"Contact ID {contact.pk} saved.")
    assert page.evaluate("() => window.__removedMessages") == []
    expect(message).to_be_visible()


def test_without_javascript_the_message_is_shown(browser, live_server, marketer):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/login/")
        page.get_by_label("Username").fill(marketer.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        contact = ContactFactory(email="nojs@example.com", first_name="Old")
        page.goto(f"/contacts/{contact.pk}/?tab=attributes")
        page.get_by_label("First Name").fill("New")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator("#messages").get_by_role("status")).to_have_text(
            f"Contact ID {contact.pk} saved."
        )
    finally:
        context.close()
