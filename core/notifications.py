"""System email (an export is ready, an anonymization is done) as background jobs.

An app registers, for each kind of mail it sends, a function that writes the message from
the Notification row (`register`, in its AppConfig.ready()); its services queue a mail with
`notification_queue` inside their own transaction. The mail is written only when it is
sent, from ids, so nothing personal waits in the broker. A mail server outage is retried:
30 s after the first failure, doubling up to an hour, then hourly until the mail is sent
or an admin gives up on it.
"""

import logging
import smtplib
from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from core.audit import Actor, audit_record
from core.jobs import OPEN_STATUSES, JobStatus
from core.models import Notification
from core.queue import enqueue
from core.tasks import send_notification

logger = logging.getLogger(__name__)

FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
GIVEN_UP = "An administrator gave up sending this email."

# What a composer returns: the message, or why there is nothing to send any more.
Composed = EmailMessage | str
Composer = Callable[[Notification], Composed]
_composers: dict[str, Composer] = {}


NO_ADDRESS = "Your account has no email address, so no email is sent; an admin can add one."


def mail_promise(user: object, promise: str) -> str:
    """`promise` (that an email will follow) for a user with an email address; for one
    without, the truth: the mail would be given up unsent."""
    return promise if getattr(user, "email", "") else NO_ADDRESS


def register(kind: str, compose: Composer) -> None:
    """Say how mails of `kind` are written (once per kind, from an AppConfig.ready())."""
    if _composers.get(kind, compose) is not compose:
        raise ValueError(f"Two composers registered for the mail kind {kind!r}.")
    _composers[kind] = compose


def retry_delay(attempt: int) -> timedelta:
    """Wait after the attempt-th failed attempt: 30 s, 1 min, 2 min, ... then every hour."""
    exponent = min(max(attempt, 1) - 1, 16)
    factor: int = 2**exponent
    return min(FIRST_RETRY * factor, LONGEST_RETRY)


def notification_queue(*, kind: str, object_id: int, recipient: User | None) -> Notification:
    """Record a mail to send once the caller's transaction commits, and queue it then."""
    if kind not in _composers:
        raise ValueError(f"No composer is registered for the mail kind {kind!r}.")
    notification = Notification.objects.create(kind=kind, object_id=object_id, recipient=recipient)
    transaction.on_commit(lambda: enqueue(send_notification, notification.pk))
    return notification


def notification_send(*, notification_id: int) -> str:
    """Claim the mail, write it and send it; record what happened. Safe to run twice."""
    attempt = Notification.claim(notification_id, started_at=timezone.now())
    if attempt is None:
        return "skipped"
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    composed = _composers[notification.kind](notification)
    if isinstance(composed, str):
        Notification.finish(notification_id, attempt, JobStatus.CANCELLED, error=composed)
        return "cancelled"
    try:
        composed.send()
    except (smtplib.SMTPException, OSError) as exc:
        delay = retry_delay(attempt)
        error = f"{type(exc).__name__}: {exc}"
        Notification.retry_later(notification_id, attempt, delay=delay, error=error)
        logger.warning(
            "Mail %s (%s) not sent: %s; next try in %s",
            notification_id,
            notification.kind,
            error,
            delay,
        )
        return "retry"
    # Recorded whatever happened to the claim meanwhile: the mail did go out.
    Notification.objects.filter(pk=notification_id).update(
        status=JobStatus.DONE, error="", finished_at=timezone.now(), next_attempt_at=None
    )
    return "sent"


def notifications_give_up(*, actor: Actor, ids: list[int]) -> int:
    """Stop trying to send these mails (an admin's call); how many were still open."""
    with transaction.atomic():
        open_ids = list(
            Notification.objects.filter(pk__in=ids, status__in=OPEN_STATUSES)
            .select_for_update()
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=open_ids).update(
            status=JobStatus.CANCELLED,
            error=GIVEN_UP,
            finished_at=timezone.now(),
            next_attempt_at=None,
        )
        if open_ids:
            audit_record(
                actor=actor,
                action="notification.given_up",
                contact_id=None,
                details={"notification_ids": open_ids},
            )
    return len(open_ids)
