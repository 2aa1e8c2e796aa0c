"""The API documentation pages (Swagger UI, ReDoc): assets from packages, under the CSP."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import CSP_VIOLATION, REPORT_CSP_VIOLATIONS, log_in

pytestmark = pytest.mark.browser


def test_swagger_ui_shows_the_operations(page: Page, db):
    page.goto("/api/v1/schema/swagger-ui/")
    expect(page.get_by_role("heading", name="Contact Management API").first).to_be_visible()
    expect(page.get_by_text("/api/v1/contacts/{contact_id}/anonymize/")).to_be_visible()
    # A language and a main landmark (axe-core: html-has-lang, landmark-one-main).
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("main")).to_have_count(1)


def test_redoc_shows_the_operations_and_fetches_nothing_from_a_cdn(
    browser: Browser, live_server, db
):
    context = browser.new_context(base_url=live_server.url)
    context.add_init_script(REPORT_CSP_VIOLATIONS.replace("${CSP_VIOLATION}", CSP_VIOLATION))
    outside = []
    context.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )
    violations = []
    context.on(
        "console",
        lambda message: (
            violations.append(message.text) if message.text.startswith(CSP_VIOLATION) else None
        ),
    )
    page = context.new_page()
    page.goto("/api/v1/schema/redoc/")
    expect(page.get_by_role("heading", name="Contact Management API").first).to_be_visible()
    expect(page.get_by_text("Anonymize a contact (cannot be undone)").first).to_be_attached()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("main")).to_have_count(1)
    context.close()
    # ReDoc's bundle links its own logo on a CDN: the site's policy refuses it, nothing else.
    assert all("cdn.redoc.ly" in text for text in violations), violations
    assert all(not url.startswith("http") or "cdn.redoc.ly" in url for url in outside), outside


def test_the_browsable_api_works_with_the_session(page: Page, marketer):
    log_in(page, marketer.username)
    page.goto("/api/v1/contacts/")
    expect(page.get_by_role("heading", name="Contact List")).to_be_visible()
    expect(page.get_by_text('"results"')).to_be_visible()
