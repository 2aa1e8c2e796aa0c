from contacts.services.audit import audit_record, audit_record_many
from contacts.services.contacts import (
    IDENTIFIER_FIELDS,
    ContactConflict,
    ContactError,
    ContactGone,
    DuplicateIdentifier,
    contact_create,
    contact_delete,
    contact_update,
    contacts_delete,
    normalize_identifier,
)
from contacts.services.deletions import bulk_deletion_request
from contacts.services.memberships import (
    membership_create,
    membership_delete,
    membership_update,
)

__all__ = [
    "IDENTIFIER_FIELDS",
    "ContactConflict",
    "ContactError",
    "ContactGone",
    "DuplicateIdentifier",
    "audit_record",
    "bulk_deletion_request",
    "audit_record_many",
    "contact_create",
    "contact_delete",
    "contact_update",
    "contacts_delete",
    "membership_create",
    "membership_delete",
    "membership_update",
    "normalize_identifier",
]
