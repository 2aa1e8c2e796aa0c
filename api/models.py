"""Personal access tokens of the REST API, and the answers kept for Idempotency-Key."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """A personal access token: it acts as its user, with the user's role and never more.

    Only a SHA-256 of the whole token is stored (the token is 256 random bits, so a slow
    hash adds nothing); the prefix, kept in clear, finds the row and tells tokens apart.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    read_only = models.BooleanField(
        "Read-only", default=True, help_text="A read-only token can read but never change data."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("Expires")
    last_used_at = models.DateTimeField("Last used", null=True, blank=True)
    revoked_at = models.DateTimeField("Revoked", null=True, blank=True)

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="api_token_user_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def last_day(self) -> date:
        """The last day the token works: the "Expires on" day it was given (it works to
        the end of that day, so expires_at is the start of the next)."""
        return timezone.localtime(self.expires_at - timedelta(microseconds=1)).date()

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "Revoked"
        return "Active" if self.expires_at > timezone.now() else "Expired"


class IdempotentRequest(models.Model):
    """The first answer to a POST with an Idempotency-Key, replayed for 24 hours.

    `status` is empty while the first request is still being handled.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    # JSON as text: a jsonb column refuses the \u0000 that an echoed input may hold.
    body = models.TextField(blank=True, default="")
    location = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_once")
        ]

    def __str__(self) -> str:
        return f"Idempotency-Key {self.key[:20]}"
