from django.contrib.auth.models import User
from django.db.models import QuerySet

from exports.models import ExportJob


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
