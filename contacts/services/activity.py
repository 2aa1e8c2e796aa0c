"""The events that this app's own writes add to a contact's activity.

The message history (sent, opened, clicked, ...) comes from the messaging system. What
happens here is recorded as the product records it: a saved profile is "Profile updated",
a membership that becomes Active is "Subscribed" to its group, one that leaves Active for
Deactivated is "Unsubscribed". Imports record none: their record is the import job.
"""

from django.utils import timezone

from contacts.models import Event, EventChannel, EventType, MembershipStatus


def activity_record(*, contact_id: int, event_type: EventType, group_id: int | None = None) -> None:
    Event.objects.create(
        contact_id=contact_id,
        event_type=event_type,
        channel=EventChannel.SYSTEM,
        group_id=group_id,
        occurred_at=timezone.now(),
    )


def membership_status_event(old: str | None, new: str) -> EventType | None:
    """The event of a membership's status change (`old` None: a new membership)."""
    if new == MembershipStatus.ACTIVE and old != MembershipStatus.ACTIVE:
        return EventType.SUBSCRIBED
    if old == MembershipStatus.ACTIVE and new == MembershipStatus.DEACTIVATED:
        return EventType.UNSUBSCRIBED
    return None
