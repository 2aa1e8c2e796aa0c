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
from contacts.services.deletions import bulk_deletion_dismiss, bulk_deletion_request
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
    "bulk_deletion_dismiss",
    "bulk_deletion_request",
    "contact_create",
    "contact_delete",
    "contact_update",
    "contacts_delete",
    "membership_create",
    "membership_delete",
    "membership_update",
    "normalize_identifier",
]
