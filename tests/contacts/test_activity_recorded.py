"""What this app's own writes add to a contact's Activity tab."""

import pytest

from contacts.models import Event, EventChannel, EventType, MembershipStatus
from contacts.services import contact_update, membership_create, membership_update
from tests.contacts.test_profile_views import _profile_data
from tests.factories import ContactFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _events(contact):
    return list(
        Event.objects.filter(contact=contact).values_list("event_type", "channel", "group_id")
    )


def test_a_saved_profile_shows_profile_updated_in_its_activity(marketer_client):
    contact = ContactFactory(first_name="Anna")
    response = marketer_client.post(
        f"/contacts/{contact.pk}/", _profile_data(contact, first_name="Annika")
    )
    assert response.status_code == 302
    assert _events(contact) == [(EventType.PROFILE_UPDATED, EventChannel.SYSTEM, None)]
    page = marketer_client.get(f"/contacts/{contact.pk}/?tab=activity").content.decode()
    assert "Profile updated" in page


def test_a_save_that_changes_nothing_records_nothing(marketer):
    contact = ContactFactory(first_name="Anna")
    changed = contact_update(
        actor=marketer,
        contact_id=contact.pk,
        expected_version=contact.version,
        changes={"first_name": "Anna"},
    )
    assert changed == []
    assert _events(contact) == []


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (MembershipStatus.ACTIVE, [EventType.SUBSCRIBED]),
        (MembershipStatus.PENDING, []),
        (MembershipStatus.AWAITING_APPROVAL, []),
        (MembershipStatus.DEACTIVATED, []),
    ],
)
def test_a_new_membership_is_subscribed_only_when_active(marketer, status, expected):
    contact, group = ContactFactory(), GroupFactory()
    membership_create(actor=marketer, contact_id=contact.pk, group=group, status=status)
    assert _events(contact) == [(kind, EventChannel.SYSTEM, group.pk) for kind in expected]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (MembershipStatus.PENDING, MembershipStatus.ACTIVE, EventType.SUBSCRIBED),
        (MembershipStatus.DEACTIVATED, MembershipStatus.ACTIVE, EventType.SUBSCRIBED),
        (MembershipStatus.ACTIVE, MembershipStatus.DEACTIVATED, EventType.UNSUBSCRIBED),
        (MembershipStatus.ACTIVE, MembershipStatus.PENDING, None),
        (MembershipStatus.PENDING, MembershipStatus.DEACTIVATED, None),
        (MembershipStatus.ACTIVE, MembershipStatus.ACTIVE, None),
    ],
)
def test_a_status_change_records_its_event(marketer, old, new, expected):
    membership = MembershipFactory(status=old, is_test_recipient=False)
    membership_update(
        actor=marketer, membership_id=membership.pk, status=new, is_test_recipient=True
    )
    events = _events(membership.contact)
    assert events == ([] if expected is None else [(expected, "system", membership.group_id)])


def test_adding_to_a_group_in_the_browser_flow_shows_subscribed(marketer_client):
    contact, group = ContactFactory(), GroupFactory(name="Newsletter")
    response = marketer_client.post(
        f"/contacts/{contact.pk}/memberships/",
        {"group": group.pk, "status": MembershipStatus.ACTIVE},
    )
    assert response.status_code == 302
    page = marketer_client.get(f"/contacts/{contact.pk}/?tab=activity").content.decode()
    assert "Subscribed" in page
    assert "Newsletter" in page
