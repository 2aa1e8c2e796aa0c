"""Two people editing one membership: each Save writes only what that person changed
since opening the page, so neither undoes the other's change."""

import pytest

from contacts.models import Membership, MembershipStatus
from tests.factories import GroupFactory, MembershipFactory
from tests.html_forms import form_values

pytestmark = pytest.mark.django_db


def _url(membership: Membership) -> str:
    return f"/groups/{membership.group_id}/memberships/{membership.pk}/"


def _opened(client, membership: Membership) -> dict[str, str]:
    """The form as the page shows it: what a browser posts when nothing is changed."""
    return form_values(client.get(_url(membership)).content.decode(), "membership-form")


def test_a_save_keeps_what_someone_else_changed_meanwhile(marketer_client, admin_client):
    membership = MembershipFactory(
        group=GroupFactory(is_test_group=False),
        status=MembershipStatus.DEACTIVATED,
        is_test_recipient=False,
    )
    first, second = _opened(marketer_client, membership), _opened(admin_client, membership)

    first["status"] = MembershipStatus.ACTIVE
    assert marketer_client.post(_url(membership), first).status_code == 302
    second["is_test_recipient"] = "on"  # the page still shows Deactivated
    assert admin_client.post(_url(membership), second).status_code == 302

    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.is_test_recipient


def test_a_save_that_changes_nothing_writes_nothing(marketer_client):
    membership = MembershipFactory(group=GroupFactory(is_test_group=False))
    page = _opened(marketer_client, membership)
    Membership.objects.filter(pk=membership.pk).update(status=MembershipStatus.PENDING)
    marketer_client.post(_url(membership), page)
    assert Membership.objects.get(pk=membership.pk).status == MembershipStatus.PENDING


def test_without_the_opened_values_the_stored_ones_are_compared(marketer_client):
    """A post without them (an old page, a script) changes what differs from the stored."""
    membership = MembershipFactory(
        group=GroupFactory(is_test_group=False), status=MembershipStatus.ACTIVE
    )
    page = _opened(marketer_client, membership)
    page.pop("opened")
    page["status"] = MembershipStatus.PENDING
    marketer_client.post(_url(membership), page)
    assert Membership.objects.get(pk=membership.pk).status == MembershipStatus.PENDING
