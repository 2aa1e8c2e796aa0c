from contacts.models.activity import AnonymousContact, AppData, Event, RelatedRecord, Role
from contacts.models.attributes import AttributeDefinition, AttributeValue
from contacts.models.choices import (
    AddressStatus,
    AttributeType,
    Channel,
    EventChannel,
    EventType,
    Gender,
    IdentifierType,
    MembershipStatus,
    Title,
)
from contacts.models.contact import Contact
from contacts.models.groups import (
    Group,
    MemberAttributeDefinition,
    MemberAttributeValue,
    Membership,
)
from contacts.models.jobs import BulkDeletion

__all__ = [
    "AnonymousContact",
    "AddressStatus",
    "AppData",
    "AttributeDefinition",
    "AttributeType",
    "AttributeValue",
    "BulkDeletion",
    "Channel",
    "Contact",
    "Event",
    "EventChannel",
    "EventType",
    "Gender",
    "Group",
    "IdentifierType",
    "MemberAttributeDefinition",
    "MemberAttributeValue",
    "Membership",
    "MembershipStatus",
    "RelatedRecord",
    "Role",
    "Title",
]
