import logging

from celery import shared_task
from django.conf import settings
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone

from config.celery import enqueue
from contacts.filters import ContactFilter
from contacts.jobs import claim_job, stalled, still_ours
from contacts.models import BulkDeletion, Contact, DeletionStatus
from contacts.services import contacts_delete

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=5)
def run_bulk_deletion(self, deletion_id: int) -> str:
    """Delete the confirmed selection in batches, each its own transaction.

    Safe to run again: a later run finds the deleted contacts gone and goes on.
    """
    stale_after = settings.CONTACTS_DELETION_STALE_AFTER_SECONDS
    attempt = claim_job(BulkDeletion, deletion_id, stale_after=stale_after)
    if attempt is None:
        if BulkDeletion.objects.filter(pk=deletion_id, status=DeletionStatus.RUNNING).exists():
            raise self.retry(countdown=stale_after + 1)
        return "skipped"
    job = BulkDeletion.objects.select_related("requested_by").get(pk=deletion_id)
    filterset = ContactFilter(QueryDict(job.filter_query))
    if not filterset.is_valid():
        _finish(job.pk, attempt, DeletionStatus.FAILED, "The filter is no longer valid.")
        return "failed"
    selection = filterset.qs.filter(pk__lte=job.max_contact_id).order_by("pk")
    while ids := list(selection.values_list("pk", flat=True)[: settings.CONTACTS_DELETE_BATCH]):
        deleted = contacts_delete(
            actor=job.requested_by, contacts=Contact.objects.filter(pk__in=ids)
        )
        if not still_ours(BulkDeletion, job.pk, attempt, deleted=F("deleted") + deleted):
            return "lost"
    _finish(job.pk, attempt, DeletionStatus.DONE, "")
    return "done"


def _finish(deletion_id: int, attempt: int, status: str, error: str) -> None:
    # The filter may name people; a finished deletion needs it no more.
    running = BulkDeletion.objects.filter(
        pk=deletion_id, attempts=attempt, status=DeletionStatus.RUNNING
    )
    running.update(status=status, error=error, filter_query="", finished_at=timezone.now())


@shared_task(acks_late=True)
def requeue_stalled_deletions() -> int:
    ids = stalled(BulkDeletion, stale_after=settings.CONTACTS_DELETION_STALE_AFTER_SECONDS)
    return sum(enqueue(run_bulk_deletion, deletion_id) for deletion_id in ids)
