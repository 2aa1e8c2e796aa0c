"""Writes of export jobs: request, cancel, expire. tasks.py runs the jobs."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from contacts.filters import filter_names
from contacts.models import Contact
from contacts.selectors import InvalidSelection, contacts_in_selection
from contacts.services import ContactGone
from core.audit import audit_record
from core.notifications import notification_queue
from core.queue import enqueue
from exports.builders import ContactMissing
from exports.models import OPEN_STATUSES, ExportJob, ExportKind, ExportStatus
from exports.notifications import READY
from exports.storage import delete_files, remove_parts
from exports.tasks import build_export


def export_request(*, actor: User, contact_id: int) -> ExportJob:
    """Record an export of one contact and queue its job once the request commits.

    While the same user's export of that contact is still scheduled or running, that job
    is the answer (a constraint keeps one): a double click builds one file, sends one mail.
    """
    with transaction.atomic():
        if not Contact.objects.filter(pk=contact_id).exists():
            raise ContactGone(contact_id)
        try:
            with transaction.atomic():
                job = ExportJob.objects.create(
                    kind=ExportKind.CONTACT, contact_id=contact_id, requested_by=actor
                )
        except IntegrityError:
            pending = _pending_contact_export(actor, contact_id)
            if pending is None:  # it ended between the insert and this read: a new one
                return export_request(actor=actor, contact_id=contact_id)
            return pending
        audit_record(
            actor=actor,
            action="contact.export_requested",
            contact_id=contact_id,
            details={"export_id": job.pk},
        )
        transaction.on_commit(lambda: queue_build(job.pk))
    return job


def _pending_contact_export(actor: User, contact_id: int) -> ExportJob | None:
    return ExportJob.objects.filter(
        requested_by=actor,
        kind=ExportKind.CONTACT,
        contact_id=contact_id,
        status__in=[ExportStatus.SCHEDULED, ExportStatus.RUNNING],
    ).first()


def export_list_request(
    *,
    actor: User,
    filter_query: str,
    max_contact_id: int | None,
    contact_ids: list[int] | None = None,
) -> ExportJob:
    """Record an export of an All Contacts selection (core.selection): every contact
    matching the filter (all pages), or with `contact_ids` the ticked rows only.

    While the same user's export of the same selection is still scheduled or running,
    that job is the answer: a double click builds one file and sends one mail. The
    user's row is locked meanwhile, so two requests at once cannot both miss it."""
    with transaction.atomic():
        list(User.objects.select_for_update().filter(pk=actor.pk).values_list("pk"))
        pending = _pending_list_export(actor, filter_query, contact_ids)
        if pending is not None:
            return pending
        job = ExportJob.objects.create(
            kind=ExportKind.CONTACT_LIST,
            filter_query=filter_query,
            max_contact_id=max_contact_id,
            contact_ids=contact_ids,
            requested_by=actor,
        )
        details: dict[str, object] = {"export_id": job.pk}
        if contact_ids is not None:
            details["contacts"] = len(contact_ids)
        audit_record(
            actor=actor,
            action="contacts.list_export_requested",
            contact_id=None,
            details=details,
        )
        transaction.on_commit(lambda: queue_build(job.pk))
    return job


def _pending_list_export(
    actor: User, filter_query: str, contact_ids: list[int] | None
) -> ExportJob | None:
    open_jobs = ExportJob.objects.filter(
        requested_by=actor,
        kind=ExportKind.CONTACT_LIST,
        filter_query=filter_query,
        status__in=[ExportStatus.SCHEDULED, ExportStatus.RUNNING],
    ).order_by("pk")
    return next((job for job in open_jobs if job.contact_ids == contact_ids), None)


def queue_build(job_id: int) -> bool:
    """Hand the job to the broker; if it is down the job stays scheduled (see enqueue)."""
    return enqueue(build_export, job_id)


NAMED_REASON = "Cancelled because a contact named in its filter was anonymized."
FILE_DELETED = "Its file was deleted."


def exports_cancel_for_contacts(
    *, contact_ids: list[int], anonymized: bool, naming: list[str] | None = None
) -> int:
    """Cancel open exports holding data of these contacts and delete their files; each
    says why (deleted or anonymized, and whether a ready file went).

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
    reasons: dict[str, list[ExportJob]] = {}
    for job in holding:
        reasons.setdefault(_gone_reason(job, anonymized=anonymized), []).append(job)
    for job in named:
        ready = job.status == ExportStatus.READY
        reason = f"{NAMED_REASON} {FILE_DELETED}" if ready else NAMED_REASON
        reasons.setdefault(reason, []).append(job)
    for reason, jobs_of_reason in reasons.items():
        _cancel(jobs_of_reason, reason)
    return len(holding) + len(named)


def _gone_reason(job: ExportJob, *, anonymized: bool) -> str:
    who = (
        f"Contact ID {job.contact_id}"
        if job.kind == ExportKind.CONTACT
        else "A contact in this export"
    )
    what = "anonymized" if anonymized else "deleted"
    if job.status == ExportStatus.READY:
        return f"{who} was {what} after the export was ready. {FILE_DELETED}"
    return f"{who} was {what} before the export was ready."


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

    def remove_files() -> None:
        delete_files(files)
        remove_parts(tokens)

    transaction.on_commit(remove_files)


def _includes(job: ExportJob, contact_ids: list[int]) -> bool:
    if job.max_contact_id is not None and job.max_contact_id < min(contact_ids):
        return False
    try:
        selection = contacts_in_selection(
            filter_query=job.filter_query,
            max_contact_id=job.max_contact_id,
            contact_ids=job.contact_ids,
        )
    except InvalidSelection:
        return True  # cannot tell: err on the side of removing the file
    return selection.filter(pk__in=contact_ids).exists()


def exports_expire(*, now: datetime | None = None) -> int:
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


def export_mark_ready(*, job_id: int, attempt: int, file_name: str, rows: int, size: int) -> str:
    """Offer a finished file: the job is ready and its requester gets an email.

    "lost" if the job is no longer this attempt's, "failed" if its contact went meanwhile.
    """
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != ExportStatus.RUNNING or job.attempt != attempt:
            return "lost"
        # Locking the contact waits for a concurrent delete or anonymization to finish.
        contact_gone = job.kind == ExportKind.CONTACT and (
            job.contact_id is None
            or not Contact.objects.select_for_update().filter(pk=job.contact_id).exists()
        )
        if contact_gone:
            ExportJob.finish(
                job_id,
                attempt,
                ExportStatus.FAILED,
                error=ContactMissing.message(job.contact_id),
                filter_query="",
            )
            return "failed"
        now = timezone.now()
        ExportJob.finish(
            job_id,
            attempt,
            ExportStatus.READY,
            file_name=file_name,
            file_size=size,
            progress_done=rows,
            progress_total=rows,  # the rows written, whatever the estimate was
            finished_at=now,
            expires_at=now + settings.EXPORT_RETENTION,
        )
        notification_queue(kind=READY, object_id=job_id, recipient=job.requested_by)
    return "ready"


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
