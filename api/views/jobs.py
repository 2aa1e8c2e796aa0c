"""exports/: the user's exports, one export's state, and its file."""

import logging
from collections.abc import Iterator
from typing import Any

from django.http import HttpResponseBase, StreamingHttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import renderers, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from api.base import IDEMPOTENCY_PARAMETER, WRITE_ERRORS, ApiView, problems
from api.problems import invalid, problem
from api.renderers import JSONRenderer
from contacts.selectors import InvalidSelection, contact_max_id, contacts_in_selection
from exports import selectors
from exports.crypto import TamperedFile, decrypt, export_key, verify
from exports.models import ExportJob, ExportStatus
from exports.services import export_fail_tampered, export_list_request
from exports.storage import export_storage
from exports.views import download_name

logger = logging.getLogger(__name__)
LIST_LIMIT = 100


class ExportSerializer(serializers.ModelSerializer[ExportJob]):
    id = serializers.CharField(source="token", help_text="The export's id (in its URLs).")
    url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "url",
            "kind",
            "contact_id",
            "status",
            "progress_done",
            "progress_total",
            "requested_at",
            "finished_at",
            "expires_at",
            "error",
            "download_url",
        ]
        read_only_fields = fields

    def get_url(self, job: ExportJob) -> str:
        return reverse("api:export", args=[job.token])

    def get_download_url(self, job: ExportJob) -> str | None:
        if job.status != ExportStatus.READY:
            return None
        return reverse("api:export_download", args=[job.token])


class ExportListSerializer(serializers.Serializer[Any]):
    results = ExportSerializer(many=True)


def export_created(job: ExportJob) -> Response:
    response = Response(ExportSerializer(job).data, status=202)
    response["Location"] = reverse("api:export", args=[job.token])
    return response


TOKEN = OpenApiParameter("export_id", str, OpenApiParameter.PATH, description="The export's id")


class ExportsAccess(ApiView):
    """Exports are for users who may export (or administer exports): exports.selectors."""

    required_permissions = {"GET": []}

    def job(self, export_id: str) -> ExportJob | None:
        if not selectors.may_open_exports(self.user):
            raise PermissionDenied("Your role does not allow exports.")
        return selectors.export_for_user(user=self.user, token=export_id)


def _missing() -> Response:
    return problem(404, "This export does not exist, or it is not yours.")


class ExportSelectionSerializer(serializers.Serializer[Any]):
    filter = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text=(
            "The All Contacts filter as a query string, with the filter parameters of GET "
            "contacts/ (q, name, email, group, identifier_type, ...), e.g. "
            "`name=anna&group=3`. "
            "Empty: every contact. The export holds the contacts that match when it is "
            "requested; contacts created later are not part of it."
        ),
    )


class ExportListView(ExportsAccess):
    required_permissions = {
        "GET": ["exports.view_exportjob"],
        "POST": ["contacts.export_contact"],
    }

    @extend_schema(
        operation_id="exports_list",
        summary=f"Your latest {LIST_LIMIT} exports",
        responses={200: ExportListSerializer, **problems()},
    )
    def get(self, request: Request) -> Response:
        jobs = selectors.exports_of(user=self.user)[:LIST_LIMIT]
        return Response({"results": ExportSerializer(jobs, many=True).data})

    @extend_schema(
        operation_id="exports_create",
        summary="Export the contacts that match an All Contacts filter (a background job)",
        request=ExportSelectionSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={202: ExportSerializer, **problems(*WRITE_ERRORS)},
        examples=[
            OpenApiExample(
                "Export the contacts named Anna who have an email address",
                request_only=True,
                value={"filter": "name=anna&identifier_type=email"},
            )
        ],
    )
    def post(self, request: Request) -> Response:
        body = ExportSelectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        query = body.validated_data.get("filter", "")
        if "\x00" in query:  # PostgreSQL text never holds one
            return invalid({"filter": ["Null characters are not allowed."]})
        max_contact_id = contact_max_id()
        try:
            contacts_in_selection(filter_query=query, max_contact_id=max_contact_id)
        except InvalidSelection:
            return invalid(
                {"filter": ["This is not a valid filter: use the filter parameters of contacts/."]}
            )
        job = export_list_request(
            actor=self.user, filter_query=query, max_contact_id=max_contact_id
        )
        return export_created(job)


class ExportView(ExportsAccess):
    @extend_schema(
        operation_id="exports_get",
        summary="An export: state, progress, download URL when ready",
        parameters=[TOKEN],
        responses={200: ExportSerializer, **problems(404)},
    )
    def get(self, request: Request, export_id: str) -> Response:
        job = self.job(export_id)
        return Response(ExportSerializer(job).data) if job is not None else _missing()


class ExportDownloadView(ExportsAccess):
    @extend_schema(
        operation_id="exports_download",
        summary="The CSV file of a ready export",
        parameters=[TOKEN],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="The CSV file."),
            **problems(404, 409),
        },
    )
    def get(self, request: Request, export_id: str) -> HttpResponseBase:
        job = self.job(export_id)
        if job is None:
            return _missing()
        if job.status != ExportStatus.READY or not job.file_name:
            return problem(409, f"This export is {job.get_status_display().lower()}, not ready.")
        key = export_key()
        try:
            with export_storage.open(job.file_name, "rb") as stored:
                verify(stored, key)
        except (TamperedFile, FileNotFoundError) as exc:
            logger.warning("Export %s refused: %s", job.pk, exc)
            export_fail_tampered(job_id=job.pk)
            return problem(409, "The file failed its integrity check and was removed.")
        response = StreamingHttpResponse(_plaintext(job.file_name, key), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{download_name(job)}"'
        response["Cache-Control"] = "no-store"
        return response


def _plaintext(name: str, key: bytes) -> Iterator[bytes]:
    with export_storage.open(name, "rb") as stored:
        yield from decrypt(stored, key)


class CsvRenderer(renderers.BaseRenderer):
    """Lets a client ask for the file with `Accept: text/csv`; errors stay problems."""

    media_type = "text/csv"
    format = "csv"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        return JSONRenderer().render(data) if data is not None else b""


ExportDownloadView.renderer_classes = [JSONRenderer, CsvRenderer]
