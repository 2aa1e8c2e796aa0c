"""The export jobs. Each task takes an id; the ExportJob row says what to do and where it is.

A job is claimed with a conditional UPDATE, so a task delivered twice (acks_late,
a redelivery after a worker died) runs once; a claim whose heartbeat went quiet
belongs to a dead worker and may be taken over.
"""

import logging
import os
import time
from datetime import timedelta
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.core.files import File
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from config.celery import enqueue
from contacts.jobs import claim_job, stalled, still_ours
from contacts.models import Contact
from contacts.system_mail import queue_due_mail, queued_until, send_system_mail
from exports import builders
from exports.crypto import EncryptingWriter, export_key
from exports.csvfile import CsvSink
from exports.models import ExportJob, ExportKind, ExportStatus
from exports.services import expiry_time, exports_expire, queue_build
from exports.storage import (
    FILE_MODE,
    delete_files,
    export_storage,
    part_path,
    remove_parts,
    sweep_orphans,
)

logger = logging.getLogger(__name__)

HEARTBEAT_EVERY = 2.0  # seconds between progress writes


class JobLost(Exception):
    """Another worker took the job over, or it was cancelled: stop and clean up."""


@shared_task(bind=True, acks_late=True, max_retries=5)
def build_export(self, job_id: int) -> str:
    attempt = _claim(job_id)
    if attempt is None:
        if ExportJob.objects.filter(pk=job_id, status=ExportStatus.RUNNING).exists():
            # Delivered again while a worker holds the job: look once more when its
            # heartbeat would have gone stale (it did, if that worker died).
            raise self.retry(countdown=settings.EXPORT_STALE_AFTER_SECONDS + 1)
        return "skipped"
    job = ExportJob.objects.get(pk=job_id)
    try:
        name, rows, size = _write_file(job, attempt)
    except JobLost:
        return "lost"
    except builders.ContactMissing as exc:
        _fail(job_id, attempt, str(exc))
        return "failed"
    except Exception:
        logger.exception("Export %s failed", job_id)
        _fail(job_id, attempt, "The export could not be built. Please request it again.")
        raise
    outcome = _finish(job_id, attempt, name, rows, size)
    if outcome != "ready":
        delete_files([name])
    return outcome


def _claim(job_id: int) -> int | None:
    return claim_job(
        ExportJob,
        job_id,
        stale_after=settings.EXPORT_STALE_AFTER_SECONDS,
        started_at=timezone.now(),
        rows_done=0,
        error="",
    )


def _write_file(job: ExportJob, attempt: int) -> tuple[str, int, int]:
    last_beat = 0.0

    def progress(rows: int) -> None:
        nonlocal last_beat
        if time.monotonic() - last_beat < HEARTBEAT_EVERY:
            return
        last_beat = time.monotonic()
        if not still_ours(ExportJob, job.pk, attempt, rows_done=rows):
            raise JobLost

    # Encrypted as it is written: no plaintext ever reaches the disk. What a crashed
    # earlier attempt left goes first.
    remove_parts([job.token], before_attempt=attempt)
    path = part_path(job.token, attempt)
    try:
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE), "wb") as raw:
            writer = EncryptingWriter(raw, export_key())
            rows = _write_rows(job, CsvSink(writer), progress)
            writer.close()
        # Saved under its final name only when complete (a local storage just moves it);
        # the job points to it only after the checks in _finish, so a half-written file
        # is never offered.
        try:
            finished = _FinishedFile(path)
        except FileNotFoundError:
            if not still_ours(ExportJob, job.pk, attempt):
                raise JobLost from None  # cancelled meanwhile: its part file went with it
            raise
        with finished:
            name = export_storage.save(f"{job.token}-{attempt}.csv.enc", finished)
        return name, rows, writer.plaintext_size
    finally:
        path.unlink(missing_ok=True)


def _write_rows(job: ExportJob, sink: CsvSink, progress) -> int:
    if job.kind == ExportKind.CONTACT:
        contact = Contact.objects.filter(pk=job.contact_id).first()
        if contact is None:
            raise builders.ContactMissing(job.contact_id)
        ExportJob.objects.filter(pk=job.pk).update(
            rows_total=builders.contact_event_count(contact.pk)
        )
        return builders.write_contact(sink, contact, progress)
    return builders.write_contact_list(sink, job.filter_query, job.max_contact_id or 0, progress)


class _FinishedFile(File):
    """A finished temporary file that a file system storage may move instead of copy."""

    def __init__(self, path: Path):
        super().__init__(open(path, "rb"), name=path.name)  # noqa: SIM115 (File closes it)
        self._path = str(path)

    def temporary_file_path(self) -> str:
        return self._path


def _finish(job_id: int, attempt: int, name: str, rows: int, size: int) -> str:
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != ExportStatus.RUNNING or job.attempts != attempt:
            return "lost"
        # Locking the contact waits for a concurrent delete or anonymization to finish.
        contact_gone = (
            job.kind == ExportKind.CONTACT
            and not Contact.objects.select_for_update().filter(pk=job.contact_id).exists()
        )
        if contact_gone:
            _fail(job_id, attempt, builders.ContactMissing.message(job.contact_id))
            return "failed"
        now = timezone.now()
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportStatus.READY,
            file_name=name,
            file_size=size,
            rows_done=rows,
            finished_at=now,
            expires_at=expiry_time(now),
            heartbeat_at=now,
            email_next_attempt_at=queued_until(),
        )
        transaction.on_commit(lambda: enqueue(notify_export_ready, job_id))
    return "ready"


def _fail(job_id: int, attempt: int, reason: str) -> None:
    ExportJob.objects.filter(pk=job_id, attempts=attempt, status=ExportStatus.RUNNING).update(
        status=ExportStatus.FAILED, error=reason[:500], filter_query="", finished_at=timezone.now()
    )


@shared_task(acks_late=True)
def notify_export_ready(job_id: int) -> str:
    """Email the requester a link to the export page (system_mail records it and retries)."""
    if not ExportJob.objects.filter(pk=job_id, status=ExportStatus.READY).exists():
        return "skipped"
    return send_system_mail(ExportJob, job_id, _ready_email)


def _ready_email(job: ExportJob) -> EmailMessage | None:
    user = job.requested_by
    if not user.email:
        return None
    link = settings.SITE_URL + reverse("exports:detail", args=[job.token])
    body = render_to_string("exports/ready_email.txt", {"job": job, "user": user, "link": link})
    return EmailMessage(subject=_subject(job), body=body, to=[user.email])


def _subject(job: ExportJob) -> str:
    if job.kind == ExportKind.CONTACT:
        return f"Your export of Contact ID {job.contact_id} is ready"
    return "Your export of All Contacts is ready"


@shared_task(acks_late=True)
def requeue_stalled_exports() -> int:
    """Queue what is due: jobs the broker lost or whose worker died, and ready emails.

    Returns the number of tasks queued.
    """
    waiting = stalled(ExportJob, stale_after=settings.EXPORT_STALE_AFTER_SECONDS)
    queued = sum(queue_build(job_id) for job_id in waiting)
    ready = ExportJob.objects.filter(status=ExportStatus.READY)
    return queued + queue_due_mail(ready, notify_export_ready)


@shared_task(acks_late=True)
def expire_exports() -> int:
    expired = exports_expire()
    sweep_orphans(
        keep=set(ExportJob.objects.exclude(file_name="").values_list("file_name", flat=True)),
        older_than=timedelta(hours=1),
    )
    return expired
