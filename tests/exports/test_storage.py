"""Export files on disk: private modes, and no part file outliving its attempt."""

import datetime as dt
import os
import stat
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from contacts.models import Contact
from contacts.services import contact_delete
from exports import tasks
from exports.models import ExportJob, ExportStatus
from exports.services import export_request
from exports.storage import export_storage
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def usual_umask():
    """The umask most servers run with (group and others may read new files)."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _crashed_attempt(job: ExportJob, export_root: Path, settings) -> Path:
    """The job as a worker killed in the middle of attempt 1 leaves it."""
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.RUNNING,
        attempt=1,
        heartbeat_at=timezone.now() - dt.timedelta(seconds=settings.EXPORT_STALE_AFTER_SECONDS + 5),
    )
    tmp = export_root / ".tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    part = tmp / f"{job.token}-1.part"
    part.write_bytes(b"half of an encrypted file")
    return part


def test_files_are_0600_and_folders_0700(marketer, run_job, export_root, usual_umask):
    job = export_request(actor=marketer, contact_id=ContactFactory().pk)
    assert run_job(job) == "ready"
    assert _mode(export_root) == 0o700
    assert _mode(export_root / ".tmp") == 0o700
    assert _mode(export_storage.path(job.file_name)) == 0o600
    other = export_storage.save("nested/other.csv.enc", ContentFile(b"x"))
    assert _mode(export_storage.path(other)) == 0o600
    assert _mode(export_root / "nested") == 0o700


def test_a_folder_left_open_by_an_older_version_is_closed(
    marketer, run_job, export_root, usual_umask
):
    (export_root / ".tmp").mkdir(parents=True, mode=0o755)
    export_root.chmod(0o755)
    job = export_request(actor=marketer, contact_id=ContactFactory().pk)
    run_job(job)
    assert (_mode(export_root), _mode(export_root / ".tmp")) == (0o700, 0o700)


def test_a_crashed_attempts_part_file_goes_when_the_job_is_retried(
    marketer, run_job, export_root, settings
):
    job = export_request(actor=marketer, contact_id=ContactFactory().pk)
    part = _crashed_attempt(job, export_root, settings)
    other_job = export_request(actor=marketer, contact_id=ContactFactory().pk)
    others = export_root / ".tmp" / f"{other_job.token}-1.part"
    others.write_bytes(b"another job's file")

    assert run_job(job) == "ready"
    assert job.attempt == 2
    assert not part.exists()
    assert others.exists(), "only this job's part files"
    assert list((export_root / ".tmp").iterdir()) == [others]


def test_a_crashed_attempts_part_file_goes_when_the_job_fails(
    marketer, run_job, export_root, settings
):
    contact = ContactFactory()
    job = export_request(actor=marketer, contact_id=contact.pk)
    part = _crashed_attempt(job, export_root, settings)
    Contact.objects.filter(pk=contact.pk).delete()  # removed outside the services

    assert run_job(job) == "failed"
    assert not part.exists()


def test_a_crashed_attempts_part_file_goes_when_the_job_is_cancelled(
    marketer, export_root, settings, django_capture_on_commit_callbacks
):
    contact = ContactFactory()
    job = export_request(actor=marketer, contact_id=contact.pk)
    part = _crashed_attempt(job, export_root, settings)
    with django_capture_on_commit_callbacks(execute=True):
        contact_delete(actor=None, contact_id=contact.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.CANCELLED
    assert not part.exists()


def test_a_job_cancelled_while_it_writes_stops_quietly(
    marketer, export_root, monkeypatch, django_capture_on_commit_callbacks
):
    contact = ContactFactory()
    job = export_request(actor=marketer, contact_id=contact.pk)
    write_rows = tasks._write_rows

    def cancelled_half_way(job, sink, progress):
        rows = write_rows(job, sink, progress)
        with django_capture_on_commit_callbacks(execute=True):
            contact_delete(actor=None, contact_id=contact.pk)
        return rows

    monkeypatch.setattr(tasks, "_write_rows", cancelled_half_way)
    assert tasks.build_export(job.pk) == "lost"
    job.refresh_from_db()
    assert (job.status, job.file_name) == (ExportStatus.CANCELLED, "")
    assert list((export_root / ".tmp").iterdir()) == []
    assert export_storage.listdir("")[1] == []
