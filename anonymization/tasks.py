from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from anonymization.models import Anonymization
from contacts.system_mail import queue_due_mail, send_system_mail

IDENTIFIER_WORDS = {
    "email": "its email address",
    "mobile": "its mobile number",
    "app_alias": "its mobile app alias",
}


@shared_task(acks_late=True)
def send_anonymization_confirmation(anonymization_id: int) -> str:
    """Tell the user who anonymized a contact that it is done (system_mail retries it)."""
    return send_system_mail(Anonymization, anonymization_id, _confirmation)


def _confirmation(record: Anonymization) -> EmailMessage | None:
    user = record.requested_by
    if user is None or not user.email:
        return None
    body = render_to_string(
        "anonymization/confirmation_email.txt",
        {
            "record": record,
            "user": user,
            "identifier_words": IDENTIFIER_WORDS.get(record.identifier_type, "its data"),
            "site_url": settings.SITE_URL,
        },
    )
    return EmailMessage(
        subject=f"Contact ID {record.contact_id} was anonymized", body=body, to=[user.email]
    )


@shared_task(acks_late=True)
def requeue_unsent_confirmations() -> int:
    """Queue the confirmations whose next attempt is due (lost by the broker, or retries)."""
    return queue_due_mail(Anonymization.objects.all(), send_anonymization_confirmation)
