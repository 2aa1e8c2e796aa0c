"""The export jobs (core.jobs): each task takes an id; the ExportJob row says what to do.

Tasks import the services inside the function (services import this module).
"""

import logging
import os
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from celery import Task, shared_task
from django.core.files import File
from django.utils import timezone

from contacts.models import Contact
from core.jobs import JobStatus, run_claimed
from exports import builders
from exports.crypto import EncryptingWriter, export_key
from exports.csvfile import CsvSink
from exports.models import ExportJob, ExportKind
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
def build_export(self: Task[..., str], job_id: int) -> str:
    def work(attempt: int) -> str:
        return _build(job_id, attempt)

    return run_claimed(
        self, ExportJob, job_id, work, started_at=timezone.now(), progress_done=0, error=""
    )


def _build(job_id: int, attempt: int) -> str:
    from exports.services import export_mark_ready

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
    outcome = export_mark_ready(
        job_id=job_id, attempt=attempt, file_name=name, rows=rows, size=size
    )
    if outcome != "ready":
        delete_files([name])
    return outcome


def _fail(job_id: int, attempt: int, reason: str) -> None:
    ExportJob.finish(job_id, attempt, JobStatus.FAILED, error=reason, filter_query="")


def _write_file(job: ExportJob, attempt: int) -> tuple[str, int, int]:
    last_beat = 0.0

    def progress(rows: int) -> None:
        nonlocal last_beat
        if time.monotonic() - last_beat < HEARTBEAT_EVERY:
            return
        last_beat = time.monotonic()
        if not ExportJob.beat(job.pk, attempt, progress_done=rows):
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
        # the job points to it only after the checks of export_mark_ready, so a
        # half-written file is never offered.
        try:
            finished = _FinishedFile(path)
        except FileNotFoundError:
            if not ExportJob.beat(job.pk, attempt):
                raise JobLost from None  # cancelled meanwhile: its part file went with it
            raise
        with finished:
            name = export_storage.save(f"{job.token}-{attempt}.csv.enc", finished)
        return name, rows, writer.plaintext_size
    finally:
        path.unlink(missing_ok=True)


def _write_rows(job: ExportJob, sink: CsvSink, progress: Callable[[int], None]) -> int:
    if job.kind == ExportKind.CONTACT:
        contact = (
            None if job.contact_id is None else Contact.objects.filter(pk=job.contact_id).first()
        )
        if contact is None:
            raise builders.ContactMissing(job.contact_id)
        ExportJob.objects.filter(pk=job.pk).update(
            progress_total=builders.contact_event_count(contact.pk)
        )
        return builders.write_contact(sink, contact, progress)
    return builders.write_contact_list(
        sink, job.filter_query, job.max_contact_id, progress, contact_ids=job.contact_ids
    )


class _FinishedFile(File[bytes]):
    """A finished temporary file that a file system storage may move instead of copy."""

    def __init__(self, path: Path):
        super().__init__(open(path, "rb"), name=path.name)  # noqa: SIM115 (File closes it)
        self._path = str(path)

    def temporary_file_path(self) -> str:
        return self._path


@shared_task(acks_late=True)
def requeue_stalled_exports() -> int:
    """Queue the builds that are due: lost by the broker, or whose worker died."""
    return ExportJob.requeue_due(build_export)


@shared_task(acks_late=True)
def expire_exports() -> int:
    from exports.services import exports_expire

    expired = exports_expire()
    sweep_orphans(
        keep=set(ExportJob.objects.exclude(file_name="").values_list("file_name", flat=True)),
        older_than=timedelta(hours=1),
    )
    return expired
