"""Importing contacts in a real browser, with the file read and applied by a real worker.

All Contacts > Import: choose the file (file picker, or drag and drop), check the mapping,
Validate (nothing is written), Import, follow the progress on the import's page and the
Imports page, and download the rejected rows.
"""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from contacts.models import Contact
from imports.models import ImportJob, ImportStatus
from tests.browser.conftest import MARKETER_EMAIL, expect_success, heading, main_menu
from tests.factories import ContactFactory, GroupFactory
from tests.worker import mail_text, sent_mail, wait_for

pytestmark = pytest.mark.browser

# The worker reads and applies the file: give it more than the usual time.
DONE_TIMEOUT_MS = 60_000
CSV_TEXT = (
    "user.Email;Vorname;Nachname\r\n"
    "anna.import@example.com;Anna;Schmidt\r\n"
    "not-an-address;Bob;Meier\r\n"
    "existing@example.com;Erika;Neu\r\n"
)


@pytest.fixture
def import_files(settings, tmp_path, worker_env):
    """One private import folder for the live server and the worker."""
    root = tmp_path / "imports"
    settings.IMPORTS_ROOT = root
    worker_env["IMPORTS_ROOT"] = str(root)
    return root


def write_csv(tmp_path: Path, text: str = CSV_TEXT, name: str = "contacts.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def drop_file(page: Page, selector: str, path: Path) -> None:
    """Drag a file from the desktop and drop it on `selector`, as a person would."""
    data_transfer = page.evaluate_handle(
        """([name, text]) => {
          const transfer = new DataTransfer();
          transfer.items.add(new File([text], name, { type: "text/csv" }));
          return transfer;
        }""",
        [path.name, path.read_text(encoding="utf-8")],
    )
    for event in ("dragenter", "dragover", "drop"):
        page.dispatch_event(selector, event, {"dataTransfer": data_transfer})


def column_select(page: Page, header: str):
    return page.get_by_role("combobox", name=header, exact=True)


def summary_count(page: Page, label: str):
    return (
        page.locator("dl.import-summary > div")
        .filter(has=page.get_by_text(label, exact=True))
        .locator("dd")
    )


@pytest.mark.worker
def test_upload_map_validate_import_and_download_the_rejected_rows(
    celery_worker, worker_env, import_files, marketer_page, tmp_path
):
    page = marketer_page
    ContactFactory(email="existing@example.com", first_name="Erika", last_name="Alt")
    celery_worker()
    path = write_csv(tmp_path)

    # Step 1: All Contacts > Import, the file picker.
    page.goto("/contacts/")
    page.get_by_role("main").get_by_role("link", name="Import", exact=True).click()
    expect(heading(page, "Import contacts")).to_be_visible()
    page.get_by_label("CSV file").set_input_files(path)
    expect(page.get_by_text("Chosen: contacts.csv")).to_be_visible()
    page.get_by_role("button", name="Upload").click()

    # Step 2: the mapping, read with the detected delimiter and auto-mapped.
    expect(heading(page, "Check the mapping")).to_be_visible()
    expect(page.get_by_label("Delimiter")).to_have_value(";")
    expect(column_select(page, "user.Email")).to_have_value("email")
    expect(column_select(page, "Vorname")).to_have_value("first_name")
    expect(column_select(page, "Nachname")).to_have_value("last_name")
    expect(page.get_by_role("cell", name="not-an-address")).to_be_visible()
    expect(page.get_by_label("Match on")).to_have_value("email")
    page.get_by_role("button", name="Validate").click()

    # Validate runs the whole file and writes nothing.
    expect(heading(page, "Validation of contacts.csv")).to_be_visible()
    expect_success(page, "The validation of contacts.csv was started")
    expect(page.get_by_text("Validated", exact=True)).to_be_visible(timeout=DONE_TIMEOUT_MS)
    expect(summary_count(page, "Would be created")).to_have_text("1")
    expect(summary_count(page, "Would be updated")).to_have_text("1")
    expect(summary_count(page, "Rejected")).to_have_text("1")
    assert not Contact.objects.filter(email="anna.import@example.com").exists()
    assert Contact.objects.get(email="existing@example.com").last_name == "Alt"

    # Again for real, from the validation's page: the same file and settings, no new upload.
    page.get_by_role("button", name="Import", exact=True).click()
    expect_success(page, "The import of contacts.csv was started")

    # Step 3: the import's page follows the job until it is done.
    expect(heading(page, "Import of contacts.csv")).to_be_visible()
    expect(page.get_by_text("Done", exact=True)).to_be_visible(timeout=DONE_TIMEOUT_MS)
    expect(summary_count(page, "Created")).to_have_text("1")
    expect(summary_count(page, "Updated")).to_have_text("1")
    expect(summary_count(page, "Rejected")).to_have_text("1")
    # The email that says it ended, with the counts and no personal data.
    subject = "Your import of contacts.csv is done"
    mails = wait_for(
        lambda: [m for m in sent_mail(worker_env) if m["Subject"] == subject],
        what="the email that the import is done",
    )
    assert mails[0]["To"] == MARKETER_EMAIL
    assert "Rejected: 1" in mail_text(mails[0]) and "anna.import" not in mail_text(mails[0])
    anna = Contact.objects.get(email="anna.import@example.com")
    assert (anna.first_name, anna.last_name) == ("Anna", "Schmidt")
    assert Contact.objects.get(email="existing@example.com").last_name == "Neu"

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the rejected rows").click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_bytes().decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;")
    rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
    assert rows[0][:3] == ["user.Email", "Vorname", "Nachname"]
    assert rows[0][3:] == ["Line", "Error"]
    assert len(rows) == 2
    assert rows[1][:4] == ["not-an-address", "Bob", "Meier", "3"]
    assert "user.Email" in rows[1][4] or "Email" in rows[1][4]

    # The Imports page lists both, newest first: the import, then its validation.
    main_menu(page).get_by_role("link", name="Imports", exact=True).click()
    rows_on_page = page.get_by_role("table").locator("tbody").get_by_role("row")
    expect(rows_on_page).to_have_count(2)
    expect(rows_on_page.first).to_contain_text("Done")
    expect(rows_on_page.last).to_contain_text("Validated")


def test_a_bad_file_is_explained_on_the_upload_page(marketer_page, tmp_path, settings):
    settings.IMPORTS_ROOT = tmp_path / "imports"
    page = marketer_page
    png = tmp_path / "photo.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    page.goto("/imports/new/")
    page.get_by_label("CSV file").set_input_files(png)
    page.get_by_role("button", name="Upload").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("This file cannot be imported")
    expect(alert).to_contain_text("PNG")
    expect(heading(page, "Import contacts")).to_be_visible()
    assert not ImportJob.objects.exists()


def test_changing_the_delimiter_reads_the_file_again(marketer_page, tmp_path, settings):
    settings.IMPORTS_ROOT = tmp_path / "imports"
    page = marketer_page
    page.goto("/imports/new/")
    page.get_by_label("CSV file").set_input_files(write_csv(tmp_path))
    page.get_by_role("button", name="Upload").click()
    expect(column_select(page, "Vorname")).to_be_visible()
    delimiter = page.get_by_label("Delimiter")
    # With the keyboard: the columns are read again in place, the focus stays put.
    delimiter.focus()
    page.keyboard.press("ArrowUp")
    expect(delimiter).to_have_value(",")
    # One column now: the whole line is its header.
    expect(column_select(page, "Vorname")).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="The file was read again")).to_have_count(1)
    expect(delimiter).to_be_focused()
    delimiter.select_option(";")
    expect(column_select(page, "Vorname")).to_have_value("first_name")
    expect(page.get_by_role("cell", name="not-an-address")).to_be_visible()


def test_import_into_a_group_from_its_members_page(marketer_page, tmp_path, settings):
    settings.IMPORTS_ROOT = tmp_path / "imports"
    page = marketer_page
    group = GroupFactory(name="Newsletter DE")
    page.goto(f"/groups/{group.pk}/")
    page.get_by_role("link", name="Import into Newsletter DE").click()
    expect(heading(page, "Import contacts")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("members of Newsletter DE")
    # The file dropped on the page instead of chosen.
    drop_file(page, "[data-dropzone]", write_csv(tmp_path))
    expect(page.get_by_text("Chosen: contacts.csv")).to_be_visible()
    page.get_by_role("button", name="Upload").click()
    expect(heading(page, "Check the mapping")).to_be_visible()
    expect(page.get_by_role("combobox", name="Group")).to_have_value(str(group.pk))


def test_progress_updates_by_itself_and_cancel(marketer_page, marketer):
    page = marketer_page
    started = timezone.now() - dt.timedelta(seconds=4)
    job = ImportJob.objects.create(
        requested_by=marketer,
        file_name="big.csv",
        status=ImportStatus.RUNNING,
        started_at=started,
        heartbeat_at=started + dt.timedelta(seconds=4),
        progress_done=40_000,
        progress_total=100_000,
    )
    page.goto(f"/imports/{job.pk}/")
    bar = page.get_by_role("progressbar", name="Rows done")
    expect(bar).to_have_attribute("aria-valuenow", "40")
    expect(page.get_by_text("40,000 of about 100,000 rows")).to_be_visible()
    expect(page.get_by_text("10,000 rows per second")).to_be_visible()
    # The worker moves on: the page follows without a reload.
    ImportJob.objects.filter(pk=job.pk).update(
        progress_done=80_000, heartbeat_at=started + dt.timedelta(seconds=8)
    )
    expect(bar).to_have_attribute("aria-valuenow", "80")
    expect(page.get_by_text("about 2 s left")).to_be_visible()

    page.get_by_role("button", name="Cancel").click()
    expect_success(page, "The import is stopping")
    expect(page.get_by_text("Cancelled", exact=True)).to_be_visible()
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED


def test_a_tester_sees_no_import(tester_page):
    page = tester_page
    page.goto("/contacts/")
    expect(heading(page, "All Contacts")).to_be_visible()
    expect(page.get_by_role("link", name="Import", exact=True)).to_have_count(0)
    expect(main_menu(page).get_by_role("link", name="Imports")).to_have_count(0)
    page.goto("/imports/new/")
    expect(heading(page, "You are not allowed to do this")).to_be_visible()
