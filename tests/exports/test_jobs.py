import datetime as dt
import socket

import pytest
from django.core import mail
from django.utils import timezone

from anonymization.services import contact_anonymize
from contacts.services import contact_delete
from core.jobs import JobStatus
from exports import tasks
from exports.models import ExportJob, ExportStatus
from exports.notifications import READY
from exports.services import export_request
from exports.storage import export_storage
from tests.factories import ContactFactory, EventFactory
from tests.jobs import mail_of, send_mail_of

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_claim_makes_a_second_delivery_a_no_op(marketer, run_job):
    job = export_request(actor=marketer, contact_id=ContactFactory().pk)
    assert run_job(job) == "ready"
    assert tasks.build_export(job.pk) == "skipped"
    job.refresh_from_db()
    assert job.attempt == 1
    assert len(export_storage.listdir("")[1]) == 1


def test_a_dead_workers_job_is_taken_over_after_its_heartbeat_stops(marketer, settings, run_job):
    job = export_request(actor=marketer, contact_id=ContactFactory().pk)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.RUNNING,
        attempt=1,
        heartbeat_at=timezone.now() - dt.timedelta(seconds=settings.EXPORT_STALE_AFTER_SECONDS + 5),
    )
    assert run_job(job) == "ready"
    assert job.attempt == 2


def test_a_live_workers_job_is_not_taken_over(marketer):
    job = export_request(actor=marketer, contact_id=ContactFactory().pk)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.RUNNING, attempt=1, heartbeat_at=timezone.now()
    )
    from celery.exceptions import Retry

    with pytest.raises(Retry):
        tasks.build_export(job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempt) == (ExportStatus.RUNNING, 1)


def test_contact_deleted_before_the_job_runs_fails_with_a_clear_reason(marketer, run_job):
    contact = ContactFactory()
    job = export_request(actor=marketer, contact_id=contact.pk)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.SCHEDULED)
    contact_delete(actor=None, contact_id=contact.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.CANCELLED
    assert "deleted" in job.error


def test_a_contact_export_that_names_no_contact_fails_with_a_clear_reason(marketer, run_job):
    job = export_request(actor=marketer, contact_id=ContactFactory().pk)
    ExportJob.objects.filter(pk=job.pk).update(contact_id=None)  # the column allows it
    assert run_job(job) == "failed"
    assert job.error == "This export names no contact: request it again from the contact."


def test_contact_gone_between_request_and_run(marketer, run_job):
    contact = ContactFactory()
    job = export_request(actor=marketer, contact_id=contact.pk)
    from contacts.models import Contact

    Contact.objects.filter(pk=contact.pk).delete()  # e.g. removed outside the services
    assert run_job(job) == "failed"
    assert "no longer exists" in job.error
    assert export_storage.listdir("")[1] == []


@pytest.mark.parametrize("remove", ["delete", "anonymize"])
def test_removing_the_contact_after_the_export_is_ready_deletes_the_file(
    marketer, run_job, remove, django_capture_on_commit_callbacks
):
    contact = ContactFactory()
    EventFactory(contact=contact)
    job = export_request(actor=marketer, contact_id=contact.pk)
    run_job(job)
    assert export_storage.exists(job.file_name)
    with django_capture_on_commit_callbacks(execute=True):
        if remove == "delete":
            contact_delete(actor=None, contact_id=contact.pk)
        else:
            contact_anonymize(actor=None, contact_id=contact.pk)
    name = job.file_name
    job.refresh_from_db()
    assert job.status == ExportStatus.CANCELLED
    assert not export_storage.exists(name)


def test_ready_email_links_the_export_page_without_personal_data(marketer, run_job, settings):
    marketer.email = "marketer@staff.example"
    marketer.save()
    contact = ContactFactory(email="private-person@example.com")
    job = export_request(actor=marketer, contact_id=contact.pk)
    run_job(job)
    assert send_mail_of(READY, job.pk) == "sent"
    (message,) = mail.outbox
    assert f"{settings.SITE_URL}/exports/{job.token}/" in message.body
    assert "private-person" not in f"{message.body} {message.subject}"
    assert send_mail_of(READY, job.pk) == "skipped"


def test_mail_server_down_the_export_page_still_works(marketer, marketer_client, run_job, settings):
    marketer.email = "marketer@staff.example"
    marketer.save()
    job = export_request(actor=marketer, contact_id=ContactFactory().pk)
    run_job(job)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        _closed_port(),
        2,
    )
    assert send_mail_of(READY, job.pk) == "retry"
    retrying = mail_of(READY, job.pk)
    assert (retrying.status, retrying.state_label) == (JobStatus.SCHEDULED, "Failed, will retry")
    assert marketer_client.get(f"/exports/{job.token}/download/").status_code == 200


def test_expiry_deletes_the_file_and_the_page_offers_a_new_export(
    marketer, marketer_client, run_job, django_capture_on_commit_callbacks
):
    job = export_request(actor=marketer, contact_id=ContactFactory().pk)
    run_job(job)
    assert job.expires_at and job.finished_at
    assert job.expires_at - job.finished_at == dt.timedelta(days=7)
    name = job.file_name
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.expire_exports() == 1
    job.refresh_from_db()
    assert (job.status, job.file_name) == (ExportStatus.EXPIRED, "")
    assert not export_storage.exists(name)
    page = marketer_client.get(f"/exports/{job.token}/").content.decode()
    assert "expired" in page and "Request a new export" in page
    download = marketer_client.get(f"/exports/{job.token}/download/")
    assert download.status_code == 302


def test_orphan_files_are_swept(marketer):
    from django.core.files.base import ContentFile

    from exports.storage import sweep_orphans

    export_storage.save("orphan.csv.enc", ContentFile(b"x"))
    removed = sweep_orphans(keep=set(), older_than=dt.timedelta(seconds=-1))
    assert "orphan.csv.enc" in removed


def test_progress_counts_the_events_and_ends_at_the_rows_written(marketer, run_job):
    """While running, done and total count the contact's events; once ready, both are the
    rows of the file, so done never exceeds total."""
    contact = ContactFactory()
    for _ in range(3):
        EventFactory(contact=contact)
    seen: list[tuple[int, int | None]] = []
    real_beat = ExportJob.beat

    def beat(job_id, attempt, **fields):
        job = ExportJob.objects.get(pk=job_id)
        seen.append((fields.get("progress_done", job.progress_done), job.progress_total))
        return real_beat(job_id, attempt, **fields)

    job = export_request(actor=marketer, contact_id=contact.pk)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tasks, "HEARTBEAT_EVERY", 0)
        patch.setattr(ExportJob, "beat", beat)
        assert run_job(job) == "ready"
    assert seen and all(total == 3 and done <= 3 for done, total in seen), seen
    job.refresh_from_db()
    assert job.progress_total is not None and job.progress_total > 3
    assert job.progress_done == job.progress_total
    assert job.percent == 100
