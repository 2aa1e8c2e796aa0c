"""Anonymize a contact: hash what must survive, delete the rest, in one transaction."""

from django.db import transaction
from django.db.models import Case, Value, When

from anonymization.hashing import SaltedHasher
from anonymization.models import Anonymization
from anonymization.notifications import CONFIRMATION
from contacts.filters import naming_texts
from contacts.models import (
    PROFILE_ATTRIBUTES,
    AnonymousContact,
    AppData,
    Contact,
    Event,
    MemberAttributeValue,
    RelatedRecord,
    custom_attribute_name,
    member_attribute_name,
)
from contacts.services import ContactGone
from contacts.services.contacts import delete_contact_rows
from contacts.services.deletions import bulk_deletions_stop_naming
from core.audit import Actor, actor_user, audit_record
from core.notifications import notification_queue

# Distinct addresses hashed per UPDATE statement (a CASE with one branch each).
ADDRESS_BATCH = 500


def contact_anonymize(*, actor: Actor, contact_id: int) -> Anonymization:
    """Irreversibly anonymize a contact; returns the record (its confirmation email is queued).

    Raises ContactGone if the contact no longer exists (e.g. someone else was quicker).
    """
    with transaction.atomic():
        contact = Contact.objects.select_for_update().filter(pk=contact_id).first()
        if contact is None:
            raise ContactGone(contact_id)
        hasher = SaltedHasher()
        anonymous = AnonymousContact.objects.create(
            identifier_type=contact.identifier_type,
            email_hash=hasher(contact.email),
            mobile_hash=hasher(contact.mobile_number),
            app_alias_hash=hasher(contact.app_alias),
            external_id_hash=hasher(contact.external_id),
            profile_hashes=_profile_hashes(contact, hasher),
        )
        _move_events(contact_id, anonymous, hasher)
        # Stored filters of background jobs may hold a search for this person.
        naming = naming_texts(contact)
        bulk_deletions_stop_naming(texts=naming)
        delete_contact_rows([contact_id], anonymized=True, naming=naming)
        user = actor_user(actor)
        record = Anonymization.objects.create(
            contact_id=contact_id, identifier_type=contact.identifier_type, requested_by=user
        )
        notification_queue(kind=CONFIRMATION, object_id=record.pk, recipient=user)
        audit_record(actor=actor, action="contact.anonymized", contact_id=contact_id)
    return record


def _profile_hashes(contact: Contact, hasher: SaltedHasher) -> dict[str, str]:
    hashes = {}
    for export_name, field in PROFILE_ATTRIBUTES:
        value = getattr(contact, field)
        if value not in (None, ""):
            hashes[export_name] = hasher(value)
    for name, value in contact.attribute_values.values_list("definition__name", "value"):
        hashes[custom_attribute_name(name)] = hasher(value)
    member_values = MemberAttributeValue.objects.filter(
        membership__contact_id=contact.pk
    ).values_list("membership__group_id", "definition__name", "value")
    for group_id, name, value in member_values:
        hashes[f"group.{group_id}.{member_attribute_name(name)}"] = hasher(value)
    related = RelatedRecord.objects.filter(contact_id=contact.pk).values_list(
        "table_name", "values"
    )
    for index, (table, values) in enumerate(related):
        items = values.items() if isinstance(values, dict) else enumerate(values or [])
        for key, value in items:
            hashes[f"related.{table}.{index}.{key}"] = hasher(value)
    app = AppData.objects.filter(contact_id=contact.pk).first()
    if app is not None:
        for key in ("push_opt_in_at", "push_opt_out_at", "last_app_open_at"):
            if getattr(app, key):
                hashes[f"app.{key}"] = hasher(getattr(app, key).isoformat())
    return hashes


def _move_events(contact_id: int, anonymous: AnonymousContact, hasher: SaltedHasher) -> None:
    """Relink the events to the anonymous contact, hashing the address each one used.

    Bulk UPDATEs: the statement count grows with the number of distinct addresses
    (a handful per contact), never with the number of events.
    """
    events = Event.objects.filter(contact_id=contact_id)
    addresses = sorted(events.order_by().values_list("address", flat=True).distinct())
    for start in range(0, len(addresses), ADDRESS_BATCH):
        batch = addresses[start : start + ADDRESS_BATCH]
        Event.objects.filter(contact_id=contact_id, address__in=batch).update(
            address=Case(*[When(address=a, then=Value(hasher(a))) for a in batch]),
            contact=None,
            anonymous_contact=anonymous,
        )
