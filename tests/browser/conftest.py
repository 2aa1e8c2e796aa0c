"""Browser tests: headless Chromium driven by Playwright against pytest-django's live server.

One Chromium per test session, a fresh browser context (cookies, storage) per test. The live
server runs in a thread of this process, so the data a test creates must be committed:
`live_server` implies `transactional_db`, which empties every table after each test.
"""

import os
import re
from collections.abc import Collection, Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import Group as Role
from django.contrib.auth.models import Permission
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect, sync_playwright

from contacts.roles import ADMIN, MARKETER, ROLE_PERMISSIONS, TESTER
from tests.factories import UserFactory

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "secret-pass-123"  # tests.factories.UserFactory's password
# The marketer's address: the export link and the anonymization confirmation go there.
MARKETER_EMAIL = "marketer.mailbox@staff.example"
TIMEOUT_MS = 10_000
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
PHONE_VIEWPORT: ViewportSize = {"width": 390, "height": 844}
ROOT = Path(__file__).resolve().parents[2]
RESULTS_DIR = ROOT / "test-results"
# axe-core comes from npm (a development dependency): injected into the page under test only,
# never served to users.
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")

expect.set_options(timeout=TIMEOUT_MS)


_reports = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(_reports, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium for the whole session. A launch failure fails the tests, never skips."""
    # The sync API keeps an asyncio event loop running in this thread, and Django refuses
    # database calls from a thread with a running loop. Nothing uses that loop concurrently
    # with the ORM, so the check is lifted for as long as Playwright runs.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        try:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
        except Exception as exc:
            pytest.fail(f"Cannot launch headless Chromium from {CHROMIUM}: {exc}", pytrace=False)
        yield chromium
        chromium.close()


# Runs in every document before its own scripts: a Content Security Policy violation (an
# inline script or style, eval, a resource from elsewhere) becomes a console message.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`${CSP_VIOLATION} ${event.effectiveDirective} refused ${event.blockedURI}`
    + ` (${event.sourceFile}:${event.lineNumber}) on ${document.location.pathname}`);
});
"""
CSP_VIOLATION = "Content Security Policy violation:"


@pytest.fixture
def page_problems() -> list[str]:
    """What went wrong on the pages of the test (the `page` fixture fails the test for it)."""
    return []


@pytest.fixture
def page(request, browser: Browser, live_server, page_problems) -> Iterator[Page]:
    """A new page in a fresh browser context; on failure its screenshot goes to test-results/.

    A JavaScript error, a Content Security Policy violation or a missing static file on any
    page of the context fails the test too.
    """
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    problems = page_problems
    context.add_init_script(REPORT_CSP_VIOLATIONS.replace("${CSP_VIOLATION}", CSP_VIOLATION))
    context.on(
        "console",
        lambda message: (
            problems.append(message.text) if message.text.startswith(CSP_VIOLATION) else None
        ),
    )
    context.on(
        "weberror", lambda error: problems.append(f"JavaScript error: {error.error.message}")
    )
    context.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} for {response.url}")
            if response.status >= 400 and "/static/" in response.url
            else None
        ),
    )
    new_page = context.new_page()
    yield new_page
    reports = request.node.stash.get(_reports, {})
    failed = any(report.failed for report in reports.values())
    if failed or problems:
        RESULTS_DIR.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        for number, open_page in enumerate(context.pages):
            suffix = f"-{number}" if number else ""
            try:
                open_page.screenshot(path=RESULTS_DIR / f"{name}{suffix}.png", full_page=True)
            except Exception as exc:
                print(f"Screenshot of {name}{suffix} failed: {exc}")
    context.close()
    if problems and not failed:
        pytest.fail("The pages had problems:\n" + "\n".join(problems), pytrace=False)


def ensure_roles() -> None:
    """Create the roles again: the flush after a transactional test removes the migration's."""
    for role, codes in [*ROLE_PERMISSIONS.items(), (ADMIN, None)]:
        group, created = Role.objects.get_or_create(name=role)
        if not created:
            continue
        if codes is None:
            group.permissions.set(Permission.objects.all())
            continue
        for code in codes:  # as contacts.roles.sync_roles: skip apps not built yet
            app_label, codename = code.split(".")
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


@pytest.fixture
def roles(transactional_db) -> None:
    ensure_roles()


@pytest.fixture
def marketer(roles):
    return UserFactory(username="marketer", email=MARKETER_EMAIL, role=MARKETER)


@pytest.fixture
def tester(roles):
    return UserFactory(username="tester", role=TESTER)


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Log in through the real login form, as a person would."""
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name=username)).to_be_visible()


@pytest.fixture
def login():
    """`log_in(page, username)`, for a test that logs someone in itself."""
    return log_in


@pytest.fixture
def marketer_page(page: Page, marketer) -> Page:
    log_in(page, marketer.username)
    return page


@pytest.fixture
def tester_page(page: Page, tester) -> Page:
    log_in(page, tester.username)
    return page


# -- what a user looks at: the helpers of every browser test ------------------------------------


def heading(page: Page, name: str | re.Pattern[str]) -> Locator:
    """The page's title (its one level-1 heading)."""
    return page.get_by_role("heading", name=name, level=1)


def main_menu(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main")


def open_all_contacts(page: Page) -> None:
    """Audience > (Contact Management) > All Contacts, through the menu."""
    menu = main_menu(page)
    menu.get_by_role("button", name="Audience").click()
    menu.get_by_role("link", name="All Contacts", exact=True).click()
    expect(heading(page, "All Contacts")).to_be_visible()


def contact_rows(page: Page) -> Locator:
    """The body rows of the All Contacts table (not its header row)."""
    return page.get_by_role("table").locator("tbody").get_by_role("row")


def contact_row(page: Page, text: str) -> Locator:
    return contact_rows(page).filter(has_text=text)


def page_range(page: Page) -> Locator:
    """The "1–25 of 30" text next to the pagination."""
    return page.get_by_role("navigation", name="Pages").locator("[data-range]")


# The row's Edit icon, named after its contact ("Edit contact 42").
EDIT_LINK = re.compile(r"^Edit contact \d+$")


def open_actions_menu(row: Locator, contact_id: int) -> Locator:
    """The Actions menu of a row of All Contacts, opened."""
    row.get_by_role("button", name=f"Actions for contact {contact_id}").click()
    menu = row.get_by_role("list")
    expect(menu.get_by_role("link", name="Edit Contact Profile")).to_be_visible()
    return menu


def open_tab(page: Page, name: str) -> None:
    tab = page.get_by_role("tab", name=name)
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")


def expect_success(page: Page, text: str) -> None:
    # In the messages: 250 ms after load #live-status (a status too) holds the same words.
    message = page.locator("#messages").get_by_role("status").filter(has_text=text)
    expect(message).to_be_visible()


# -- accessibility and layout checks that any browser test can call -------------------------------


def axe_violations(page: Page, impacts: Collection[str] = BLOCKING_IMPACTS) -> list[dict]:
    """Every violation of these impacts (serious or critical unless told) that axe-core
    finds in the page as it is now."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `npm ci` (make setup).", pytrace=False)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated by the browser's DevTools protocol, which the page's Content Security
        # Policy does not govern (a <script> tag with inline code would be refused).
        page.evaluate(f"{AXE_SCRIPT.read_text()}\n;undefined")
    results = page.evaluate(
        """async () => {
          const results = await axe.run(document, { resultTypes: ["violations"] });
          return results.violations.map((rule) => ({
            id: rule.id,
            impact: rule.impact,
            help: rule.help,
            nodes: rule.nodes.map((node) => ({
              impact: node.impact,
              target: node.target.map((part) => JSON.stringify(part)).join(" "),
              summary: node.failureSummary,
            })),
          }));
        }"""
    )
    blocking = []
    for rule in results:
        nodes = [node for node in rule["nodes"] if node["impact"] in impacts]
        if nodes:
            blocking.append({**rule, "nodes": nodes})
    return blocking


def format_violations(violations: list[dict]) -> str:
    lines = []
    for rule in violations:
        lines.append(f"{rule['id']} ({rule['impact']}): {rule['help']}")
        for node in rule["nodes"]:
            summary = " ".join(node["summary"].split())
            lines.append(f"  {node['impact']} at {node['target']}: {summary}")
    return "\n".join(lines)


def check_accessibility(page: Page, state: str = "") -> None:
    """Fail listing every serious or critical axe-core violation (rule, impact, target, why)."""
    violations = axe_violations(page)
    if violations:
        where = f"{state} ({page.url})" if state else page.url
        pytest.fail(
            f"axe-core found serious or critical violations on {where}:\n"
            + format_violations(violations),
            pytrace=False,
        )


@pytest.fixture
def axe():
    """`axe(page, "state")`: fail on any serious or critical accessibility violation."""
    return check_accessibility


def horizontal_overflow(page: Page) -> dict | None:
    """None when the document is no wider than the viewport, else the widths and the culprits.

    A wide table may scroll inside its own `.table-responsive` box; the page itself may not.
    """
    return page.evaluate(
        """() => {
          const width = window.innerWidth;
          const scrollWidth = document.documentElement.scrollWidth;
          if (scrollWidth <= width) return null;
          const culprits = [...document.querySelectorAll("body *")]
            .filter((el) => el.getBoundingClientRect().right > width + 0.5)
            // Inside a scrolling box only what escapes it counts: absolutely positioned
            // elements whose containing block is outside the box.
            .filter((el) => !el.closest(".table-responsive") || el.matches(".table-responsive")
              || getComputedStyle(el).position === "absolute")
            .slice(0, 8)
            .map((el) => el.outerHTML.slice(0, 120));
          return { width, scrollWidth, culprits };
        }"""
    )


def format_overflow(overflow: dict) -> str:
    culprits = "\n".join(f"  {html}" for html in overflow["culprits"])
    return (
        f"the document is {overflow['scrollWidth']} px wide in a {overflow['width']} px "
        f"viewport; widest elements:\n{culprits}"
    )


def check_fits_viewport(page: Page, state: str = "") -> None:
    """Fail when the page scrolls sideways (the user would have to zoom out)."""
    overflow = horizontal_overflow(page)
    if overflow:
        where = f"{state} ({page.url})" if state else page.url
        pytest.fail(f"On {where} {format_overflow(overflow)}", pytrace=False)
