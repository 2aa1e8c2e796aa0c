"""The email that says an import has ended (a core.notifications mail kind)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from core.models import Notification
from imports.display import job_summary
from imports.models import ImportJob

FINISHED = "imports.finished"


def compose_finished_email(notification: Notification) -> EmailMessage | str:
    """The summary of the import for the user who started it (counts only, no values),
    in the words of its page (a validation: "Would be created")."""
    job = ImportJob.objects.filter(pk=notification.object_id).first()
    user = notification.recipient
    if job is None:
        return "The import no longer exists."
    if user is None or not user.email:
        return "The user has no email address."
    link = settings.SITE_URL + reverse("imports:detail", args=[job.pk])
    context = {"job": job, "user": user, "link": link, "summary": job_summary(job)}
    body = render_to_string("imports/finished_email.txt", context)
    what = "validation" if job.dry_run else "import"
    subject = f"Your {what} of {job.file_name} is {job.get_status_display().lower()}"
    return EmailMessage(subject=subject, body=body, to=[user.email])
