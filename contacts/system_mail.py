"""The delivery of a system message (export ready, anonymization confirmation) kept on its job row.

One small state machine, shared by every such mail:

    pending --task claims--> sending --accepted--> sent
                                |
                                +--mail server error, or the worker died--> retry
    retry --due: the sweep queues it, the task claims--> sending ...

    an admin may give up on any mail not sent yet: given_up is never sent.

The task claims the mail with one conditional UPDATE, so a message delivered twice sends it
once. Nothing waits in the broker for a retry: the periodic sweep queues a mail only when
its next attempt is due and moves that time on by the time the message may take, so each
mail has at most one message on its way. The back-off is 30 s after the first failure,
doubling up to an hour, then hourly until the mail is sent or an admin gives up.
"""

import logging
import smtplib
from collections.abc import Callable
from datetime import datetime, timedelta

from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils import timezone

from config.celery import enqueue

logger = logging.getLogger(__name__)

FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
# A queued message not picked up by then was lost by the broker: the sweep queues it again.
QUEUED_FOR = timedelta(minutes=5)
# A claim older than this belongs to a worker that died: the sweep queues the mail again.
SENDING_FOR = timedelta(minutes=10)
SWEEP_BATCH = 1000


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    RETRY = "retry", "Failed, will retry"
    SENT = "sent", "Sent"
    GIVEN_UP = "given_up", "Given up"


OPEN = [EmailStatus.PENDING, EmailStatus.SENDING, EmailStatus.RETRY]


class SystemMail(models.Model):
    """Fields of a job row that sends one system message to the user who asked for the job."""

    email_status = models.CharField(
        max_length=16, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveIntegerField(default=0)
    # When the sweep may queue the mail (again); empty means now.
    email_next_attempt_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        abstract = True


def due_mail_index(name: str) -> models.Index:
    """The index the sweep reads: only open mails, by their next attempt."""
    return models.Index(
        fields=["email_next_attempt_at"], condition=Q(email_status__in=OPEN), name=name
    )


def retry_delay(attempts: int) -> timedelta:
    """Wait after the attempts-th failed attempt: 30 s, 1 min, 2 min, ... then every hour."""
    return min(FIRST_RETRY * 2 ** min(max(attempts, 1) - 1, 16), LONGEST_RETRY)


def queued_until() -> datetime:
    """The next attempt time of a mail whose message was just queued (see QUEUED_FOR)."""
    return timezone.now() + QUEUED_FOR


def _due(now: datetime) -> Q:
    return Q(email_next_attempt_at__isnull=True) | Q(email_next_attempt_at__lte=now)


def queue_due_mail(rows: QuerySet, task) -> int:
    """The sweep: queue the task for each of these rows whose mail is due, once."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            rows.filter(email_status__in=OPEN)
            .filter(_due(now))
            .select_for_update(skip_locked=True)
            .order_by("email_next_attempt_at")
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        rows.model.objects.filter(pk__in=ids).update(
            # A mail still "sending" when due again lost its worker: that attempt failed.
            email_status=Case(
                When(email_status=EmailStatus.SENDING, then=Value(EmailStatus.RETRY)),
                default=F("email_status"),
            ),
            email_next_attempt_at=now + QUEUED_FOR,
        )
        transaction.on_commit(lambda: [enqueue(task, pk) for pk in ids])
    return len(ids)


def send_system_mail(model: type[SystemMail], pk: int, compose: Callable) -> str:
    """Claim the row's mail, build it with compose(row) and send it; record what happened.

    compose returns the EmailMessage, or None when there is nobody to send it to.
    """
    attempt = _claim(model, pk)
    if attempt is None:
        return "skipped"
    message: EmailMessage | None = compose(model.objects.get(pk=pk))
    if message is None:
        _record(model, pk, attempt, EmailStatus.GIVEN_UP, error="The user has no email address.")
        return "no-recipient"
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        delay = retry_delay(attempt)
        error = f"{type(exc).__name__}: {exc}"[:255]
        _record(model, pk, attempt, EmailStatus.RETRY, error=error, retry_in=delay)
        logger.warning(
            "%s %s: mail not sent (%s), next try in %s", model.__name__, pk, error, delay
        )
        return "retry"
    _record(model, pk, attempt, EmailStatus.SENT)
    return "sent"


def _claim(model: type[SystemMail], pk: int) -> int | None:
    claimed = model.objects.filter(
        pk=pk, email_status__in=[EmailStatus.PENDING, EmailStatus.RETRY]
    ).update(
        email_status=EmailStatus.SENDING,
        email_attempts=F("email_attempts") + 1,
        email_next_attempt_at=timezone.now() + SENDING_FOR,
    )
    if not claimed:
        return None
    return model.objects.values_list("email_attempts", flat=True).get(pk=pk)


def _record(
    model: type[SystemMail],
    pk: int,
    attempt: int,
    status: str,
    *,
    error: str = "",
    retry_in: timedelta | None = None,
) -> None:
    now = timezone.now()
    rows = model.objects.filter(pk=pk)
    if status != EmailStatus.SENT:
        # Only the current claim decides what comes next: not a worker that was taken
        # over, nor one whose mail an admin gave up meanwhile. A sent mail is always told.
        rows = rows.filter(email_status=EmailStatus.SENDING, email_attempts=attempt)
    rows.update(
        email_status=status,
        email_error=error,
        email_sent_at=now if status == EmailStatus.SENT else None,
        email_next_attempt_at=now + retry_in if retry_in else None,
    )


def give_up_mail(rows: QuerySet) -> list[int]:
    """Stop trying to send the open mails of these rows; the ids of those given up.

    Runs inside the caller's transaction.
    """
    ids = list(rows.filter(email_status__in=OPEN).select_for_update().values_list("pk", flat=True))
    rows.model.objects.filter(pk__in=ids).update(
        email_status=EmailStatus.GIVEN_UP, email_next_attempt_at=None
    )
    return ids
