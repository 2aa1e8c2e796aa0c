"""Test helpers for background jobs and the system mail they send (core.jobs, core.models)."""

from core.models import Notification
from core.tasks import send_notification


def mail_of(kind: str, object_id: int) -> Notification:
    """The (latest) system mail of this kind about this object."""
    return Notification.objects.filter(kind=kind, object_id=object_id).latest("id")


def send_mail_of(kind: str, object_id: int) -> str:
    """Run the send task of that mail, as a worker does; what it reports."""
    return send_notification(mail_of(kind, object_id).pk)
