from contacts.models.activity import AppData, AuditEntry, Event, RelatedRecord, Role
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
from contacts.models.jobs import BulkDeletion, DeletionStatus

__all__ = [
    "AddressStatus",
    "AppData",
    "AttributeDefinition",
    "AttributeType",
    "AttributeValue",
    "AuditEntry",
    "BulkDeletion",
    "Channel",
    "Contact",
    "DeletionStatus",
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
