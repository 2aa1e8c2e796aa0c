"""The REST API under /api/v1/, its schema and documentation pages."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path, register_converter
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.permissions import AllowAny

from api.problems import not_found
from api.views import contacts, groups, imports, jobs
from exports.urls import TokenConverter

# The schema and its pages document the API; they show no data, so anyone may read them.
_public = {"permission_classes": [AllowAny], "throttle_classes": []}


register_converter(TokenConverter, "export_token")  # as the Exports pages take it

app_name = "api"
urlpatterns = [
    path("v1/contacts/", contacts.ContactListView.as_view(), name="contacts"),
    path("v1/contacts/<id:contact_id>/", contacts.ContactView.as_view(), name="contact"),
    path(
        "v1/contacts/<id:contact_id>/anonymize/",
        contacts.ContactAnonymizeView.as_view(),
        name="contact_anonymize",
    ),
    path(
        "v1/contacts/<id:contact_id>/export/",
        contacts.ContactExportView.as_view(),
        name="contact_export",
    ),
    path("v1/contacts/bulk/", imports.ContactBulkView.as_view(), name="contacts_bulk"),
    path("v1/imports/", imports.ImportListView.as_view(), name="imports"),
    path("v1/imports/<id:import_id>/", imports.ImportView.as_view(), name="import"),
    path(
        "v1/imports/<id:import_id>/rejected/",
        imports.ImportRejectedView.as_view(),
        name="import_rejected",
    ),
    path("v1/exports/", jobs.ExportListView.as_view(), name="exports"),
    path("v1/exports/<export_token:export_id>/", jobs.ExportView.as_view(), name="export"),
    path(
        "v1/exports/<export_token:export_id>/download/",
        jobs.ExportDownloadView.as_view(),
        name="export_download",
    ),
    path("v1/groups/", groups.GroupListView.as_view(), name="groups"),
    path("v1/groups/<id:group_id>/members/", groups.MemberListView.as_view(), name="group_members"),
    path(
        "v1/groups/<id:group_id>/members/<id:contact_id>/",
        groups.MemberView.as_view(),
        name="group_member",
    ),
    path("v1/attributes/", groups.AttributeListView.as_view(), name="attributes"),
    path("v1/schema/", login_not_required(SpectacularAPIView.as_view(**_public)), name="schema"),
    path(
        "v1/schema/swagger-ui/",
        login_not_required(
            SpectacularSwaggerSplitView.as_view(
                url_name="api:schema", template_name="api/swagger_ui.html", **_public
            )
        ),
        name="swagger",
    ),
    path(
        "v1/schema/redoc/",
        # ReDoc writes its styles at run time and renders in a worker.
        csp_update({"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})(
            login_not_required(
                SpectacularRedocView.as_view(
                    url_name="api:schema", template_name="api/redoc.html", **_public
                )
            )
        ),
        name="redoc",
    ),
    re_path(r"^(?P<path>.*)$", not_found),
]
