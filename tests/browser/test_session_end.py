"""A session that ended while a page was open: the next htmx request takes the browser to the
login page (a full page, not the login form inside the results), and back after logging in."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, heading, page_range
from tests.factories import ContactFactory

pytestmark = pytest.mark.browser


def test_a_filter_change_after_the_session_ended_goes_to_the_login_page(marketer_page, marketer):
    page = marketer_page
    ContactFactory(email="anna.schmidt@example.com", last_name="Schmidt")
    page.goto("/contacts/?q=schmidt")
    expect(page_range(page)).to_have_text("1–1 of 1")
    page.context.clear_cookies()  # the session ends
    page.get_by_label("Identifier type").select_option(label="Email")
    expect(page).to_have_url(re.compile(r"/login/\?next=%2Fcontacts%2F%3Fq%3Dschmidt"))
    expect(page.locator("#results")).to_have_count(0)
    page.get_by_label("Username").fill(marketer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(heading(page, "All Contacts")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/contacts/\?q=schmidt$"))
    expect(page.get_by_label("Search", exact=True)).to_have_value("schmidt")
