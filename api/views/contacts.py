"""contacts/: list and look up, create, get, PATCH with If-Match, DELETE, anonymize, export."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from anonymization.services import contact_anonymize
from api import selectors as api_selectors
from api.base import IDEMPOTENCY_PARAMETER, WRITE_ERRORS, ApiView, problems
from api.conditional import ANY, MalformedTags, entity_tags, strong_match, weak_match
from api.pagination import cursor_page, list_parameters, paginated
from api.problems import invalid, problem
from api.profile_form import ProfileChanges
from api.serializers import (
    ContactChangesSerializer,
    ContactCreateSerializer,
    ContactListItemSerializer,
    ContactSerializer,
)
from api.services import contact_create_with_values
from api.views.jobs import ExportSerializer, export_created
from contacts import selectors
from contacts.forms import ContactCreateForm
from contacts.models import Contact, IdentifierType
from contacts.services import (
    IDENTIFIER_FIELDS,
    ContactConflict,
    ContactGone,
    DuplicateIdentifier,
    contact_delete,
    contact_update,
    normalize_identifier,
)
from exports.services import export_request


def etag(contact: Contact) -> str:
    return f'"{contact.version}"'


def _malformed(exc: MalformedTags) -> Response:
    return problem(400, str(exc), errors={"__all__": [str(exc)]})


def profile_response(contact: Contact, *, status: int = 200) -> Response:
    context = {
        "custom_rows": selectors.contact_custom_attributes(contact=contact),
        "memberships": selectors.contact_memberships(contact_id=contact.pk),
    }
    response = Response(ContactSerializer(contact, context=context).data, status=status)
    response["ETag"] = etag(contact)
    return response


def gone(contact_id: int) -> Response:
    return problem(404, f"Contact ID {contact_id} does not exist. It may have been deleted.")


class ContactListView(ApiView):
    required_permissions = {"GET": ["contacts.view_contact"], "POST": ["contacts.add_contact"]}

    @extend_schema(
        operation_id="contacts_list",
        summary="List, search, filter and look up contacts",
        parameters=list_parameters(),
        responses={200: paginated(ContactListItemSerializer), **problems(422)},
    )
    def get(self, request: Request) -> Response:
        try:
            contacts = api_selectors.contacts_matching(request.query_params)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return cursor_page(request, contacts, ContactListItemSerializer)

    @extend_schema(
        operation_id="contacts_create",
        summary="Create a contact",
        request=ContactCreateSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: ContactSerializer, **problems(409, *WRITE_ERRORS)},
        examples=[
            OpenApiExample(
                "Create by email",
                request_only=True,
                value={
                    "identifier_type": "email",
                    "identifier": "anna.berg@example.com",
                    "attributes": {"first_name": "Anna", "last_name": "Berg", "country": "DE"},
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        body = ContactCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        form = ContactCreateForm(
            {
                "identifier_type": body.validated_data["identifier_type"],
                "identifier": body.validated_data["identifier"],
            }
        )
        if not form.is_valid():
            return invalid({k: [str(m) for m in v] for k, v in form.errors.items()})
        attributes = dict(body.initial_data.get("attributes") or {})
        kind = IdentifierType(form.cleaned_data["identifier_type"])
        conflicts = _identifier_conflicts(kind, form.cleaned_data["identifier"], attributes)
        if conflicts:
            return problem(400, next(iter(conflicts.values()))[0], errors=conflicts)
        draft = Contact(
            identifier_type=kind, **{IDENTIFIER_FIELDS[kind]: form.cleaned_data["identifier"]}
        )
        changes = ProfileChanges(
            contact=draft, rows=api_selectors.custom_attribute_rows(None), changes=attributes
        )
        if not changes.is_valid():
            return invalid({f"attributes.{k}": v for k, v in changes.errors.items()})
        try:
            contact = contact_create_with_values(
                actor=self.user,
                identifier_type=form.cleaned_data["identifier_type"],
                identifier=form.cleaned_data["identifier"],
                changes=changes.model_changes(),
                custom_values=changes.custom_changes(),
            )
        except DuplicateIdentifier as exc:
            return problem(409, str(exc), existing_id=exc.existing_id)
        except ValidationError as exc:
            raise serializers.ValidationError(_errors(exc)) from None
        created = selectors.contact_get(contact_id=contact.pk) or contact
        response = profile_response(created, status=201)
        response["Location"] = reverse("api:contact", args=[contact.pk])
        return response


def _identifier_conflicts(
    kind: IdentifierType, identifier: str, attributes: dict[str, Any]
) -> dict[str, list[str]]:
    """`attributes` naming another identifier type, or another value of the identifier's
    field, than the request's own: which one was meant cannot be told."""
    field = IDENTIFIER_FIELDS[kind]
    errors: dict[str, list[str]] = {}
    if "identifier_type" in attributes and attributes["identifier_type"] != kind.value:
        message = (
            "attributes.identifier_type differs from identifier_type: send the identifier "
            "type once, as identifier_type."
        )
        errors = {"identifier_type": [message], "attributes.identifier_type": [message]}
    if field in attributes:
        try:
            same = normalize_identifier(field=field, value=attributes[field]) == identifier
        except (ValidationError, TypeError, AttributeError):
            same = False
        if not same:
            message = (
                f"attributes.{field} differs from identifier: send the {kind.label.lower()} once, "
                "as identifier."
            )
            errors.update({"identifier": [message], f"attributes.{field}": [message]})
    return errors


def _errors(exc: ValidationError) -> dict[str, Any]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


ID_PARAMETER = OpenApiParameter("contact_id", int, OpenApiParameter.PATH, description="Contact ID")
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description=(
        'The ETag of the version you read, like "3" (or a list, "3", "4"): refused with 412 '
        "if none is current (weak tags, W/..., never match). * changes whatever version is "
        "current (no check that you saw it; the last writer wins)."
    ),
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    str,
    OpenApiParameter.HEADER,
    description='The ETag you hold, like "3": 304 Not Modified, with no body, if it is current.',
)


class ContactView(ApiView):
    required_permissions = {
        "GET": ["contacts.view_contact"],
        "PATCH": ["contacts.change_contact"],
        "DELETE": ["contacts.delete_contact"],
    }

    @extend_schema(
        operation_id="contacts_get",
        summary="A Contact Profile",
        parameters=[ID_PARAMETER, IF_NONE_MATCH],
        responses={200: ContactSerializer, 304: None, **problems(404)},
    )
    def get(self, request: Request, contact_id: int) -> Response:
        raw = request.headers.get("If-None-Match")
        try:
            tags = entity_tags("If-None-Match", raw) if raw is not None else None
        except MalformedTags as exc:
            return _malformed(exc)
        contact = selectors.contact_get(contact_id=contact_id)
        if contact is None:
            return gone(contact_id)
        if tags is not None and weak_match(tags, str(contact.version)):
            unchanged = Response(status=304)
            unchanged["ETag"] = etag(contact)
            return unchanged
        return profile_response(contact)

    @extend_schema(
        operation_id="contacts_update",
        summary="Change some fields of a contact",
        parameters=[ID_PARAMETER, IF_MATCH],
        request=ContactChangesSerializer,
        responses={200: ContactSerializer, **problems(404, 409, 412, 428, *WRITE_ERRORS)},
        examples=[
            OpenApiExample(
                "Change a name and a custom attribute",
                request_only=True,
                value={"first_name": "Anna-Lena", "custom_attributes": {}},
            )
        ],
    )
    def patch(self, request: Request, contact_id: int) -> Response:
        raw = request.headers.get("If-Match")
        if raw is None:
            return problem(428, 'Send If-Match with the ETag of the contact you read, like "3".')
        try:
            tags = entity_tags("If-Match", raw)
        except MalformedTags as exc:
            return _malformed(exc)
        body = ContactChangesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        contact = selectors.contact_get(contact_id=contact_id)
        if contact is None:
            return gone(contact_id)
        if not strong_match(tags, str(contact.version)):
            return _stale(contact)
        changes = ProfileChanges(
            contact=contact,
            rows=selectors.contact_custom_attributes(contact=contact),
            changes=body.initial_data,
        )
        if not changes.is_valid():
            return invalid(changes.errors)
        try:
            contact_update(
                actor=self.user,
                contact_id=contact.pk,
                # "*": whatever version is current when the row is locked (RFC 9110).
                expected_version=None if tags == ANY else contact.version,
                changes=changes.model_changes(),
                custom_values=changes.custom_changes(),
            )
        except ContactGone:
            return gone(contact_id)
        except ContactConflict:
            current = selectors.contact_get(contact_id=contact_id)
            return _stale(current) if current is not None else gone(contact_id)
        except DuplicateIdentifier as exc:
            return problem(409, str(exc), existing_id=exc.existing_id)
        except ValidationError as exc:
            raise serializers.ValidationError(_errors(exc)) from None
        updated = selectors.contact_get(contact_id=contact_id)
        return profile_response(updated) if updated is not None else gone(contact_id)

    @extend_schema(
        operation_id="contacts_delete",
        summary="Delete a contact",
        parameters=[ID_PARAMETER],
        responses={204: None, **problems(404)},
    )
    def delete(self, request: Request, contact_id: int) -> Response:
        try:
            contact_delete(actor=self.user, contact_id=contact_id)
        except ContactGone:
            return gone(contact_id)
        return Response(status=204)


def _stale(contact: Contact) -> Response:
    response = problem(
        412,
        f"Contact ID {contact.pk} was changed by someone else after you read it "
        f"(it is at version {contact.version}). Nothing was saved: read it again.",
    )
    response["ETag"] = etag(contact)
    return response


class AnonymizedSerializer(serializers.Serializer[Any]):
    contact_id = serializers.IntegerField()
    anonymized = serializers.BooleanField()
    detail = serializers.CharField()


class ContactAnonymizeView(ApiView):
    required_permissions = {"POST": ["contacts.anonymize_contact"]}

    @extend_schema(
        operation_id="contacts_anonymize",
        summary="Anonymize a contact (cannot be undone)",
        parameters=[ID_PARAMETER, IDEMPOTENCY_PARAMETER],
        request=None,
        responses={200: AnonymizedSerializer, **problems(404, 409, 422)},
    )
    def post(self, request: Request, contact_id: int) -> Response:
        try:
            contact_anonymize(actor=self.user, contact_id=contact_id)
        except ContactGone:
            return gone(contact_id)
        except DatabaseError:
            return problem(409, f"Contact ID {contact_id} could not be anonymized; try again.")
        return Response(
            {
                "contact_id": contact_id,
                "anonymized": True,
                "detail": "The contact was anonymized; a confirmation email goes to you.",
            }
        )


class ContactExportView(ApiView):
    required_permissions = {"POST": ["contacts.export_contact"]}

    @extend_schema(
        operation_id="contacts_export",
        summary="Export a contact (a background job)",
        parameters=[ID_PARAMETER, IDEMPOTENCY_PARAMETER],
        request=None,
        responses={202: ExportSerializer, **problems(404, 422)},
    )
    def post(self, request: Request, contact_id: int) -> Response:
        try:
            job = export_request(actor=self.user, contact_id=contact_id)
        except ContactGone:
            return gone(contact_id)
        return export_created(job)
