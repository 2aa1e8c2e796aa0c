"""The JSON shapes of the API: output from models, input checked here for its types and
then by the screens' forms and the services for its rules (no second copy of a rule)."""

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contacts.models import (
    CHANNEL_ADDRESSES,
    PROFILE_FIELD_NAMES,
    AppData,
    Contact,
    Gender,
    Group,
    IdentifierType,
    Membership,
    MembershipStatus,
    Title,
)
from contacts.selectors import CustomAttributeRow

# What the API edits of a contact: the standard fields of the Contact Profile.
EDITABLE_FIELDS = list(PROFILE_FIELD_NAMES)


class TextField(serializers.CharField):
    """Text as a JSON string (or null): a number is refused, not stored as "inf" or "1.0"."""

    default_error_messages = {"invalid": "Send text (a JSON string, in quotes) or null."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class NoUnknownFields(serializers.Serializer[Any]):
    """Refuses a key it has no field for: a misspelt or read-only name (`version`) was
    dropped without a word."""

    def to_internal_value(self, data: Any) -> Any:
        unknown = {}
        if isinstance(data, Mapping):
            unknown = {str(k): ["There is no such field."] for k in data if k not in self.fields}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            detail = (
                exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
            )
            raise serializers.ValidationError({**unknown, **detail}) from None
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


def attribute_values_field(help_text: str) -> serializers.DictField:
    return serializers.DictField(
        child=TextField(allow_null=True, allow_blank=True, max_length=2000),
        required=False,
        help_text=help_text,
    )


class ContactListItemSerializer(serializers.ModelSerializer[Contact]):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = [
            "id",
            "url",
            "identifier_type",
            "email",
            "mobile_number",
            "app_alias",
            "external_id",
            "first_name",
            "last_name",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    def get_url(self, contact: Contact) -> str:
        return reverse("api:contact", args=[contact.pk])


class IdentifierSerializer(serializers.Serializer[Any]):
    type = serializers.ChoiceField(choices=IdentifierType.choices)
    value = serializers.CharField()
    status = serializers.CharField()
    is_identifier_type = serializers.BooleanField()


class MembershipSerializer(serializers.Serializer[Any]):
    group_id = serializers.IntegerField()
    group = serializers.CharField()
    status = serializers.ChoiceField(choices=MembershipStatus.choices)
    is_test_recipient = serializers.BooleanField()
    subscribed_at = serializers.DateTimeField()
    member_attributes = serializers.DictField(child=serializers.CharField())

    def to_representation(self, membership: Membership) -> dict[str, Any]:
        return {
            "group_id": membership.group_id,
            "group": membership.group.name,
            "status": membership.status,
            "is_test_recipient": membership.is_test_recipient,
            "subscribed_at": serializers.DateTimeField().to_representation(
                membership.subscribed_at
            ),
            "member_attributes": {
                value.definition.name: value.value for value in membership.attribute_values.all()
            },
        }


class AppDataSerializer(serializers.ModelSerializer[AppData]):
    class Meta:
        model = AppData
        fields = ["push_opt_in_at", "push_opt_out_at", "last_app_open_at"]


class ContactSerializer(serializers.ModelSerializer[Contact]):
    """A Contact Profile: `context` holds `custom_rows` and `memberships`."""

    # Blank is a stored value of these two (not set): say so in the schema.
    title = serializers.ChoiceField(choices=Title.choices, allow_blank=True, read_only=True)
    gender = serializers.ChoiceField(choices=Gender.choices, allow_blank=True, read_only=True)
    identifiers = serializers.SerializerMethodField()
    custom_attributes = serializers.SerializerMethodField()
    memberships = serializers.SerializerMethodField()
    app_data = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = [
            "id",
            *PROFILE_FIELD_NAMES,
            "created_at",
            "updated_at",
            "version",
            "identifiers",
            "custom_attributes",
            "memberships",
            "app_data",
        ]
        read_only_fields = fields

    @extend_schema_field(IdentifierSerializer(many=True))
    def get_identifiers(self, contact: Contact) -> Any:
        by_field = {"email": "email", "mobile_number": "mobile", "app_alias": "app_alias"}
        return IdentifierSerializer(
            [
                {
                    "type": by_field[field.name],
                    "value": getattr(contact, field.name),
                    "status": getattr(contact, field.status_field),
                    "is_identifier_type": contact.identifier_type == by_field[field.name],
                }
                for field in CHANNEL_ADDRESSES
                if getattr(contact, field.name)
            ],
            many=True,
        ).data

    @extend_schema_field(
        serializers.DictField(child=serializers.CharField(allow_null=True), help_text="By name.")
    )
    def get_custom_attributes(self, contact: Contact) -> dict[str, str | None]:
        rows: list[CustomAttributeRow] = self.context["custom_rows"]
        return {row.definition.name: row.value for row in rows}

    @extend_schema_field(MembershipSerializer(many=True))
    def get_memberships(self, contact: Contact) -> Any:
        return MembershipSerializer(self.context["memberships"], many=True).data

    @extend_schema_field(AppDataSerializer(allow_null=True))
    def get_app_data(self, contact: Contact) -> dict[str, Any] | None:
        app = getattr(contact, "app_data", None)
        return AppDataSerializer(app).data if app is not None else None


class ContactChangesSerializer(NoUnknownFields):
    """PATCH: only the fields sent change; null or "" clears a value."""

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {
            name: TextField(required=False, allow_null=True, allow_blank=True)
            for name in EDITABLE_FIELDS
        }
        fields["source_id"] = serializers.IntegerField(required=False, allow_null=True)
        fields["date_of_birth"] = serializers.DateField(required=False, allow_null=True)
        fields["custom_attributes"] = attribute_values_field(
            'Custom attributes by name: the value as text; null or "" removes it.'
        )
        return fields


class ContactCreateSerializer(NoUnknownFields):
    identifier_type = serializers.ChoiceField(choices=IdentifierType.choices)
    identifier = TextField(max_length=2000)
    attributes = ContactChangesSerializer(
        required=False, help_text="Standard fields to set (as in PATCH)."
    )


class ExistingContactSerializer(serializers.Serializer[Any]):
    existing_id = serializers.IntegerField()


class GroupSerializer(serializers.ModelSerializer[Group]):
    class Meta:
        model = Group
        fields = ["id", "name", "sender_email", "is_test_group", "created_at"]


class MemberSerializer(MembershipSerializer):
    contact_id = serializers.IntegerField()

    def to_representation(self, membership: Membership) -> dict[str, Any]:
        return {"contact_id": membership.contact_id, **super().to_representation(membership)}


class MemberCreateSerializer(serializers.Serializer[Any]):
    contact_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    status = serializers.ChoiceField(choices=MembershipStatus.choices, default="active")
    is_test_recipient = serializers.BooleanField(default=False)


class MemberChangesSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=MembershipStatus.choices, required=False)
    is_test_recipient = serializers.BooleanField(required=False)
    member_attributes = attribute_values_field(
        'Member attributes of the group by name; null or "" removes a value.'
    )
