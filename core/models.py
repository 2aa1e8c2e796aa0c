from datetime import timedelta

from django.conf import settings
from django.db import models

from core.jobs import Job, JobStatus


class AuditEntry(models.Model):
    """Who did what to which Contact ID, and when. Holds no personal data of the contact."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    action = models.CharField(max_length=40)
    contact_id = models.BigIntegerField("Contact ID", null=True, blank=True, db_index=True)
    # Field names, ids and counts only, never values.
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.action} Contact ID {self.contact_id}"


class NotificationStatus(models.TextChoices):
    """JobStatus in the words of a mail."""

    SCHEDULED = JobStatus.SCHEDULED, "Pending"
    RUNNING = JobStatus.RUNNING, "Sending"
    DONE = JobStatus.DONE, "Sent"
    CANCELLED = JobStatus.CANCELLED, "Given up"


class Notification(Job):
    """One system email to a user (an export is ready, an anonymization is done): a job.

    It names what it is about by kind and id only; the app that registered the kind
    (core.notifications.register) writes the message when it is sent, so nothing personal
    waits in this table or in the broker. A mail server that is down is retried with a
    back-off, for as long as it takes, until the mail is sent or an admin gives up.
    """

    status = models.CharField(
        max_length=16, choices=NotificationStatus, default=NotificationStatus.SCHEDULED
    )
    kind = models.CharField(max_length=64)
    object_id = models.BigIntegerField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )

    stale_after_setting = "NOTIFICATION_STALE_AFTER_SECONDS"
    queued_for = timedelta(minutes=5)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "object_id"], name="notification_subject_idx"),
            # The sweep reads only the open mails.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status__in=[JobStatus.SCHEDULED, JobStatus.RUNNING]),
                name="notification_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} mail {self.pk} ({self.state_label})"

    @property
    def state_label(self) -> str:
        if self.status == JobStatus.SCHEDULED and self.attempt:
            return "Failed, will retry"
        return self.get_status_display()
