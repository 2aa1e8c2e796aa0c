"""Remove from a group asks first, as Delete does: a membership carries its status, its
subscription date and member attributes, and nothing brings them back."""

import pytest

from contacts.models import Membership
from tests.factories import GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_remove_asks_then_removes(marketer_client):
    membership = MembershipFactory(group=GroupFactory(name="Spring Promo"))
    url = f"/groups/{membership.group_id}/memberships/{membership.pk}/remove/"
    back = f"/contacts/{membership.contact_id}/memberships/"

    page = marketer_client.post(url, {"next": back})
    html = page.content.decode()
    assert page.status_code == 200
    assert f"Remove Contact ID {membership.contact_id} from “Spring Promo”?" in html
    assert f'<a href="{back}" class="btn btn-outline-secondary">Cancel</a>' in html
    assert 'name="confirmed" value="1"' in html
    assert Membership.objects.filter(pk=membership.pk).exists()

    response = marketer_client.post(url, {"next": back, "confirmed": "1"})
    assert response.status_code == 302 and response["Location"] == back
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_tester_gets_no_confirmation_for_a_group_it_may_not_manage(tester_client):
    membership = MembershipFactory()
    url = f"/groups/{membership.group_id}/memberships/{membership.pk}/remove/"
    assert tester_client.post(url).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_confirmation_can_be_reloaded_and_a_get_removes_nothing(marketer_client):
    """Reloading the confirmation (a GET of its URL) answered 405."""
    membership = MembershipFactory(group=GroupFactory(name="Spring Promo"))
    url = f"/groups/{membership.group_id}/memberships/{membership.pk}/remove/"

    for query in ("", "?confirmed=1"):
        page = marketer_client.get(url + query)
        assert page.status_code == 200
        html = page.content.decode()
        assert f"Remove Contact ID {membership.contact_id} from “Spring Promo”?" in html
        assert f'<a href="/groups/{membership.group_id}/" class="btn' in html  # Cancel
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_tester_gets_no_confirmation_page_for_a_group_it_may_not_manage(tester_client):
    membership = MembershipFactory()
    url = f"/groups/{membership.group_id}/memberships/{membership.pk}/remove/"
    assert tester_client.get(url).status_code == 403
    test_membership = MembershipFactory(group=GroupFactory(is_test_group=True))
    url = f"/groups/{test_membership.group_id}/memberships/{test_membership.pk}/remove/"
    assert tester_client.get(url).status_code == 200
