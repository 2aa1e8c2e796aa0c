import pytest

from contacts.models import Contact
from core.models import AuditEntry
from imports.models import ImportJob, ImportStatus
from tests.factories import ContactFactory
from tests.imports.engine import import_text, upload

pytestmark = pytest.mark.django_db


def test_upload_makes_a_draft_with_a_suggested_mapping(marketer):
    job = upload(marketer, "user.Email;user.FirstName\na@example.com;Ann\n")
    assert job.status == ImportStatus.DRAFT
    assert job.delimiter == ";"
    assert job.header == ["user.Email", "user.FirstName"]
    assert job.mapping == ["email", "first_name"]
    assert job.match_on == "email"
    assert job.stored_file and job.file_size > 0


def test_an_import_creates_and_updates(marketer):
    existing = ContactFactory(email="old@example.com", first_name="Old")
    job = import_text(
        marketer,
        "Email,First name\nnew@example.com,New\nold@example.com,Changed\n",
    )
    assert job.status == ImportStatus.DONE, job.error
    assert (job.created, job.updated, job.rejected) == (1, 1, 0)
    existing.refresh_from_db()
    assert existing.first_name == "Changed"
    assert existing.version == 2
    new = Contact.objects.get(email="new@example.com")
    assert new.first_name == "New" and new.identifier_type == "email"
    entry = AuditEntry.objects.get(action="import.finished")
    assert entry.details["created"] == 1 and entry.details["updated"] == 1
    assert ImportJob.objects.get(pk=job.pk).progress_total == 2
