"""Celery tasks of contacts: ids only; services imported inside the function."""

from celery import Task, shared_task
from django.conf import settings
from django.utils import timezone

from contacts.models import BulkDeletion
from contacts.selectors import InvalidSelection, contacts_in_selection
from core.jobs import JobStatus, run_claimed


@shared_task(bind=True, acks_late=True, max_retries=5)
def run_bulk_deletion(self: Task[..., str], deletion_id: int) -> str:
    """Delete the confirmed selection in batches, each its own transaction.

    Safe to run again: a later run finds the deleted contacts gone and goes on.
    """
    from contacts.services.deletions import bulk_deletion_delete_batch

    def work(attempt: int) -> str:
        job = BulkDeletion.objects.select_related("requested_by").get(pk=deletion_id)
        try:
            selection = contacts_in_selection(
                filter_query=job.filter_query,
                max_contact_id=job.max_contact_id,
                contact_ids=job.contact_ids,
            ).order_by("pk")
        except InvalidSelection:
            _finish(job.pk, attempt, JobStatus.FAILED, "The filter is no longer valid.")
            return "failed"
        batch = settings.CONTACTS_DELETE_BATCH
        while ids := list(selection.values_list("pk", flat=True)[:batch]):
            if not bulk_deletion_delete_batch(deletion=job, attempt=attempt, ids=ids):
                return "lost"
        _finish(job.pk, attempt, JobStatus.DONE)
        return "done"

    return run_claimed(self, BulkDeletion, deletion_id, work, started_at=timezone.now())


def _finish(deletion_id: int, attempt: int, status: str, error: str = "") -> None:
    # The filter may name people; a finished deletion needs it no more.
    BulkDeletion.finish(deletion_id, attempt, status, error=error, filter_query="")


@shared_task(acks_late=True)
def requeue_stalled_deletions() -> int:
    return BulkDeletion.requeue_due(run_bulk_deletion)
