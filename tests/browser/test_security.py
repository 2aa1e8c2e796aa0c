"""Security in a real browser: the login lockout, the Content Security Policy (the app and the
Django admin keep it), and what had to move out of style attributes for it."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from contacts.roles import ADMIN
from exports.models import ExportJob, ExportKind, ExportStatus
from tests.browser.conftest import CSP_VIOLATION, PASSWORD, log_in
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.browser


def _submit_login(page: Page, username: str, password: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_too_many_wrong_passwords_lock_the_login(page: Page, marketer):
    page.goto("/login/")
    for _ in range(4):
        _submit_login(page, marketer.username, "wrong password")
        expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()
    _submit_login(page, marketer.username, "wrong password")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Too many failed attempts to log in. Try again in 15 minutes")
    expect(alert).to_contain_text("ask an administrator")

    _submit_login(page, marketer.username, PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("Too many failed attempts")
    expect(page.get_by_role("button", name=marketer.username)).to_have_count(0)


def test_a_policy_violation_fails_a_browser_test(page: Page, page_problems, marketer):
    log_in(page, marketer.username)
    page.goto("/contacts/")
    with page.expect_console_message(lambda m: m.text.startswith(CSP_VIOLATION)):
        page.evaluate(
            """() => document.body.insertAdjacentHTML(
                "beforeend", '<p style="color: red">injected</p>')"""
        )
    with page.expect_console_message(lambda m: m.text.startswith(CSP_VIOLATION)):
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.injected = true";
                document.body.append(script);
            }"""
        )
    assert page.evaluate("() => window.injected") is None, "the inline script did not run"
    assert len(page_problems) == 2 and all("style" in p or "script" in p for p in page_problems)
    page_problems.clear()  # seen: this test is about the detector itself


def test_the_django_admin_works_under_the_policy(page: Page, roles):
    admin = UserFactory(username="boss", role=ADMIN)
    UserFactory(username="someone")
    log_in(page, admin.username)
    page.get_by_role("link", name="Administration").click()
    expect(
        page.get_by_role("heading", name="Users, roles and attribute definitions")
    ).to_be_visible()
    page.get_by_role("link", name="Users").first.click()
    page.get_by_role("link", name="someone").click()
    expect(page.get_by_role("checkbox", name="Marketer")).to_be_visible()  # a role
    # The sidebar's filter is the admin's JavaScript (nav_sidebar.js).
    sidebar = page.get_by_role("navigation", name="Sidebar")
    page.get_by_placeholder("Start typing to filter…").fill("export")
    expect(sidebar.get_by_role("link", name="Users", exact=True)).to_be_hidden()
    expect(sidebar.get_by_role("link", name="Export jobs")).to_be_visible()
    page.get_by_role("link", name="Home").click()
    page.get_by_role("link", name="Access attempts").click()
    expect(page.get_by_role("heading", name=re.compile("access attempt", re.I))).to_be_visible()
    ContactFactory(email="admin.view@example.com")
    page.goto("/admin/contacts/contact/")
    page.get_by_role("checkbox", name="Select all objects on this page for an action").check()
    expect(page.get_by_text("1 of 1 selected")).to_be_visible()  # the admin's actions.js


def test_progress_bars_get_their_width_without_a_style_attribute(page: Page, marketer):
    job = ExportJob.objects.create(
        kind=ExportKind.CONTACT,
        contact_id=ContactFactory().pk,
        requested_by=marketer,
        status=ExportStatus.RUNNING,
        attempt=1,
        heartbeat_at=timezone.now(),
        progress_total=200,
        progress_done=50,
    )
    log_in(page, marketer.username)
    page.goto(f"/exports/{job.token}/")
    bar = page.get_by_role("progressbar", name="Export progress")
    expect(bar).to_have_attribute("aria-valuenow", "25")
    # The script sets the width through the CSSOM (allowed), which the live style
    # attribute then shows; the served markup has none (the CSP forbids inline styles).
    # Not wait_for_function: polling a string predicate is an eval, which the CSP blocks
    # whenever the first check comes too early.
    sized = page.locator("[data-progress]")
    expect(sized).to_have_attribute("style", re.compile(r"width:\s*25%"))
    # The page refreshes itself while the export runs (htmx): the new bar is sized too.
    ExportJob.objects.filter(pk=job.pk).update(progress_done=100, heartbeat_at=timezone.now())
    expect(bar).to_have_attribute("aria-valuenow", "50")
    expect(sized).to_have_attribute("style", re.compile(r"width:\s*50%"))


def test_back_after_anonymize_or_log_out_shows_no_personal_data(marketer_page: Page, marketer):
    page = marketer_page
    contact = ContactFactory(email="frieda@privacy-test.example", first_name="Frieda")
    page.goto(f"/contacts/{contact.pk}/")
    expect(page.get_by_role("heading", name=re.compile("Frieda"))).to_be_visible()
    page.get_by_role("button", name="Anonymize", exact=True).click()
    expect(page.get_by_role("heading", name="All Contacts")).to_be_visible()
    page.go_back()
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    expect(page.get_by_text("Frieda")).to_have_count(0)

    other = ContactFactory(first_name="Gustav")
    page.goto(f"/contacts/{other.pk}/")
    expect(page.get_by_role("heading", name=re.compile("Gustav"))).to_be_visible()
    menu = page.get_by_role("navigation", name="Main")
    menu.get_by_role("button", name=marketer.username).click()
    menu.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    page.go_back()
    expect(page.get_by_label("Username")).to_be_visible()
    expect(page.get_by_text("Gustav")).to_have_count(0)
