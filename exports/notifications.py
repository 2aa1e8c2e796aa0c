"""The email that says an export is ready (a core.notifications mail kind)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from contacts.filter_text import filter_text_of
from core.models import Notification
from exports.models import ExportJob, ExportKind, ExportStatus

READY = "exports.ready"


def compose_ready_email(notification: Notification) -> EmailMessage | str:
    """A link to the export page for the requester; nothing once the file is gone."""
    job = ExportJob.objects.filter(pk=notification.object_id).first()
    user = notification.recipient
    if job is None or job.status != ExportStatus.READY:
        return "The export is no longer ready (expired, cancelled or removed)."
    if user is None or not user.email:
        return "The user has no email address."
    link = settings.SITE_URL + reverse("exports:detail", args=[job.token])
    described = filter_text_of(job.filter_query) if job.filter_query else ""
    context = {"job": job, "user": user, "link": link, "filter_text": described}
    body = render_to_string("exports/ready_email.txt", context)
    return EmailMessage(subject=_subject(job), body=body, to=[user.email])


def _subject(job: ExportJob) -> str:
    if job.kind == ExportKind.CONTACT:
        return f"Your export of Contact ID {job.contact_id} is ready"
    if job.selected_text:
        return f"Your export of {job.selected_text} is ready"
    return "Your export of All Contacts is ready"
