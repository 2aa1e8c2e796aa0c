"""groups/ and their members, attributes/ (custom attribute definitions)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from api import selectors as api_selectors
from api.base import IDEMPOTENCY_PARAMETER, WRITE_ERRORS, ApiView, problems
from api.problems import invalid, problem
from api.serializers import (
    GroupSerializer,
    MemberChangesSerializer,
    MemberCreateSerializer,
    MemberSerializer,
)
from api.services import attribute_define
from contacts import selectors
from contacts.forms import MembershipForm
from contacts.models import AttributeDefinition, Group, Membership
from contacts.roles import can_manage_memberships
from contacts.services import (
    ContactError,
    ContactGone,
    membership_create,
    membership_delete,
    membership_update,
)

MEMBER_PAGE = 100


class GroupListSerializer(serializers.Serializer[Any]):
    results = GroupSerializer(many=True)


class MemberPageSerializer(serializers.Serializer[Any]):
    next = serializers.CharField(allow_null=True)
    results = MemberSerializer(many=True)


GROUP = OpenApiParameter("group_id", int, OpenApiParameter.PATH)
CONTACT = OpenApiParameter("contact_id", int, OpenApiParameter.PATH, description="Contact ID")


class GroupListView(ApiView):
    required_permissions = {"GET": ["contacts.view_group"]}

    @extend_schema(
        operation_id="groups_list",
        summary="The groups",
        responses={200: GroupListSerializer, **problems()},
    )
    def get(self, request: Request) -> Response:
        return Response({"results": GroupSerializer(selectors.group_list(), many=True).data})


def _group(group_id: int) -> Group | None:
    return selectors.group_get(group_id=group_id)


def _no_group(group_id: int) -> Response:
    return problem(404, f"Group {group_id} does not exist.")


def _members(group: Group, after: int | None) -> QuerySet[Membership]:
    members = selectors.group_members(group=group).prefetch_related("attribute_values__definition")
    return members.filter(contact_id__lt=after) if after else members


class MemberListView(ApiView):
    required_permissions = {
        "GET": ["contacts.view_membership"],
        "POST": ["contacts.view_membership"],
    }

    @extend_schema(
        operation_id="groups_members_list",
        summary="The members of a group, newest contact first",
        parameters=[
            GROUP,
            OpenApiParameter("after", int, description="The Contact ID of `next`."),
        ],
        responses={200: MemberPageSerializer, **problems(404, 422)},
    )
    def get(self, request: Request, group_id: int) -> Response:
        group = _group(group_id)
        if group is None:
            return _no_group(group_id)
        after = request.query_params.get("after", "")
        if after and not (after.isdigit() and 0 < int(after) < 2**63):
            raise serializers.ValidationError({"after": ["A Contact ID."]})
        rows = list(_members(group, int(after) if after else None)[: MEMBER_PAGE + 1])
        more = len(rows) > MEMBER_PAGE
        rows = rows[:MEMBER_PAGE]
        next_url = None
        if more:
            path = reverse("api:group_members", args=[group_id])
            next_url = request.build_absolute_uri(f"{path}?after={rows[-1].contact_id}")
        return Response({"next": next_url, "results": MemberSerializer(rows, many=True).data})

    @extend_schema(
        operation_id="groups_members_add",
        summary="Add a contact to a group",
        parameters=[GROUP, IDEMPOTENCY_PARAMETER],
        request=MemberCreateSerializer,
        responses={201: MemberSerializer, **problems(404, 409, *WRITE_ERRORS)},
    )
    def post(self, request: Request, group_id: int) -> Response:
        group = _group(group_id)
        if group is None:
            return _no_group(group_id)
        if not can_manage_memberships(self.user, group):
            raise PermissionDenied("Your role does not allow managing the members of this group.")
        body = MemberCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            membership = membership_create(
                actor=self.user,
                contact_id=data["contact_id"],
                group=group,
                status=data["status"],
                is_test_recipient=data["is_test_recipient"],
            )
        except ContactGone as exc:
            return invalid({"contact_id": [str(exc)]})
        except ContactError as exc:
            return problem(409, str(exc))
        member = selectors.membership_get(group_id=group_id, membership_id=membership.pk)
        response = Response(MemberSerializer(member).data, status=201)
        response["Location"] = reverse("api:group_member", args=[group_id, membership.contact_id])
        return response


class MemberView(ApiView):
    required_permissions = {"*": ["contacts.view_membership"]}

    def membership(self, group_id: int, contact_id: int) -> Membership | None:
        return (
            _members(Group(pk=group_id), None)
            .select_related("group")
            .filter(contact_id=contact_id)
            .first()
        )

    def _missing(self, group_id: int, contact_id: int) -> Response:
        return problem(404, f"Contact ID {contact_id} is not a member of group {group_id}.")

    def _check_manage(self, membership: Membership) -> None:
        if not can_manage_memberships(self.user, membership.group):
            raise PermissionDenied("Your role does not allow managing the members of this group.")

    @extend_schema(
        operation_id="groups_members_get",
        summary="One membership",
        parameters=[GROUP, CONTACT],
        responses={200: MemberSerializer, **problems(404)},
    )
    def get(self, request: Request, group_id: int, contact_id: int) -> Response:
        membership = self.membership(group_id, contact_id)
        if membership is None:
            return self._missing(group_id, contact_id)
        return Response(MemberSerializer(membership).data)

    @extend_schema(
        operation_id="groups_members_update",
        summary="Change status, test recipient flag or member attributes",
        parameters=[GROUP, CONTACT],
        request=MemberChangesSerializer,
        responses={200: MemberSerializer, **problems(404, 409, *WRITE_ERRORS)},
    )
    def patch(self, request: Request, group_id: int, contact_id: int) -> Response:
        membership = self.membership(group_id, contact_id)
        if membership is None:
            return self._missing(group_id, contact_id)
        self._check_manage(membership)
        body = MemberChangesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        form, errors = _membership_form(membership, body.validated_data)
        if errors:
            return invalid(errors)
        try:
            membership_update(
                actor=self.user,
                membership_id=membership.pk,
                status=form.status_change(),
                is_test_recipient=form.test_recipient_change(),
                member_values=form.member_changes(),
            )
        except ContactError as exc:
            return problem(409, str(exc))
        except ValidationError as exc:
            return invalid({"__all__": exc.messages})
        updated = self.membership(group_id, contact_id)
        if updated is None:
            return self._missing(group_id, contact_id)
        return Response(MemberSerializer(updated).data)

    @extend_schema(
        operation_id="groups_members_remove",
        summary="Remove a contact from a group",
        parameters=[GROUP, CONTACT],
        responses={204: None, **problems(404, 409)},
    )
    def delete(self, request: Request, group_id: int, contact_id: int) -> Response:
        membership = self.membership(group_id, contact_id)
        if membership is None:
            return self._missing(group_id, contact_id)
        self._check_manage(membership)
        try:
            membership_delete(actor=self.user, membership_id=membership.pk)
        except ContactError:
            return self._missing(group_id, contact_id)
        return Response(status=204)


def _membership_form(
    membership: Membership, changes: dict[str, Any]
) -> tuple[MembershipForm, dict[str, list[str]]]:
    """The membership page's form with the stored values and `changes` on top."""
    definitions, values = selectors.membership_attributes(membership=membership)
    data: dict[str, Any] = {"status": membership.status}
    if membership.is_test_recipient:
        data["is_test_recipient"] = "on"
    for definition in definitions:
        data[f"member_{definition.pk}"] = values.get(definition.pk, "")
    if "status" in changes:
        data["status"] = changes["status"]
    if "is_test_recipient" in changes:
        data["is_test_recipient"] = "on" if changes["is_test_recipient"] else ""
    by_name = {d.name.lower(): d for d in definitions}
    errors: dict[str, list[str]] = {}
    for name, value in (changes.get("member_attributes") or {}).items():
        named = by_name.get(name.lower())
        if named is None:
            errors[f"member_attributes.{name}"] = [
                "This group has no member attribute of this name."
            ]
        else:
            data[f"member_{named.pk}"] = "" if value is None else value
    form = MembershipForm(data, instance=membership, definitions=definitions, values=values)
    if not errors and not form.is_valid():
        names = {f"member_{d.pk}": f"member_attributes.{d.name}" for d in definitions}
        errors = {names.get(k, k): [str(m) for m in v] for k, v in form.errors.items()}
    return form, errors


class AttributeSerializer(serializers.ModelSerializer[AttributeDefinition]):
    class Meta:
        model = AttributeDefinition
        fields = ["id", "name", "data_type", "allowed_values", "description", "channel"]
        read_only_fields = ["id"]


class AttributeListSerializer(serializers.Serializer[Any]):
    results = AttributeSerializer(many=True)


class AttributeListView(ApiView):
    required_permissions = {
        "GET": ["contacts.view_attributedefinition"],
        "POST": ["contacts.add_attributedefinition"],
    }

    @extend_schema(
        operation_id="attributes_list",
        summary="The custom attributes",
        responses={200: AttributeListSerializer, **problems()},
    )
    def get(self, request: Request) -> Response:
        definitions = api_selectors.attribute_definitions()
        return Response({"results": AttributeSerializer(definitions, many=True).data})

    @extend_schema(
        operation_id="attributes_create",
        summary="Define a custom attribute (Admin)",
        request=AttributeSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: AttributeSerializer, **problems(*WRITE_ERRORS)},
    )
    def post(self, request: Request) -> Response:
        body = AttributeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        definition = attribute_define(actor=self.user, **body.validated_data)
        return Response(AttributeSerializer(definition).data, status=201)
