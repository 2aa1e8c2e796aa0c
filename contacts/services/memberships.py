from collections.abc import Mapping

from django.db import IntegrityError, transaction

from contacts.attributes import apply_attribute_values
from contacts.models import (
    Contact,
    Group,
    MemberAttributeDefinition,
    MemberAttributeValue,
    Membership,
    MembershipStatus,
)
from contacts.services.activity import activity_record, membership_status_event
from contacts.services.contacts import ContactError, ContactGone
from core.audit import Actor, audit_record


class MembershipGone(ContactError):
    def __init__(self) -> None:
        super().__init__("This membership no longer exists; it was removed.")


def membership_create(
    *,
    actor: Actor,
    contact_id: int,
    group: Group,
    status: str = MembershipStatus.ACTIVE,
    is_test_recipient: bool = False,
) -> Membership:
    with transaction.atomic():
        # Locks the contact so that a concurrent delete cannot leave an orphan.
        if not Contact.objects.select_for_update().filter(pk=contact_id).exists():
            raise ContactGone(contact_id)
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    contact_id=contact_id,
                    group=group,
                    status=MembershipStatus(status),
                    # Every member of a test group is a test recipient (as imports make them).
                    is_test_recipient=is_test_recipient or group.is_test_group,
                )
        except IntegrityError:
            raise ContactError(
                f"Contact ID {contact_id} is already a member of the group “{group.name}”."
            ) from None
        _record_status_change(membership, old=None)
        audit_record(
            actor=actor,
            action="membership.created",
            contact_id=contact_id,
            details={"group_id": group.pk},
        )
    return membership


def membership_update(
    *,
    actor: Actor,
    membership_id: int,
    status: str | None = None,
    is_test_recipient: bool | None = None,
    member_values: Mapping[int, str | None] | None = None,
) -> list[str]:
    """Changes what is given (None: left as stored), under the membership's row lock."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("group")
            .filter(pk=membership_id)
            .first()
        )
        if membership is None:
            raise MembershipGone()
        if is_test_recipient is None:
            is_test_recipient = membership.is_test_recipient
        is_test_recipient = is_test_recipient or membership.group.is_test_group
        changed = []
        old_status = membership.status
        if status is not None and membership.status != status:
            membership.status = MembershipStatus(status)
            changed.append("status")
        if membership.is_test_recipient != is_test_recipient:
            membership.is_test_recipient = is_test_recipient
            changed.append("is_test_recipient")
        if changed:
            membership.save(update_fields=[*changed, "updated_at"])
            _record_status_change(membership, old=old_status)
        changed += [
            f"member:{name}" for name in _apply_member_values(membership, member_values or {})
        ]
        if changed:
            audit_record(
                actor=actor,
                action="membership.updated",
                contact_id=membership.contact_id,
                details={"group_id": membership.group_id, "fields": changed},
            )
    return changed


def _record_status_change(membership: Membership, *, old: str | None) -> None:
    event_type = membership_status_event(old, membership.status)
    if event_type is not None:
        activity_record(
            contact_id=membership.contact_id, event_type=event_type, group_id=membership.group_id
        )


def _apply_member_values(membership: Membership, values: Mapping[int, str | None]) -> list[str]:
    return apply_attribute_values(
        definitions=MemberAttributeDefinition.objects.filter(
            group_id=membership.group_id, pk__in=list(values)
        ).in_bulk(),
        current={v.definition_id: v for v in membership.attribute_values.all()},
        values=dict(values),
        create=lambda definition, value: MemberAttributeValue.objects.create(
            membership=membership, definition=definition, value=value
        ),
    )


def membership_delete(*, actor: Actor, membership_id: int) -> None:
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(pk=membership_id).first()
        if membership is None:
            raise MembershipGone()
        membership.attribute_values.all().delete()
        membership.delete()
        audit_record(
            actor=actor,
            action="membership.deleted",
            contact_id=membership.contact_id,
            details={"group_id": membership.group_id},
        )
