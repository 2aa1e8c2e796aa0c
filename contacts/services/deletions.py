from django.db import transaction
from django.utils import timezone

from config.celery import enqueue
from contacts.filters import filter_names
from contacts.models import BulkDeletion, DeletionStatus
from contacts.services.audit import Actor

STOPPED_NAMING = (
    "a contact named in its filter was anonymized, so the filter was removed. "
    "Select the remaining contacts again to delete them."
)


def bulk_deletion_request(
    *, actor: Actor, filter_query: str, max_contact_id: int, total: int
) -> BulkDeletion:
    """Record a large deletion of the contacts matching a filter; a worker runs it."""
    from contacts.tasks import run_bulk_deletion

    with transaction.atomic():
        deletion = BulkDeletion.objects.create(
            requested_by=actor,
            filter_query=filter_query,
            max_contact_id=max_contact_id,
            total=total,
        )
        transaction.on_commit(lambda: enqueue(run_bulk_deletion, deletion.pk))
    return deletion


def bulk_deletions_stop_naming(*, texts: list[str]) -> int:
    """Stop the open deletions whose stored filter names an anonymized person.

    Runs inside the anonymization's transaction. The filter must go, and without it the
    rest of the selection cannot be found: the user selects it again. Returns the count.
    """
    open_deletions = BulkDeletion.objects.select_for_update().filter(
        status__in=[DeletionStatus.SCHEDULED, DeletionStatus.RUNNING]
    )
    named = [d.pk for d in open_deletions if filter_names(d.filter_query, texts)]
    return BulkDeletion.objects.filter(pk__in=named).update(
        status=DeletionStatus.FAILED,
        error=STOPPED_NAMING,
        filter_query="",
        finished_at=timezone.now(),
    )
