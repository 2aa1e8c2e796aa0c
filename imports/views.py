"""The import pages: upload a file, check its mapping, follow the job, get the rejected rows."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from contacts.selectors import group_get, groups_manageable_by
from core.ids import parse_id
from core.notifications import mail_promise
from core.views import AppRequest, page_size, paginate, require_safe_or_post
from imports import selectors
from imports.display import job_speed, job_summary
from imports.forms import ImportMappingForm, ImportUploadForm
from imports.mapping_page import mapping_page
from imports.models import ImportJob
from imports.services import (
    ImportAlreadyStarted,
    import_cancel,
    import_from_validation,
    import_start,
    import_upload,
)

PERMISSION = "contacts.import_contact"
DEFAULT_MAX_BYTES = 200 * 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


@require_safe
@permission_required(PERMISSION, raise_exception=True)
def import_list(request: AppRequest) -> HttpResponse:
    page = paginate(
        selectors.imports_for_user(request.user),
        per_page=page_size(request),
        number=request.GET.get("page"),
    )
    context = {"page": page, "active": any(job.is_active for job in page)}
    if request.htmx:
        return render(request, "imports/_import_rows.html", context)
    return render(request, "imports/import_list.html", context)


@require_safe_or_post
@permission_required(PERMISSION, raise_exception=True)
def import_new(request: AppRequest) -> HttpResponse:
    groups = groups_manageable_by(request.user)
    group_id = parse_id(request.GET.get("group", ""))
    group = group_get(group_id=group_id) if group_id else None
    posted = request.method == "POST"
    form = ImportUploadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial={"group": group},
        max_bytes=max_upload_bytes(),
        groups=groups,
    )
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_upload(
                user=request.user,
                file=upload,
                name=upload.name or "",
                group=form.cleaned_data["group"],
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("imports:detail", pk=job.pk)
    context = {"form": form, "group": group, "max_bytes": max_upload_bytes()}
    return render(request, "imports/import_new.html", context, status=400 if form.errors else 200)


@require_safe_or_post
@permission_required(PERMISSION, raise_exception=True)
def import_detail(request: AppRequest, pk: int) -> HttpResponse:
    job = selectors.import_for_user(request.user, pk)
    if not job.is_draft:
        if request.method == "POST":
            messages.warning(request, "This import has already been started.")
            return redirect("imports:detail", pk=job.pk)
        return _status_page(request, job)
    action = request.POST.get("action", "")
    start = request.method == "POST" and action in ("validate", "import")
    page = mapping_page(
        job=job,
        user=request.user,
        data=request.POST if request.method == "POST" else None,
        bound=start,
    )
    if start and page.form.is_valid():
        try:
            import_start(
                job=job,
                user=request.user,
                dry_run=action == "validate",
                **page.form.start_arguments(),
            )
        except ImportAlreadyStarted:  # a double click: the first one started it
            messages.warning(request, "This import has already been started.")
            return redirect("imports:detail", pk=job.pk)
        except ValidationError as exc:
            _add_errors(page.form, exc)
        else:
            started = "The validation" if action == "validate" else "The import"
            messages.success(
                request, f"{started} of {job.file_name} was started. {_follow(request)}"
            )
            return redirect("imports:detail", pk=job.pk)
    context = {"job": job, "page": page, "form": page.form, "reread": action == "preview"}
    return render(
        request, "imports/import_mapping.html", context, status=400 if page.form.errors else 200
    )


def _add_errors(form: ImportMappingForm, error: ValidationError) -> None:
    """The service's errors, under the field they are about (or above the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _status_page(request: AppRequest, job: ImportJob) -> HttpResponse:
    context = {"job": job, "speed": job_speed(job), "summary": job_summary(job)}
    if request.htmx:
        return render(request, "imports/_import_status.html", context)
    return render(request, "imports/import_detail.html", context)


@require_POST
@permission_required(PERMISSION, raise_exception=True)
def import_cancel_view(request: AppRequest, pk: int) -> HttpResponse:
    job = selectors.import_for_user(request.user, pk)
    if import_cancel(job=job, user=request.user):
        messages.success(
            request,
            "The import is stopping. Rows imported so far stay imported; "
            "the summary says how many.",
        )
    else:
        messages.warning(request, "This import has already ended; there was nothing to cancel.")
    return redirect("imports:detail", pk=job.pk)


@require_POST
@permission_required(PERMISSION, raise_exception=True)
def import_validated_file(request: AppRequest, pk: int) -> HttpResponse:
    validation = selectors.import_for_user(request.user, pk)
    try:
        job = import_from_validation(validation=validation, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("imports:detail", pk=validation.pk)
    messages.success(request, f"The import of {job.file_name} was started. {_follow(request)}")
    return redirect("imports:detail", pk=job.pk)


@require_safe
@permission_required(PERMISSION, raise_exception=True)
def import_rejected(request: AppRequest, pk: int) -> HttpResponseBase:
    job = selectors.import_for_user(request.user, pk)
    if not job.has_rejected_rows:
        messages.warning(request, "This import has no rejected rows to download.")
        return redirect("imports:detail", pk=job.pk)
    response = StreamingHttpResponse(selectors.import_rejected_rows(job), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{rejected_name(job)}"'
    response["Cache-Control"] = "no-store"
    return response


def rejected_name(job: ImportJob) -> str:
    return f"import-{job.pk}-rejected-rows.csv"


def _follow(request: AppRequest) -> str:
    promise = mail_promise(request.user, "You will also receive an email when it ends.")
    return f"This page shows its progress. {promise}"
