"""A group's page shows, per member, what All Contacts shows of a contact (the alias and
the names too), so a member known only by an app alias is identifiable; its reads stay
the same for any number of members."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    AliasContactFactory,
    ContactFactory,
    GroupFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db


def _row_of(page: str, contact_id: int) -> list[str]:
    row = re.search(rf'<tr>\s*<td><a href="/contacts/{contact_id}/">.*?</tr>', page, re.S)
    assert row is not None
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
    ]


def test_a_member_known_by_its_alias_alone_is_identifiable(marketer_client):
    group = GroupFactory(name="Test Group", is_test_group=True)
    device = AliasContactFactory(app_alias="5cbb-device-of-kim", first_name="Kim", last_name="Ong")
    long_alias = "x" * 60
    anonymous = AliasContactFactory(app_alias=long_alias, first_name="", last_name="")
    for contact in (device, anonymous):
        MembershipFactory(group=group, contact=contact)
    page = marketer_client.get(f"/groups/{group.pk}/").content.decode()
    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', page)
    assert headers[:6] == [
        "Contact ID",
        "Email",
        "Mobile Number",
        "Mobile App Alias",
        "First Name",
        "Last Name",
    ]
    assert _row_of(page, device.pk)[:6] == [
        str(device.pk),
        "",
        "",
        "5cbb-device-of-kim",
        "Kim",
        "Ong",
    ]
    # A long alias is cut as in All Contacts; the whole one is its title.
    assert _row_of(page, anonymous.pk)[3] == "x" * 39 + "…"
    assert f'title="{html.escape(long_alias)}"' in page


def _reads(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_group_page_reads_the_same_for_any_number_of_members(
    marketer_client, django_assert_num_queries
):
    group = GroupFactory(name="Club")
    MembershipFactory(group=group, contact=ContactFactory())
    url = f"/groups/{group.pk}/"
    one = _reads(marketer_client, url)
    for n in range(30):
        factory = AliasContactFactory if n % 2 else ContactFactory
        MembershipFactory(group=group, contact=factory(first_name=f"Name{n}"))
    assert _reads(marketer_client, url) == one
    # Pinned: the members are read with their contacts in one query (select_related).
    with django_assert_num_queries(6):
        marketer_client.get(url)
