from django.conf import settings
from django.db import models


class DeletionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class BulkDeletion(models.Model):
    """A deletion of more contacts than one request should hold, run by a Celery task.

    The selection is the All Contacts filter the user confirmed, limited to the contacts
    that existed then (`max_contact_id`); the row is the truth, the task carries its id.
    """

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bulk_deletions"
    )
    filter_query = models.TextField(blank=True, default="")
    max_contact_id = models.BigIntegerField()
    total = models.BigIntegerField("Contacts selected")
    deleted = models.BigIntegerField(default=0)
    status = models.CharField(
        max_length=16, choices=DeletionStatus.choices, default=DeletionStatus.SCHEDULED
    )
    attempts = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=255, blank=True, default="")
    requested_at = models.DateTimeField(auto_now_add=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["requested_by", "status"], name="deletion_user_status_idx")]
        constraints = [
            # The filter may name people; it is needed only while the deletion runs.
            models.CheckConstraint(
                condition=models.Q(status__in=[DeletionStatus.SCHEDULED, DeletionStatus.RUNNING])
                | models.Q(filter_query=""),
                name="deletion_filter_only_while_open",
            ),
        ]

    def __str__(self) -> str:
        return f"Deletion of {self.total} contacts ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in (DeletionStatus.SCHEDULED, DeletionStatus.RUNNING)

    @property
    def percent(self) -> int:
        return min(100, int(100 * self.deleted / self.total)) if self.total else 100
