"""Celery tasks of core. Tasks take ids only and import services inside the function
(services import tasks at module level: that keeps the import graph free of cycles)."""

from celery import shared_task

from core.models import Notification


@shared_task(acks_late=True)
def send_notification(notification_id: int) -> str:
    from core.notifications import notification_send

    return notification_send(notification_id=notification_id)


@shared_task(acks_late=True)
def requeue_notifications() -> int:
    """Queue the mails that are due: retries, and those the broker lost or a worker dropped."""
    return Notification.requeue_due(send_notification)
