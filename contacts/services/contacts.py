"""Every write to a contact goes through one of these functions.

Each runs in one transaction and writes the audit log. Views, admin actions
and commands call them; none writes contact data directly.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Field, QuerySet

from contacts import selectors
from contacts.attributes import apply_attribute_values
from contacts.models import (
    AppData,
    AttributeDefinition,
    AttributeValue,
    Contact,
    Event,
    EventType,
    IdentifierType,
    MemberAttributeValue,
    Membership,
    RelatedRecord,
)
from contacts.services.activity import activity_record
from contacts.signals import contacts_deleting
from contacts.validation import normalize_alias, normalize_email, normalize_mobile
from core.audit import Actor, audit_record, audit_record_many

IDENTIFIER_FIELDS = {
    IdentifierType.EMAIL: "email",
    IdentifierType.MOBILE: "mobile_number",
    IdentifierType.APP_ALIAS: "app_alias",
}
_NORMALIZERS = {
    "email": normalize_email,
    "mobile_number": normalize_mobile,
    "app_alias": normalize_alias,
}


class ContactError(Exception):
    """A write that cannot be done; the message is shown to the user as is."""


class DuplicateIdentifier(ContactError):
    def __init__(self, *, field: str, existing_id: int | None):
        self.field = field
        self.existing_id = existing_id
        label = _field_label(field)
        suffix = f" (Contact ID {existing_id})" if existing_id else ""
        super().__init__(f"A contact with this {label} already exists{suffix}.")


class ContactGone(ContactError):
    def __init__(self, contact_id: int):
        self.contact_id = contact_id
        super().__init__(f"Contact ID {contact_id} no longer exists: it was deleted or anonymized.")


class ContactConflict(ContactError):
    def __init__(self, contact_id: int):
        super().__init__(
            f"Contact ID {contact_id} was changed by someone else after you opened it. "
            "Your changes were not saved: reload the profile to see the current values."
        )


def normalize_identifier(*, field: str, value: str | None) -> str | None:
    if value is None or value.strip() == "":
        return None
    return _NORMALIZERS[field](value)


def _raise_duplicate(field: str, value: str, *, exclude_id: int | None = None) -> None:
    existing = selectors.contact_find_by_identifier(field=field, value=value)
    if existing is not None and existing.pk != exclude_id:
        raise DuplicateIdentifier(field=field, existing_id=existing.pk)


def contact_create(*, actor: Actor, identifier_type: str, identifier: str) -> Contact:
    field = IDENTIFIER_FIELDS[IdentifierType(identifier_type)]
    value = normalize_identifier(field=field, value=identifier)
    if value is None:
        raise ValidationError({field: "Enter the identifier of the new contact."})
    _raise_duplicate(field, value)
    try:
        with transaction.atomic():
            contact = Contact.objects.create(identifier_type=identifier_type, **{field: value})
            audit_record(actor=actor, action="contact.created", contact_id=contact.pk)
    except IntegrityError:
        # Someone created the same identifier between our check and our insert:
        # the unique constraint decided; say which contact won.
        _raise_duplicate(field, value)
        raise
    return contact


def contact_update(
    *,
    actor: Actor,
    contact_id: int,
    expected_version: int | None,
    changes: Mapping[str, Any],
    custom_values: Mapping[int, str | None] | None = None,
) -> list[str]:
    """Apply only the changed fields; refuse if the contact changed since `expected_version`
    (None: whatever version is current, the last writer wins).

    Returns the names of what changed (empty when nothing did).
    """
    custom_values = custom_values or {}
    with transaction.atomic():
        contact = Contact.objects.select_for_update().filter(pk=contact_id).first()
        if contact is None:
            raise ContactGone(contact_id)
        if expected_version is not None and contact.version != expected_version:
            raise ContactConflict(contact_id)

        changes = dict(changes)
        for field in IDENTIFIER_FIELDS.values():
            if field in changes:
                changes[field] = normalize_identifier(field=field, value=changes[field])
        changed = [name for name, value in changes.items() if getattr(contact, name) != value]
        for name in changed:
            setattr(contact, name, changes[name])
        _check_identifiers(contact)

        changed_custom = _apply_custom_values(contact, custom_values)
        if not changed and not changed_custom:
            return []
        contact.version += 1
        try:
            with transaction.atomic():
                contact.save(update_fields=[*changed, "version", "updated_at"])
        except IntegrityError:
            for field in IDENTIFIER_FIELDS.values():
                if field in changed and getattr(contact, field):
                    _raise_duplicate(field, getattr(contact, field), exclude_id=contact.pk)
            raise
        names = changed + [f"custom:{name}" for name in changed_custom]
        activity_record(contact_id=contact.pk, event_type=EventType.PROFILE_UPDATED)
        audit_record(
            actor=actor, action="contact.updated", contact_id=contact.pk, details={"fields": names}
        )
    return names


def contact_identifier_problem(contact: Contact) -> tuple[str | None, str] | None:
    """What keeps a contact's identifiers from being saved, as (field or None, message):
    no identifier left, or none of its identifier type. The rule of the edit service and
    the import alike."""
    if contact.identifier_count == 0:
        return (
            None,
            "This is the contact's only identifier and cannot be removed. "
            "Add another email address, mobile number or app alias first.",
        )
    type_field = IDENTIFIER_FIELDS[IdentifierType(contact.identifier_type)]
    if not getattr(contact, type_field):
        label = _field_label(type_field)
        return (
            type_field,
            f"{label} is this contact's identifier type, so it cannot be removed. "
            "Choose another identifier type first.",
        )
    return None


def _check_identifiers(contact: Contact) -> None:
    problem = contact_identifier_problem(contact)
    if problem is None:
        return
    field, message = problem
    raise ValidationError({field: message} if field else message)


def _apply_custom_values(contact: Contact, values: Mapping[int, str | None]) -> list[str]:
    if not values:
        return []
    return apply_attribute_values(
        definitions=AttributeDefinition.objects.in_bulk(list(values)),
        current={
            v.definition_id: v for v in contact.attribute_values.filter(definition__in=values)
        },
        values=dict(values),
        create=lambda definition, value: AttributeValue.objects.create(
            contact=contact, definition=definition, value=value
        ),
    )


def _field_label(name: str) -> str:
    """The name of a contact field on screen (its verbose name)."""
    field = Contact._meta.get_field(name)
    return str(field.verbose_name) if isinstance(field, Field) else name


def _raw_delete(queryset: QuerySet[Any]) -> int:
    # One DELETE ... WHERE statement, without loading rows for Django's cascade
    # collector; callers delete children before parents, so nothing is left dangling.
    return queryset._raw_delete(queryset.db)


def _delete_batch_size() -> int:
    # A thousand contacts per statement keeps PostgreSQL on the contact_id indexes (with
    # ten thousand it estimates too many rows and scans whole tables); SQLite allows 999
    # parameters.
    return min(1000, (connection.features.max_query_params or 10_000) - 10)


def contacts_delete(*, actor: Actor, contacts: QuerySet[Contact]) -> int:
    """Delete the given contacts with everything that belongs to them. Returns the count."""
    with transaction.atomic():
        ids = list(contacts.order_by().select_for_update().values_list("id", flat=True))
        size = _delete_batch_size()
        for start in range(0, len(ids), size):
            delete_contact_rows(ids[start : start + size])
        audit_record_many(actor=actor, action="contact.deleted", contact_ids=ids)
    return len(ids)


def delete_contact_rows(
    ids: list[int], *, anonymized: bool = False, naming: list[str] | None = None
) -> None:
    """Remove the contacts with every row that belongs to them; the apps that keep data of
    contacts hear of it first (contacts.signals.contacts_deleting) and remove theirs.

    `anonymized`: the rows go for an anonymization; `naming`: then the texts that name the
    person. No audit entry: the calling service writes the one that says why.
    """
    contacts_deleting.send(
        sender=Contact, contact_ids=ids, anonymized=anonymized, naming=naming or []
    )
    memberships = Membership.objects.filter(contact_id__in=ids).values("id")
    _raw_delete(MemberAttributeValue.objects.filter(membership_id__in=memberships))
    for model in (Membership, AttributeValue, Event, AppData, RelatedRecord):
        _raw_delete(model.objects.filter(contact_id__in=ids))
    _raw_delete(Contact.objects.filter(id__in=ids))


def contact_delete(*, actor: Actor, contact_id: int) -> None:
    if contacts_delete(actor=actor, contacts=Contact.objects.filter(pk=contact_id)) == 0:
        raise ContactGone(contact_id)
