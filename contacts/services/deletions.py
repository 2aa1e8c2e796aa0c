from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from contacts.filters import filter_names
from contacts.models import BulkDeletion, Contact
from contacts.services.contacts import contacts_delete
from contacts.tasks import run_bulk_deletion
from core.audit import audit_record
from core.jobs import OPEN_STATUSES, JobStatus
from core.queue import enqueue

STOPPED_NAMING = (
    "a contact named in its filter was anonymized, so the filter was removed. "
    "Select the remaining contacts again to delete them."
)


def bulk_deletion_request(
    *, actor: User, filter_query: str, max_contact_id: int, total: int
) -> BulkDeletion:
    """Record a large deletion of the contacts matching a filter; a worker runs it.

    While the same user's deletion of the same selection (filter and newest Contact ID) is
    still scheduled or running, that one is the answer (a constraint keeps one): a double
    submit or a second tab deletes once and shows one notice.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                deletion = BulkDeletion.objects.create(
                    requested_by=actor,
                    filter_query=filter_query,
                    max_contact_id=max_contact_id,
                    progress_total=total,
                )
        except IntegrityError:
            pending = _open_deletion(actor, filter_query, max_contact_id)
            if pending is None:  # it ended between the insert and this read: a new one
                return bulk_deletion_request(
                    actor=actor,
                    filter_query=filter_query,
                    max_contact_id=max_contact_id,
                    total=total,
                )
            return pending
        audit_record(
            actor=actor,
            action="contacts.bulk_deletion_requested",
            contact_id=None,
            details={"deletion_id": deletion.pk, "total": total},
        )
        transaction.on_commit(lambda: enqueue(run_bulk_deletion, deletion.pk))
    return deletion


def _open_deletion(actor: User, filter_query: str, max_contact_id: int) -> BulkDeletion | None:
    return BulkDeletion.objects.filter(
        requested_by=actor,
        filter_query=filter_query,
        max_contact_id=max_contact_id,
        status__in=OPEN_STATUSES,
    ).first()


def bulk_deletion_delete_batch(*, deletion: BulkDeletion, attempt: int, ids: list[int]) -> bool:
    """Delete one batch of the deletion's selection and count it, in one transaction.

    False when the job is no longer this attempt's (cancelled, stopped or taken over):
    then nothing of the batch is deleted.
    """
    with transaction.atomic():
        if not BulkDeletion.beat(deletion.pk, attempt):
            return False
        deleted = contacts_delete(
            actor=deletion.requested_by, contacts=Contact.objects.filter(pk__in=ids)
        )
        BulkDeletion.objects.filter(pk=deletion.pk).update(
            progress_done=F("progress_done") + deleted
        )
    return True


def bulk_deletions_stop_naming(*, texts: list[str]) -> int:
    """Stop the open deletions whose stored filter names an anonymized person.

    Runs inside the anonymization's transaction. The filter must go, and without it the
    rest of the selection cannot be found: the user selects it again. Returns the count.
    """
    open_deletions = BulkDeletion.objects.select_for_update().filter(status__in=OPEN_STATUSES)
    named = [d.pk for d in open_deletions if filter_names(d.filter_query, texts)]
    return BulkDeletion.objects.filter(pk__in=named).update(
        status=JobStatus.FAILED,
        error=STOPPED_NAMING,
        filter_query="",
        finished_at=timezone.now(),
    )


def bulk_deletion_dismiss(*, actor: User, deletion_id: int) -> bool:
    """Close the notice of the actor's ended deletion for good; False if there was none.

    A running deletion keeps its notice: its progress stays in view until it ends. The
    notice's display only, so nothing for the audit log.
    """
    with transaction.atomic():
        closed = (
            BulkDeletion.objects.filter(pk=deletion_id, requested_by=actor, dismissed_at=None)
            .exclude(status__in=OPEN_STATUSES)
            .update(dismissed_at=timezone.now())
        )
    return bool(closed)
