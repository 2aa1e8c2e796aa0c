import logging
import smtplib
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from anonymization.models import Anonymization, EmailStatus
from config.celery import MAIL_TASK_OPTIONS, enqueue

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died: the mail may be sent again.
CLAIM_TIMEOUT = timedelta(minutes=10)

IDENTIFIER_WORDS = {
    "email": "its email address",
    "mobile": "its mobile number",
    "app_alias": "its mobile app alias",
}


@shared_task(**MAIL_TASK_OPTIONS)
def send_anonymization_confirmation(anonymization_id: int) -> str:
    """Tell the user who anonymized a contact that it is done. Safe to run twice."""
    now = timezone.now()
    claimed = (
        Anonymization.objects.filter(pk=anonymization_id)
        .filter(
            Q(email_status__in=[EmailStatus.PENDING, EmailStatus.FAILED])
            | Q(email_status=EmailStatus.SENDING, email_claimed_at__lt=now - CLAIM_TIMEOUT)
        )
        .update(
            email_status=EmailStatus.SENDING,
            email_claimed_at=now,
            email_attempts=F("email_attempts") + 1,
        )
    )
    if not claimed:
        return "skipped"
    record = Anonymization.objects.select_related("requested_by").get(pk=anonymization_id)
    user = record.requested_by
    if user is None or not user.email:
        _finish(record, EmailStatus.FAILED, "The user has no email address.")
        return "no-recipient"
    try:
        send_mail(
            subject=f"Contact ID {record.contact_id} was anonymized",
            message=render_to_string(
                "anonymization/confirmation_email.txt",
                {
                    "record": record,
                    "user": user,
                    "identifier_words": IDENTIFIER_WORDS.get(record.identifier_type, "its data"),
                    "site_url": settings.SITE_URL,
                },
            ),
            from_email=None,
            recipient_list=[user.email],
        )
    except (smtplib.SMTPException, OSError) as exc:
        _finish(record, EmailStatus.FAILED, f"{type(exc).__name__}: {exc}"[:255])
        logger.warning("Anonymization %s: confirmation email failed, will retry", record.pk)
        raise
    _finish(record, EmailStatus.SENT, "")
    return "sent"


def _finish(record: Anonymization, status: str, error: str) -> None:
    Anonymization.objects.filter(pk=record.pk).update(
        email_status=status,
        email_error=error,
        email_sent_at=timezone.now() if status == EmailStatus.SENT else None,
    )


@shared_task(acks_late=True)
def requeue_unsent_confirmations() -> int:
    """Queue again confirmations the broker lost or whose worker died."""
    now = timezone.now()
    unsent = Anonymization.objects.filter(
        Q(email_status=EmailStatus.PENDING, anonymized_at__lt=now - timedelta(minutes=5))
        | Q(email_status=EmailStatus.SENDING, email_claimed_at__lt=now - CLAIM_TIMEOUT)
    ).values_list("pk", flat=True)
    for record_id in unsent:
        enqueue(send_anonymization_confirmation, record_id)
    return len(unsent)
