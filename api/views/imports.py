"""imports/ (a file with its mapping options, as a background job) and contacts/bulk/ (up to
1,000 contacts at once), both with the import's rules (imports.services)."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBase, StreamingHttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import parsers, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from api.base import IDEMPOTENCY_PARAMETER, WRITE_ERRORS, ApiView, problems
from api.problems import django_errors, invalid, problem
from api.renderers import JSONRenderer
from api.views.jobs import CsvRenderer
from contacts import selectors as contact_selectors
from imports import selectors
from imports.models import EmptyCells, ImportJob, ImportMode, MatchOn
from imports.services import API_MAX_ROWS, import_cancel, import_rows, import_start, import_upload

LIST_LIMIT = 100


class ImportSerializer(serializers.ModelSerializer[ImportJob]):
    url = serializers.SerializerMethodField()
    rejected_url = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "url",
            "status",
            "file_name",
            "file_size",
            "group",
            "encoding",
            "delimiter",
            "quotechar",
            "header",
            "mapping",
            "match_on",
            "mode",
            "empty_cells",
            "skip_existing_members",
            "skip_inactive_members",
            "dry_run",
            "progress_done",
            "progress_total",
            "created",
            "updated",
            "unchanged",
            "skipped",
            "rejected",
            "requested_at",
            "finished_at",
            "error",
            "rejected_url",
        ]
        read_only_fields = fields

    def get_url(self, job: ImportJob) -> str:
        return reverse("api:import", args=[job.pk])

    def get_rejected_url(self, job: ImportJob) -> str | None:
        return reverse("api:import_rejected", args=[job.pk]) if job.has_rejected_rows else None


class ImportListSerializer(serializers.Serializer[Any]):
    results = ImportSerializer(many=True)


class ImportRequestSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="The CSV file (docs/import-format.md).")
    group = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    mapping = serializers.ListField(
        child=serializers.CharField(allow_blank=True, max_length=300),
        required=False,
        help_text="One target per column; left out: the suggested mapping.",
    )
    match_on = serializers.ChoiceField(choices=MatchOn.choices, required=False)
    mode = serializers.ChoiceField(choices=ImportMode.choices, default=ImportMode.CREATE_UPDATE)
    empty_cells = serializers.ChoiceField(choices=EmptyCells.choices, default=EmptyCells.KEEP)
    skip_existing_members = serializers.BooleanField(default=False)
    skip_inactive_members = serializers.BooleanField(default=False)
    dry_run = serializers.BooleanField(default=False, help_text="Validate only.")


class ImportsAccess(ApiView):
    required_permissions = {"*": ["contacts.import_contact"]}

    def job(self, import_id: int) -> ImportJob | None:
        try:
            return selectors.import_for_user(self.user, import_id)
        except Http404:
            return None


def _missing(import_id: int) -> Response:
    return problem(404, f"Import {import_id} does not exist, or it is not yours.")


IMPORT = OpenApiParameter("import_id", int, OpenApiParameter.PATH)


class ImportListView(ImportsAccess):
    parser_classes = [parsers.MultiPartParser]

    @extend_schema(
        operation_id="imports_list",
        summary=f"Your latest {LIST_LIMIT} imports (an Admin: everyone's)",
        responses={200: ImportListSerializer, **problems()},
    )
    def get(self, request: Request) -> Response:
        jobs = selectors.imports_for_user(self.user)[:LIST_LIMIT]
        return Response({"results": ImportSerializer(jobs, many=True).data})

    @extend_schema(
        operation_id="imports_create",
        summary="Import a CSV file (a background job)",
        request={"multipart/form-data": ImportRequestSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={202: ImportSerializer, **problems(*WRITE_ERRORS)},
    )
    def post(self, request: Request) -> Response:
        upload = request.FILES.get("file")
        if upload is not None and upload.size and upload.size > settings.IMPORT_MAX_BYTES:
            limit = settings.IMPORT_MAX_BYTES // (1024 * 1024)
            return problem(413, f"The file is larger than {limit} MB, the most an upload may be.")
        body = ImportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        group = None
        if "group" in data:
            group = contact_selectors.group_get(group_id=data["group"])
            if group is None:
                return invalid({"group": ["There is no such group."]})
        try:
            job = import_upload(
                user=self.user, file=data["file"], name=data["file"].name or "", group=group
            )
        except ValidationError as exc:
            return invalid({"file": [str(m) for m in exc.messages]})
        try:
            job = import_start(
                job=job,
                user=self.user,
                encoding=job.encoding,
                delimiter=job.delimiter,
                quotechar=job.quotechar,
                mapping=data.get("mapping", job.mapping),
                match_on=data.get("match_on", job.match_on),
                mode=data["mode"],
                empty_cells=data["empty_cells"],
                group=group,
                skip_existing_members=data["skip_existing_members"],
                skip_inactive_members=data["skip_inactive_members"],
                dry_run=data["dry_run"],
            )
        except (ValidationError, PermissionDenied) as exc:
            # The draft is of no use to an API client: nothing of it stays active.
            import_cancel(job=job, user=self.user)
            if isinstance(exc, PermissionDenied):
                raise
            return invalid(django_errors(exc))
        response = Response(ImportSerializer(job).data, status=202)
        response["Location"] = reverse("api:import", args=[job.pk])
        return response


class ImportView(ImportsAccess):
    @extend_schema(
        operation_id="imports_get",
        summary="An import: state, progress and counts",
        parameters=[IMPORT],
        responses={200: ImportSerializer, **problems(404)},
    )
    def get(self, request: Request, import_id: int) -> Response:
        job = self.job(import_id)
        return Response(ImportSerializer(job).data) if job is not None else _missing(import_id)


class ImportRejectedView(ImportsAccess):
    renderer_classes = [JSONRenderer, CsvRenderer]

    @extend_schema(
        operation_id="imports_rejected",
        summary="The rejected rows as CSV (the file's header plus Line and Error)",
        parameters=[IMPORT],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="CSV"),
            **problems(404),
        },
    )
    def get(self, request: Request, import_id: int) -> HttpResponseBase:
        job = self.job(import_id)
        if job is None:
            return _missing(import_id)
        if not job.has_rejected_rows:
            return problem(404, f"Import {import_id} has no rejected rows (any more).")
        response = StreamingHttpResponse(
            selectors.import_rejected_rows(job), content_type="text/csv"
        )
        response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-rejected.csv"'
        response["Cache-Control"] = "no-store"
        return response


class BulkRequestSerializer(serializers.Serializer[Any]):
    match_on = serializers.ChoiceField(choices=MatchOn.choices)
    mode = serializers.ChoiceField(choices=ImportMode.choices, default=ImportMode.CREATE_UPDATE)
    empty_cells = serializers.ChoiceField(choices=EmptyCells.choices, default=EmptyCells.KEEP)
    group = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    rows = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=2000)),
        min_length=1,
        max_length=API_MAX_ROWS,
        help_text="Contacts as {column: value}, the columns named as in an import file.",
    )


class RowResultSerializer(serializers.Serializer[Any]):
    index = serializers.IntegerField()
    outcome = serializers.ChoiceField(
        choices=["created", "updated", "unchanged", "skipped", "rejected"]
    )
    contact_id = serializers.IntegerField(allow_null=True)
    # The metaclass takes declared fields out of the class: Serializer.errors stays.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField())
    )


class BulkResultSerializer(serializers.Serializer[Any]):
    results = RowResultSerializer(many=True)


class ContactBulkView(ApiView):
    required_permissions = {"POST": ["contacts.import_contact"]}

    @extend_schema(
        operation_id="contacts_bulk",
        summary=f"Create or update up to {API_MAX_ROWS:,} contacts (the import's rules)",
        request=BulkRequestSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: BulkResultSerializer, **problems(*WRITE_ERRORS)},
        examples=[
            OpenApiExample(
                "Two contacts by email",
                request_only=True,
                value={
                    "match_on": "email",
                    "mode": "create_update",
                    "rows": [
                        {"Email": "lena.meyer@example.com", "First name": "Lena"},
                        {"Email": "tom.schulz@example.com", "user.LastName": "Schulz"},
                    ],
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        body = BulkRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        group = None
        if "group" in data:
            group = contact_selectors.group_get(group_id=data["group"])
            if group is None:
                return invalid({"group": ["There is no such group."]})
        try:
            results = import_rows(
                user=self.user,
                rows=data["rows"],
                match_on=data["match_on"],
                mode=data["mode"],
                empty_cells=data["empty_cells"],
                group=group,
            )
        except ValidationError as exc:
            return invalid(django_errors(exc))
        return Response({"results": RowResultSerializer(results, many=True).data})
