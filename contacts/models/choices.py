"""The product's words: the choices of the contact data, and the standard fields of a
Contact Profile with their names on screen and in import/export files (product notes)."""

from dataclasses import dataclass

from django.db import models


class IdentifierType(models.TextChoices):
    EMAIL = "email", "Email"
    MOBILE = "mobile", "Mobile Number"
    APP_ALIAS = "app_alias", "Mobile App Alias"


class Title(models.TextChoices):
    MR = "mr", "Mr."
    MS = "ms", "Ms."
    UNKNOWN = "unknown", "Unknown"


class Gender(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    UNDISCLOSED = "undisclosed", "Undisclosed"


class AddressStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    BOUNCED = "bounced", "Bounced"
    OPTED_OUT = "opted_out", "Opted out"


class Channel(models.TextChoices):
    ALL = "all", "All channels"
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"
    PUSH = "push", "Push"


class AttributeType(models.TextChoices):
    STRING = "string", "String"
    NUMBER = "number", "Number"
    DATE = "date", "Date"
    BOOLEAN = "boolean", "Boolean"


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PENDING = "pending", "Pending"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting Approval"
    DEACTIVATED = "deactivated", "Deactivated"


class EventType(models.TextChoices):
    SENT = "sent", "Message sent"
    SKIPPED = "skipped", "Message skipped"
    BOUNCED = "bounced", "Bounced"
    OPENED = "opened", "Opened"
    CLICKED = "clicked", "Clicked"
    FORWARDED = "forwarded", "Forwarded"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
    SPAM_COMPLAINT = "spam_complaint", "Spam complaint"
    SUBSCRIBED = "subscribed", "Subscribed"
    PROFILE_UPDATED = "profile_updated", "Profile updated"
    PUSH_SENT = "push_sent", "Push sent"
    PUSH_OPENED = "push_opened", "Push opened"
    APP_OPENED = "app_opened", "App opened"


class EventChannel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"
    PUSH = "push", "Push"
    APP = "app", "App"
    SYSTEM = "system", "System"


# The profile tabs that show the standard fields (contacts.views.profile.PROFILE_TABS).
ADDRESSES_TAB = "addresses"
ATTRIBUTES_TAB = "attributes"


@dataclass(frozen=True)
class ProfileField:
    """A standard field of a contact, as the Contact Profile edits it."""

    name: str  # the Contact model field
    label: str  # the name on screen
    tab: str  # ADDRESSES_TAB or ATTRIBUTES_TAB
    export_name: str = ""  # the import/export name; "" when not exported on its own
    status_field: str = ""  # a channel address: the field of its status
    channel: Channel = Channel.ALL  # the channels the value applies to


def _address(
    name: str, status: str, label: str, export_name: str, channel: Channel
) -> list[ProfileField]:
    """A channel address and its status, side by side on the Channel Addresses tab."""
    return [
        ProfileField(name, label, ADDRESSES_TAB, export_name, status, channel),
        ProfileField(status, f"{label} status", ADDRESSES_TAB),
    ]


def _attribute(name: str, label: str, export_name: str) -> ProfileField:
    return ProfileField(name, label, ATTRIBUTES_TAB, export_name)


# The one list of the standard fields, in the order of the profile form, the export files
# and the demo data.
PROFILE_FIELDS: tuple[ProfileField, ...] = (
    ProfileField("identifier_type", "Identifier type", ADDRESSES_TAB),
    *_address("email", "email_status", "Email", "user.Email", Channel.EMAIL),
    *_address("mobile_number", "mobile_status", "Mobile Number", "user.MobileNumber", Channel.SMS),
    # user.FaxNumber: the product's legacy export name of the Mobile App Alias.
    *_address("app_alias", "app_alias_status", "Mobile App Alias", "user.FaxNumber", Channel.PUSH),
    ProfileField("external_id", "External Identifier", ADDRESSES_TAB, "user.Identifier"),
    _attribute("first_name", "First Name", "user.FirstName"),
    _attribute("last_name", "Last Name", "user.LastName"),
    _attribute("nickname", "Nickname", "user.Nickname"),
    _attribute("title", "Title", "user.Title"),
    _attribute("gender", "Gender", "user.Gender"),
    _attribute("date_of_birth", "Date of Birth", "user.DateOfBirth"),
    _attribute("country", "Country", "user.ISOCountryCode"),
    _attribute("language", "Language", "user.ISOLanguageCode"),
    _attribute("zip_code", "ZIP Code", "user.ZipCode"),
    _attribute("time_zone", "Time Zone", "user.TimeZone"),
    _attribute("source_id", "Source ID", "user.PartnerId"),
)
PROFILE_FIELD_NAMES: list[str] = [field.name for field in PROFILE_FIELDS]
PROFILE_LABELS: dict[str, str] = {field.name: field.label for field in PROFILE_FIELDS}
CHANNEL_ADDRESSES: list[ProfileField] = [field for field in PROFILE_FIELDS if field.status_field]

# (export name, model field) of the standard attributes, as the export files list them.
IDENTIFIER_ATTRIBUTES: list[tuple[str, str]] = [
    (field.export_name, field.name)
    for field in PROFILE_FIELDS
    if field.export_name and field.tab == ADDRESSES_TAB
]
PROFILE_ATTRIBUTES: list[tuple[str, str]] = [
    (field.export_name, field.name)
    for field in PROFILE_FIELDS
    if field.export_name and field.tab == ATTRIBUTES_TAB
]
STANDARD_ATTRIBUTES = IDENTIFIER_ATTRIBUTES + PROFILE_ATTRIBUTES


def custom_attribute_name(name: str) -> str:
    return f"user.CustomAttribute.{name}"


def member_attribute_name(name: str) -> str:
    return f"user.MemberAttribute.{name}"
