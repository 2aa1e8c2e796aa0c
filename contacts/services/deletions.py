from django.db import transaction

from config.celery import enqueue
from contacts.models import BulkDeletion
from contacts.services.audit import Actor


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
