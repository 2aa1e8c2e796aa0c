import logging
from collections.abc import Iterator

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from contacts.filter_text import filter_text_of
from contacts.links import list_url
from contacts.selection_forms import ContactSelectionForm
from contacts.services import ContactGone
from core.notifications import mail_promise
from core.views import AppRequest, page_size, paginate, safe_next
from exports import selectors
from exports.crypto import TamperedFile, decrypt, export_key, verify
from exports.models import ExportJob, ExportKind, ExportStatus
from exports.services import export_fail_tampered, export_list_request, export_request
from exports.storage import export_storage

logger = logging.getLogger(__name__)

SCHEDULED_MESSAGE = "You will receive an email with a link when it is ready."
NO_MATCH = "No contacts match this filter, so there is nothing to export. No export was scheduled."
SELECTED_GONE = (
    "The selected contacts no longer exist, so there is nothing to export. No export was scheduled."
)
# Messages are plain text: base.html ends one so tagged with "You can follow it under
# Exports.", Exports a link to the list.
EXPORTS_LINK = "exports-link"


@require_POST
@permission_required("contacts.export_contact", raise_exception=True)
def request_contact_export(request: AppRequest, contact_id: int) -> HttpResponse:
    back = safe_next(request, list_url())
    try:
        export_request(actor=request.user, contact_id=contact_id)
    except ContactGone as exc:
        messages.error(request, str(exc))
    else:
        scheduled = f"The export of Contact ID {contact_id} has been scheduled."
        promise = mail_promise(request.user, SCHEDULED_MESSAGE)
        messages.success(request, f"{scheduled} {promise}", extra_tags=EXPORTS_LINK)
    return redirect(back)


@require_POST
@permission_required("contacts.export_contact", raise_exception=True)
def request_list_export(request: AppRequest) -> HttpResponse:
    """Export what the user selected on All Contacts, as Delete takes it: the ticked rows,
    or every match after "Select all"; with nothing ticked, every match (all pages)."""
    data = request.POST.copy()
    if not data.getlist("ids"):
        data["select_all"] = "1"
    form = ContactSelectionForm(data)
    back = safe_next(request, list_url(request.POST.get("filter_query", "")))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)
    if not form.selection().exists():
        # An empty file and a mail about it help nobody: said here, nothing scheduled.
        empty = NO_MATCH if form.cleaned_data.get("select_all") else SELECTED_GONE
        messages.error(request, empty)
        return redirect(back)
    selected = form.saved()
    job = export_list_request(
        actor=request.user,
        filter_query=selected.filter_query,
        max_contact_id=selected.max_contact_id,
        contact_ids=selected.contact_ids,
    )
    if job.selected_text:
        scheduled = f"The export of {job.selected_text} has been scheduled."
    else:
        described = filter_text_of(selected.filter_query)
        scheduled = (
            f"The export of All Contacts ({described}) has been scheduled: "
            "every contact that matches, on all pages."
        )
    promise = mail_promise(request.user, SCHEDULED_MESSAGE)
    messages.success(request, f"{scheduled} {promise}", extra_tags=EXPORTS_LINK)
    return redirect(back)


@require_safe
@permission_required("exports.view_exportjob", raise_exception=True)
def export_list(request: AppRequest) -> HttpResponse:
    page = paginate(
        selectors.exports_of(user=request.user),
        per_page=page_size(request),
        number=request.GET.get("page"),
    )
    selectors.with_filter_texts(page)
    context = {"page": page, "active": any(job.is_active for job in page)}
    if request.htmx:
        return render(request, "exports/_export_rows.html", context)
    context["retention_days"] = settings.EXPORT_RETENTION.days
    return render(request, "exports/export_list.html", context)


def _job_for(request: AppRequest, token: str) -> ExportJob:
    """403 for a user who may not export (any more), 404 for another user's export."""
    if not selectors.may_open_exports(request.user):
        raise PermissionDenied
    job = selectors.export_for_user(user=request.user, token=token)
    if job is None:
        raise Http404("This export does not exist, or it is not yours.")
    return job


@require_safe
def export_detail(request: AppRequest, token: str) -> HttpResponse:
    job = _job_for(request, token)
    selectors.with_filter_texts([job])
    context = {
        "job": job,
        "can_request_again": request.user.has_perm("contacts.export_contact")
        and selectors.may_request_again(job),
    }
    if request.htmx:
        return render(request, "exports/_export_status.html", context)
    return render(request, "exports/export_detail.html", context)


@require_safe
def export_download(request: AppRequest, token: str) -> HttpResponseBase:
    job = _job_for(request, token)
    if job.status != ExportStatus.READY or not job.file_name:
        messages.warning(request, "This export cannot be downloaded (any more).")
        return redirect("exports:detail", token=job.token)
    key = export_key()
    try:
        with export_storage.open(job.file_name, "rb") as stored:
            verify(stored, key)
    except (TamperedFile, FileNotFoundError) as exc:
        logger.warning("Export %s refused: %s", job.pk, exc)
        export_fail_tampered(job_id=job.pk)
        messages.error(
            request,
            "The export file failed its integrity check and was removed. "
            "Nothing was downloaded; please request a new export.",
        )
        return redirect("exports:detail", token=job.token)
    response = StreamingHttpResponse(_plaintext(job.file_name, key), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{download_name(job)}"'
    response["Cache-Control"] = "no-store"
    return response


def _plaintext(name: str, key: bytes) -> Iterator[bytes]:
    with export_storage.open(name, "rb") as stored:
        yield from decrypt(stored, key)


def download_name(job: ExportJob) -> str:
    day = (job.finished_at or job.requested_at).date().isoformat()
    if job.kind == ExportKind.CONTACT:
        return f"contact-{job.contact_id}-{day}.csv"
    return f"contacts-{day}.csv"
