"""A membership of a test group: its member is a test recipient, and the form says so
instead of offering a box whose unticking Save ignored."""

import pytest

from contacts.models import Membership, MembershipStatus
from tests.factories import GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _url(membership: Membership) -> str:
    return f"/groups/{membership.group_id}/memberships/{membership.pk}/"


def _recipient_box(client, membership: Membership) -> tuple[str, str]:
    """The membership's edit page, and the markup around its Test recipient box."""
    page = client.get(_url(membership)).content.decode()
    at = page.index('name="is_test_recipient"')
    return page, page[at - 300 : at + 300]


def test_the_test_recipient_box_of_a_test_group_is_ticked_and_fixed(tester_client):
    membership = MembershipFactory(group=GroupFactory(is_test_group=True), is_test_recipient=True)
    page, box = _recipient_box(tester_client, membership)
    assert "disabled" in box and "checked" in box
    assert "Every member of a test group is a test recipient." in page
    # The box left out of the post, as an unticked box is.
    response = tester_client.post(_url(membership), {"status": MembershipStatus.PENDING})
    assert response.status_code == 302
    membership = Membership.objects.get(pk=membership.pk)
    assert membership.status == MembershipStatus.PENDING and membership.is_test_recipient


def test_in_an_ordinary_group_the_box_can_be_changed(marketer_client):
    membership = MembershipFactory(group=GroupFactory(is_test_group=False), is_test_recipient=False)
    _, box = _recipient_box(marketer_client, membership)
    assert "disabled" not in box
    data = {"status": MembershipStatus.ACTIVE, "is_test_recipient": "on"}
    marketer_client.post(_url(membership), data)
    assert Membership.objects.get(pk=membership.pk).is_test_recipient
