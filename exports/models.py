import secrets

from django.conf import settings
from django.db import models

from core.jobs import Job
from core.selection import SavedSelection, filter_only_while


def new_token() -> str:
    # 256 random bits: the id in the emailed link cannot be guessed.
    return secrets.token_urlsafe(32)


class ExportStatus(models.TextChoices):
    """core.jobs.JobStatus in an export's words: "ready" is done; a ready file expires."""

    SCHEDULED = "scheduled", "Scheduled"
    RUNNING = "running", "Running"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"
    CANCELLED = "cancelled", "Cancelled"


# Its file exists or may yet: deleting or anonymizing a contact looks at these.
OPEN_STATUSES = [ExportStatus.SCHEDULED, ExportStatus.RUNNING, ExportStatus.READY]


class ExportKind(models.TextChoices):
    CONTACT = "contact", "Contact"
    CONTACT_LIST = "contact_list", "All Contacts selection"


class ExportJob(Job, SavedSelection):
    """One requested export (a background job): one contact, or an All Contacts selection.

    Progress counts the rows written. When the file is ready, the requester gets a system
    mail (core.notifications, kind "exports.ready").
    """

    status = models.CharField(max_length=16, choices=ExportStatus, default=ExportStatus.SCHEDULED)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    kind = models.CharField(max_length=16, choices=ExportKind, default=ExportKind.CONTACT)
    # A plain id, not a foreign key: the job outlives a deleted or anonymized contact.
    contact_id = models.BigIntegerField("Contact ID", null=True, blank=True, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs"
    )
    file_name = models.CharField(max_length=255, blank=True, default="")
    file_size = models.BigIntegerField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    stale_after_setting = "EXPORT_STALE_AFTER_SECONDS"
    # A new attempt writes the file from its first row (a part file is never resumed).
    resumes_where_stopped = False

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["requested_by", "-requested_at"], name="export_user_time_idx"),
            models.Index(fields=["status", "expires_at"], name="export_status_expiry_idx"),
        ]
        constraints = [
            # A list export's filter is kept only while the job is built and while its file
            # exists (deleting or anonymizing a contact checks it); a job that ended has none.
            filter_only_while(OPEN_STATUSES, name="export_filter_only_while_open"),
            # A double click (or two tabs) queues one build and sends one mail.
            models.UniqueConstraint(
                fields=["requested_by", "contact_id"],
                condition=models.Q(
                    kind=ExportKind.CONTACT,
                    status__in=[ExportStatus.SCHEDULED, ExportStatus.RUNNING],
                ),
                name="export_one_pending_per_contact_and_user",
                violation_error_message="An export of this contact is being built already.",
            ),
        ]

    def __str__(self) -> str:
        return f"Export {self.pk} ({self.get_status_display()})"

    @property
    def selected_count(self) -> int | None:
        """How many rows the user ticked, for an export of ticked rows; else None."""
        return None if self.contact_ids is None else len(self.contact_ids)

    @property
    def selected_text(self) -> str:
        """ "2 selected contacts": the name of an export of ticked rows ("" for others)."""
        count = self.selected_count
        if count is None:
            return ""
        return f"{count:,} selected contact{'' if count == 1 else 's'}"
