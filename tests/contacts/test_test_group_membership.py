"""A membership of a test group: its member is a test recipient, and the form says so
instead of offering a box whose unticking Save ignored."""

import pytest

from contacts.models import Membership, MembershipStatus
from tests.factories import GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_the_test_recipient_box_of_a_test_group_is_ticked_and_fixed(tester_client):
    membership = MembershipFactory(group=GroupFactory(is_test_group=True), is_test_recipient=True)
    url = f"/groups/{membership.group_id}/memberships/{membership.pk}/"
    page = tester_client.get(url).content.decode()
    box = page[
        page.index('name="is_test_recipient"') - 300 : page.index('name="is_test_recipient"') + 300
    ]
    assert "disabled" in box and "checked" in box
    assert "Every member of a test group is a test recipient." in page
    response = tester_client.post(url, {"status": MembershipStatus.PENDING})  # box unticked
    assert response.status_code == 302
    membership = Membership.objects.get(pk=membership.pk)
    assert membership.status == MembershipStatus.PENDING and membership.is_test_recipient


def test_in_an_ordinary_group_the_box_can_be_changed(marketer_client):
    membership = MembershipFactory(group=GroupFactory(is_test_group=False), is_test_recipient=False)
    url = f"/groups/{membership.group_id}/memberships/{membership.pk}/"
    page = marketer_client.get(url).content.decode()
    box = page[
        page.index('name="is_test_recipient"') - 300 : page.index('name="is_test_recipient"') + 300
    ]
    assert "disabled" not in box
    marketer_client.post(url, {"status": MembershipStatus.ACTIVE, "is_test_recipient": "on"})
    assert Membership.objects.get(pk=membership.pk).is_test_recipient
