"""The confirmation email of an anonymization (a core.notifications mail kind)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from anonymization.models import Anonymization
from core.models import Notification

CONFIRMATION = "anonymization.confirmation"

IDENTIFIER_WORDS = {
    "email": "its email address",
    "mobile": "its mobile number",
    "app_alias": "its mobile app alias",
}


def compose_confirmation(notification: Notification) -> EmailMessage | str:
    """Tell the user who anonymized a contact that it is done, without any of its values."""
    record = Anonymization.objects.filter(pk=notification.object_id).first()
    user = notification.recipient
    if record is None:
        return "The anonymization record no longer exists."
    if user is None or not user.email:
        return "The user has no email address."
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
