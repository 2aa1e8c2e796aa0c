"""Writes of export jobs: request, cancel, expire. tasks.py runs the jobs."""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from config.celery import enqueue
from contacts.filters import ContactFilter, filter_names
from contacts.models import Contact
from contacts.services import ContactGone, audit_record
from contacts.services.audit import Actor
from contacts.system_mail import give_up_mail
from exports.models import ExportJob, ExportKind, ExportStatus
from exports.storage import delete_files, remove_parts

OPEN_STATUSES = [ExportStatus.SCHEDULED, ExportStatus.RUNNING, ExportStatus.READY]


def export_request(*, actor: Actor, contact_id: int) -> ExportJob:
    """Record an export of one contact and queue its job once the request commits."""
    with transaction.atomic():
        if not Contact.objects.filter(pk=contact_id).exists():
            raise ContactGone(contact_id)
        job = ExportJob.objects.create(
            kind=ExportKind.CONTACT, contact_id=contact_id, requested_by=actor
        )
        audit_record(
            actor=actor,
            action="contact.export_requested",
            contact_id=contact_id,
            details={"export_id": job.pk},
        )
        transaction.on_commit(lambda: queue_build(job.pk))
    return job


def export_list_request(*, actor: Actor, filter_query: str, max_contact_id: int) -> ExportJob:
    """Record an export of every contact matching an All Contacts filter (all pages)."""
    with transaction.atomic():
        job = ExportJob.objects.create(
            kind=ExportKind.CONTACT_LIST,
            filter_query=filter_query,
            max_contact_id=max_contact_id,
            requested_by=actor,
        )
        audit_record(
            actor=actor,
            action="contacts.list_export_requested",
            contact_id=None,
            details={"export_id": job.pk},
        )
        transaction.on_commit(lambda: queue_build(job.pk))
    return job


def queue_build(job_id: int) -> bool:
    """Hand the job to the broker; if it is down the job stays scheduled (see enqueue)."""
    from exports.tasks import build_export

    return enqueue(build_export, job_id)


NAMED_REASON = "Cancelled because a contact named in its filter was anonymized."


def exports_cancel_for_contacts(
    *, contact_ids: list[int], reason: str, naming: list[str] | None = None
) -> int:
    """Cancel open exports holding data of these contacts and delete their files.

    `naming`: the texts that name an anonymized person (contacts.filters.naming_texts).
    A list export whose stored filter names them is cancelled too, even if the person is
    not in it: the filter must go, and the job cannot run or be checked without it.
    Runs inside the caller's transaction; the files go only once it commits.
    """
    if not contact_ids:
        return 0
    candidates = Q(kind=ExportKind.CONTACT, contact_id__in=contact_ids) | Q(
        kind=ExportKind.CONTACT_LIST, max_contact_id__gte=min(contact_ids)
    )
    if naming:
        candidates |= Q(kind=ExportKind.CONTACT_LIST)
    jobs = list(
        ExportJob.objects.select_for_update().filter(status__in=OPEN_STATUSES).filter(candidates)
    )
    holding = [job for job in jobs if job.kind == ExportKind.CONTACT or _includes(job, contact_ids)]
    named = [
        job for job in jobs if job not in holding and filter_names(job.filter_query, naming or [])
    ]
    _cancel(holding, reason)
    _cancel(named, NAMED_REASON)
    return len(holding) + len(named)


def _cancel(jobs: list[ExportJob], reason: str) -> None:
    if not jobs:
        return
    files = [job.file_name for job in jobs if job.file_name]
    tokens = [job.token for job in jobs]
    ExportJob.objects.filter(pk__in=[job.pk for job in jobs]).update(
        status=ExportStatus.CANCELLED,
        error=reason,
        filter_query="",
        file_name="",
        file_size=None,
        finished_at=timezone.now(),
    )
    transaction.on_commit(lambda: (delete_files(files), remove_parts(tokens)))


def _includes(job: ExportJob, contact_ids: list[int]) -> bool:
    if job.max_contact_id is not None and job.max_contact_id < min(contact_ids):
        return False
    selection = ContactFilter(QueryDict(job.filter_query))
    if not selection.is_valid():
        return True  # cannot tell: err on the side of removing the file
    return selection.qs.filter(pk__in=contact_ids, pk__lte=job.max_contact_id).exists()


def exports_expire(*, now=None) -> int:
    """Delete the files of ready exports past their expiry; the jobs say "expired"."""
    now = now or timezone.now()
    with transaction.atomic():
        jobs = list(
            ExportJob.objects.select_for_update(skip_locked=True).filter(
                status=ExportStatus.READY, expires_at__lte=now
            )
        )
        files = [job.file_name for job in jobs]
        ExportJob.objects.filter(pk__in=[job.pk for job in jobs]).update(
            status=ExportStatus.EXPIRED, filter_query="", file_name="", file_size=None
        )
        transaction.on_commit(lambda: delete_files(files))
    return len(jobs)


def expiry_time(finished_at):
    return finished_at + settings.EXPORT_RETENTION


def export_mail_give_up(*, actor: Actor, ids: list[int]) -> int:
    """Stop retrying the ready emails of these exports (an admin's call); how many stopped."""
    with transaction.atomic():
        given_up = give_up_mail(ExportJob.objects.filter(pk__in=ids))
        if given_up:
            audit_record(
                actor=actor,
                action="export.email_given_up",
                contact_id=None,
                details={"export_ids": given_up},
            )
    return len(given_up)


def export_fail_tampered(*, job_id: int) -> None:
    """A stored file failed authentication: never offer it again."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return
        files = [job.file_name] if job.file_name else []
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportStatus.FAILED,
            error="The stored file failed its integrity check and was removed.",
            filter_query="",
            file_name="",
            file_size=None,
        )
        transaction.on_commit(lambda: delete_files(files))
