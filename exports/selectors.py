from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db.models import QuerySet

from contacts.filter_text import filter_texts
from contacts.models import Contact
from exports.models import ExportJob, ExportKind, ExportStatus


def is_export_admin(user: User) -> bool:
    return user.has_perm("exports.change_exportjob")


def may_open_exports(user: User) -> bool:
    """Export pages and files are for users who may still export (or who administer exports).

    Owning an export is not enough: a user whose role no longer allows exporting loses it.
    """
    return user.has_perm("contacts.export_contact") or is_export_admin(user)


def export_for_user(*, user: User, token: str) -> ExportJob | None:
    """The export behind a link, if this user may see it (its requester or an admin)."""
    job = ExportJob.objects.select_related("requested_by").filter(token=token).first()
    if job is None or (job.requested_by_id != user.pk and not is_export_admin(user)):
        return None
    return job


def exports_of(*, user: User) -> QuerySet[ExportJob]:
    return ExportJob.objects.filter(requested_by=user).order_by("-requested_at", "-id")


def with_filter_texts(jobs: Iterable[ExportJob]) -> None:
    """Set `filter_text` on each list export whose filter is still kept (while it is built
    and its file exists): the filter in words, so that the user tells the exports apart."""
    listed = [job for job in jobs if job.kind == ExportKind.CONTACT_LIST and job.filter_query]
    texts = filter_texts(job.filter_query for job in listed)
    for job in listed:
        job.filter_text = texts[job.filter_query]  # type: ignore[attr-defined]  # for the page


def may_request_again(job: ExportJob) -> bool:
    """Whether the page offers a new export of the job's contact: only of a contact export
    that ended without a file, and only while that contact exists (deleted or anonymized,
    a new request could only fail)."""
    if job.kind != ExportKind.CONTACT or job.is_active or job.status == ExportStatus.READY:
        return False
    return job.contact_id is not None and Contact.objects.filter(pk=job.contact_id).exists()
