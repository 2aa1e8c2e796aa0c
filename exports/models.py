import secrets

from django.conf import settings
from django.db import models

from contacts.system_mail import SystemMail, due_mail_index


def new_token() -> str:
    # 256 random bits: the id in the emailed link cannot be guessed.
    return secrets.token_urlsafe(32)


class ExportStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    RUNNING = "running", "Running"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"
    CANCELLED = "cancelled", "Cancelled"


class ExportKind(models.TextChoices):
    CONTACT = "contact", "Contact"
    CONTACT_LIST = "contact_list", "All Contacts selection"


class ExportJob(SystemMail):
    """One requested export. The row is the truth; the Celery task only carries its id.

    Its system mail tells the requester that the file is ready.
    """

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    kind = models.CharField(max_length=16, choices=ExportKind.choices, default=ExportKind.CONTACT)
    # A plain id, not a foreign key: the job outlives a deleted or anonymized contact.
    contact_id = models.BigIntegerField("Contact ID", null=True, blank=True, db_index=True)
    filter_query = models.TextField(blank=True, default="")
    max_contact_id = models.BigIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs"
    )
    status = models.CharField(
        max_length=16, choices=ExportStatus.choices, default=ExportStatus.SCHEDULED
    )
    rows_done = models.BigIntegerField(default=0)
    rows_total = models.BigIntegerField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True, default="")
    file_name = models.CharField(max_length=255, blank=True, default="")
    file_size = models.BigIntegerField(null=True, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["requested_by", "-requested_at"], name="export_user_time_idx"),
            models.Index(fields=["status", "expires_at"], name="export_status_expiry_idx"),
            due_mail_index("export_mail_due_idx"),
        ]
        constraints = [
            # A list export's filter may name people (a search term, an address): it is
            # kept only while the job is built and while its file exists (deleting or
            # anonymizing a contact checks it); a job that ended has none.
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[ExportStatus.SCHEDULED, ExportStatus.RUNNING, ExportStatus.READY]
                )
                | models.Q(filter_query=""),
                name="export_filter_only_while_open",
            ),
        ]

    def __str__(self) -> str:
        return f"Export {self.pk} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in (ExportStatus.SCHEDULED, ExportStatus.RUNNING)
