"""Imports racing each other, an edit and an anonymization: PostgreSQL decides."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client

from anonymization.services import contact_anonymize
from contacts.models import Contact
from contacts.services import ContactConflict, contact_update
from core.models import AuditEntry
from imports import tasks
from imports.apply import Options
from imports.models import ImportJob, ImportStatus
from imports.reading import Dialect, open_table
from imports.storage import open_stored
from tests.api.test_concurrency import _waiting_for_locks
from tests.contacts.test_concurrency import _in_thread, _wait_until_a_backend_waits_for_a_lock
from tests.factories import ContactFactory
from tests.imports.engine import start, upload
from tests.imports.test_pages import mapping_post

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _claimed(user, text: str) -> tuple[int, int, tasks.Chunk, Options]:
    """A started job claimed by "a worker", and its file as one chunk."""
    job = start(upload(user, text), user)
    attempt = ImportJob.claim(job.pk)
    assert attempt is not None
    job.refresh_from_db()
    plan, options = tasks.job_options(job)
    with open_stored(job.stored_file) as stream:
        table = open_table(stream, Dialect(job.encoding, job.delimiter, job.quotechar))
        (chunk,) = tasks.checked_chunks(table.rows, plan, skip=0, size=10_000)
    return job.pk, attempt, chunk, options


def test_two_imports_of_overlapping_files_at_once(marketer):
    rows = "".join(f"shared{i}@example.com,{{name}}\n" for i in range(50))
    first = _claimed(marketer, "Email,First name\n" + rows.replace("{name}", "First"))
    second = _claimed(marketer, "Email,First name\n" + rows.replace("{name}", "Second"))
    results: dict = {}
    first_written = threading.Event()
    release_first = threading.Event()

    def run_first():
        with transaction.atomic():
            result = tasks.commit_chunk(*first)
            first_written.set()
            release_first.wait(10)
        return result

    a = _in_thread(run_first, results, "first")
    first_written.wait(10)
    b = _in_thread(lambda: tasks.commit_chunk(*second), results, "second")
    _wait_until_a_backend_waits_for_a_lock()  # the second chunk waits for the first's writes
    release_first.set()
    a.join(20)
    b.join(20)

    assert results["first"].count("created") == 50, results["first"]
    assert not isinstance(results["second"], Exception), results["second"]
    # The second import came second for every new contact: reading after, it updated them.
    assert results["second"].count("updated") == 50
    assert Contact.objects.count() == 50
    assert set(Contact.objects.values_list("first_name", "version")) == {("Second", 2)}
    assert ImportJob.objects.get(pk=second[0]).updated == 50


def test_an_import_waits_for_an_edit_and_the_edit_form_opened_before_is_refused(marketer):
    contact = ContactFactory(email="a@example.com", first_name="Ann", last_name="Old")
    job = _claimed(marketer, "Email,First name\na@example.com,Imported\n")
    results: dict = {}
    edited = threading.Event()
    release_edit = threading.Event()

    def edit():
        with transaction.atomic():
            contact_update(
                actor=marketer,
                contact_id=contact.pk,
                expected_version=1,
                changes={"last_name": "Edited"},
            )
            edited.set()
            release_edit.wait(10)
        return "edited"

    a = _in_thread(edit, results, "edit")
    edited.wait(10)
    b = _in_thread(lambda: tasks.commit_chunk(*job), results, "import")
    _wait_until_a_backend_waits_for_a_lock()  # the import waits for the edit's row lock
    release_edit.set()
    a.join(20)
    b.join(20)

    assert results["edit"] == "edited"
    assert results["import"].count("updated") == 1
    contact.refresh_from_db()
    assert (contact.first_name, contact.last_name, contact.version) == ("Imported", "Edited", 3)
    # A form opened at version 2 (before the import) is refused, as for any other change.
    with pytest.raises(ContactConflict):
        contact_update(
            actor=marketer, contact_id=contact.pk, expected_version=2, changes={"nickname": "x"}
        )


def test_an_import_while_the_contact_is_anonymized_creates_a_new_contact(marketer):
    contact = ContactFactory(email="forget@example.com", first_name="Ann")
    job = _claimed(marketer, "Email,First name\nforget@example.com,Imported\n")
    results: dict = {}
    anonymized = threading.Event()
    release = threading.Event()

    def anonymize():
        with transaction.atomic():
            contact_anonymize(actor=marketer, contact_id=contact.pk)
            anonymized.set()
            release.wait(10)
        return "anonymized"

    a = _in_thread(anonymize, results, "anonymize")
    anonymized.wait(10)
    b = _in_thread(lambda: tasks.commit_chunk(*job), results, "import")
    _wait_until_a_backend_waits_for_a_lock()
    release.set()
    a.join(20)
    b.join(20)

    assert results["anonymize"] == "anonymized"
    assert results["import"].count("created") == 1, results["import"]
    new = Contact.objects.get()
    assert new.pk != contact.pk and new.first_name == "Imported" and new.version == 1
    connection.close()


def test_a_double_clicked_import_start_starts_it_once_and_shows_it_to_every_click(marketer):
    clients = [Client() for _ in range(4)]
    for client in clients:
        client.force_login(marketer)
    draft = clients[0].post(
        "/imports/new/",
        {"file": SimpleUploadedFile("c.csv", b"Email\na@example.com\n", "text/csv")},
    )
    job = ImportJob.objects.get()
    assert draft["Location"] == f"/imports/{job.pk}/"
    form = mapping_post(job, "import")
    results: dict = {}
    with transaction.atomic():
        # Every click reads the draft, then queues behind this lock to claim it.
        ImportJob.objects.select_for_update().get(pk=job.pk)
        threads = [
            _in_thread(lambda c=c: c.post(f"/imports/{job.pk}/", form), results, str(n))
            for n, c in enumerate(clients)
        ]
        _waiting_for_locks(4)
    for thread in threads:
        thread.join(20)

    assert [(r.status_code, r.get("Location")) for r in results.values()] == [
        (302, f"/imports/{job.pk}/")
    ] * 4
    job.refresh_from_db()
    assert job.status == ImportStatus.SCHEDULED
    assert AuditEntry.objects.filter(action="import.started").count() == 1
