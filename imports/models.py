"""An import of contacts from a CSV file: a background job (core.jobs) and its rejected rows."""

import secrets

from django.conf import settings
from django.db import models

from contacts.models import Group
from core.jobs import Job


def new_token() -> str:
    # Names the stored file: not guessable, not the user's file name.
    return secrets.token_urlsafe(32)


class ImportStatus(models.TextChoices):
    """core.jobs.JobStatus plus "draft": uploaded, its mapping not yet confirmed."""

    DRAFT = "draft", "Waiting for mapping"
    SCHEDULED = "scheduled", "Scheduled"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class ImportMode(models.TextChoices):
    CREATE_UPDATE = "create_update", "Create and update"
    CREATE_ONLY = "create_only", "Only create new contacts"
    UPDATE_ONLY = "update_only", "Only update existing contacts"


class EmptyCells(models.TextChoices):
    KEEP = "keep", "Keep the stored value"
    CLEAR = "clear", "Clear the stored value"


class MatchOn(models.TextChoices):
    EMAIL = "email", "Email"
    MOBILE_NUMBER = "mobile_number", "Mobile Number"
    APP_ALIAS = "app_alias", "Mobile App Alias"
    EXTERNAL_ID = "external_id", "External identifier"


class ImportJob(Job):
    """One uploaded file and what to do with it.

    progress_done counts the data rows of the file whose chunk has committed: a worker that
    takes the job over skips that many rows, so no row is applied twice. The counts below
    are written in the same transaction as the rows they count.
    """

    status = models.CharField(max_length=16, choices=ImportStatus, default=ImportStatus.DRAFT)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    group = models.ForeignKey(
        Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="import_jobs"
    )
    # The validation whose file this import reads ("Import this file" on its page).
    validation = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    file_name = models.CharField("File", max_length=255)
    file_size = models.BigIntegerField(default=0)
    # The encrypted copy in the private import storage; "" once it is deleted.
    stored_file = models.CharField(max_length=255, blank=True, default="")
    encoding = models.CharField(max_length=32, default="utf-8")
    delimiter = models.CharField(max_length=1, default=",")
    quotechar = models.CharField(max_length=1, default='"')
    header = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=list, blank=True)
    match_on = models.CharField("Match on", max_length=16, choices=MatchOn, default=MatchOn.EMAIL)
    mode = models.CharField(max_length=16, choices=ImportMode, default=ImportMode.CREATE_UPDATE)
    empty_cells = models.CharField(
        "Empty cells", max_length=8, choices=EmptyCells, default=EmptyCells.KEEP
    )
    skip_existing_members = models.BooleanField(
        "Skip contacts that are already members", default=False
    )
    skip_inactive_members = models.BooleanField(
        "Skip contacts whose membership is Deactivated or unsubscribed", default=False
    )
    dry_run = models.BooleanField("Validate only", default=False)
    created = models.BigIntegerField(default=0)
    updated = models.BigIntegerField(default=0)
    unchanged = models.BigIntegerField(default=0)
    skipped = models.BigIntegerField(default=0)
    rejected = models.BigIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True)

    stale_after_setting = "IMPORT_STALE_AFTER_SECONDS"

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["requested_by", "-requested_at"], name="import_user_time_idx"),
            models.Index(fields=["status", "expires_at"], name="import_status_expiry_idx"),
        ]
        constraints = [
            # A double click on "Import this file" starts one import of it.
            models.UniqueConstraint(
                fields=["validation"],
                condition=models.Q(status__in=[ImportStatus.SCHEDULED, ImportStatus.RUNNING]),
                name="import_one_running_per_validation",
                violation_error_message="This import has already been started.",
            ),
        ]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == ImportStatus.DRAFT

    @property
    def total_is_estimate(self) -> bool:
        """The rows to read were counted as the file's lines (a quoted value may hold a
        line break, and empty lines are skipped): exact once a run of the file ended, and
        for an import of a validated file."""
        return self.validation_id is None and self.finished_at is None

    @property
    def has_rejected_rows(self) -> bool:
        return self.rejected > 0 and bool(self.stored_file)

    @property
    def applied(self) -> int:
        """Rows that changed the database (or would have, for a validation)."""
        return self.created + self.updated


class ImportRejection(models.Model):
    """Why one line of an import's file was rejected (the line itself stays in the file)."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rejections")
    line = models.PositiveIntegerField()
    column = models.CharField(max_length=255, blank=True, default="")
    message = models.TextField()

    class Meta:
        ordering = ["job", "line"]
        constraints = [
            models.UniqueConstraint(fields=["job", "line"], name="import_rejection_once_per_line")
        ]

    def __str__(self) -> str:
        return f"Line {self.line} of import {self.job_id}"
