from django.conf import settings
from django.db import models
from django.db.models.functions import MD5

from core.jobs import OPEN_STATUSES, Job
from core.selection import SavedSelection, filter_only_while


class BulkDeletion(Job, SavedSelection):
    """A deletion of more contacts than one request should hold, run by a Celery task.

    The selection is the All Contacts filter the user confirmed (core.selection);
    progress counts the contacts deleted out of those selected.
    """

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bulk_deletions"
    )
    # When the requester closed the notice of the ended deletion: All Contacts shows it no more.
    dismissed_at = models.DateTimeField(null=True, blank=True)

    stale_after_setting = "CONTACTS_DELETION_STALE_AFTER_SECONDS"

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["requested_by", "status"], name="deletion_user_status_idx")]
        constraints = [
            filter_only_while(OPEN_STATUSES, name="deletion_filter_only_while_open"),
            # A double submit (or two tabs) of one confirmed selection runs one deletion.
            # The filter by its hash: a long one would not fit a btree index entry.
            models.UniqueConstraint(
                "requested_by",
                MD5("filter_query"),
                "max_contact_id",
                condition=models.Q(status__in=list(OPEN_STATUSES)),
                name="deletion_one_open_per_selection_and_user",
                violation_error_message="This deletion has been started already.",
            ),
        ]

    def __str__(self) -> str:
        return f"Deletion of {self.progress_total} contacts ({self.get_status_display()})"
