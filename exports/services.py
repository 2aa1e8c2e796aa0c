"""Writes of export jobs: request, cancel. The task module runs the jobs."""

from django.db import transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from exports.models import ExportJob, ExportKind, ExportStatus
from exports.storage import delete_files

OPEN_STATUSES = [ExportStatus.SCHEDULED, ExportStatus.RUNNING, ExportStatus.READY]


def exports_cancel_for_contacts(*, contact_ids: list[int], reason: str) -> int:
    """Cancel open exports holding data of these contacts and delete their files.

    Runs inside the caller's transaction; the files go only once it commits.
    """
    jobs = list(
        ExportJob.objects.select_for_update()
        .filter(status__in=OPEN_STATUSES)
        .filter(Q(kind=ExportKind.CONTACT, contact_id__in=contact_ids) | _list_exports(contact_ids))
    )
    jobs = [job for job in jobs if job.kind == ExportKind.CONTACT or _includes(job, contact_ids)]
    if not jobs:
        return 0
    files = [job.file_name for job in jobs if job.file_name]
    ExportJob.objects.filter(pk__in=[job.pk for job in jobs]).update(
        status=ExportStatus.CANCELLED,
        error=reason,
        file_name="",
        file_size=None,
        finished_at=timezone.now(),
    )
    transaction.on_commit(lambda: delete_files(files))
    return len(jobs)


def _list_exports(contact_ids: list[int]) -> Q:
    return Q(kind=ExportKind.CONTACT_LIST, max_contact_id__gte=min(contact_ids, default=0))


def _includes(job: ExportJob, contact_ids: list[int]) -> bool:
    from contacts.filters import ContactFilter

    selection = ContactFilter(QueryDict(job.filter_query))
    if not selection.is_valid():
        return True  # cannot tell: err on the side of removing the file
    return selection.qs.filter(pk__in=contact_ids, pk__lte=job.max_contact_id).exists()
