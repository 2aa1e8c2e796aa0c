"""The group filter of All Contacts reads a small group member first and walks a large
one in the sort's order: either way the same contacts, in the same order, on every page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contacts import group_filter
from contacts.filters import SORTS, ContactFilter
from contacts.models import Contact, Membership
from tests.contacts.listing import every_page
from tests.factories import ContactFactory, GroupFactory, MembershipFactory, MobileContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(db):
    group = GroupFactory()
    people = ContactFactory.create_batch(18) + MobileContactFactory.create_batch(12)
    for person in people[::2]:
        MembershipFactory(contact=person, group=group)
    MembershipFactory(contact=people[1])  # another group
    return group


@pytest.mark.parametrize("sort", ["-id", "email", "-email", "mobile", "last_name", "-created"])
def test_a_small_and_a_large_group_list_the_same_rows(marketer_client, group, sort, monkeypatch):
    params = {"group": group.pk, "sort": sort, "per_page": 25}
    small = every_page(marketer_client, params)
    monkeypatch.setattr(group_filter, "SMALL_GROUP_MEMBERS", 0)  # every group is large now
    large = every_page(marketer_client, params)
    members = set(group.memberships.values_list("contact_id", flat=True))
    assert small == large
    assert sorted(small) == sorted(members)


@pytest.mark.postgres
def test_a_small_group_is_read_member_first_on_postgresql(group, monkeypatch):
    def plan(sort: str) -> str:
        queryset = ContactFilter({"group": group.pk}, queryset=Contact.objects.all()).qs
        sql, params = queryset.order_by(sort)[:25].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())

    assert "ANY" in plan("last_name")
    monkeypatch.setattr(group_filter, "SMALL_GROUP_MEMBERS", 0)
    assert "ANY" not in plan("last_name")


def test_a_group_with_a_created_range_lists_its_members_of_that_range(
    marketer_client, group, monkeypatch
):
    members = list(group.memberships.order_by("contact_id").values_list("contact_id", flat=True))
    old = members[: len(members) // 2]
    Contact.objects.filter(pk__in=old).update(created_at=timezone.now() - dt.timedelta(days=60))
    since = (timezone.now() - dt.timedelta(days=7)).date().isoformat()
    params = {"group": group.pk, "created_from": since, "per_page": 25}
    small = every_page(marketer_client, params)
    monkeypatch.setattr(group_filter, "SMALL_GROUP_MEMBERS", 0)
    large = every_page(marketer_client, params)
    assert small == large == sorted(set(members) - set(old), reverse=True)


def _pages(queryset, sort: str, *, ids_first: bool, limit: int = 4) -> list[list[int]]:
    """Every page forwards, then every page backwards from the last, as ids."""
    from contacts import pagination

    forward, after = [], ""
    while True:
        page = pagination.keyset_page(
            queryset, sort=sort, limit=limit, after=after, ids_first=ids_first
        )
        forward.append([row.pk for row in page])
        if page.next_cursor is None:
            break
        after = page.next_cursor
    backward = []
    page = pagination.keyset_page(queryset, sort=sort, limit=limit, last=True, ids_first=ids_first)
    while True:
        backward.append([row.pk for row in page])
        if page.previous_cursor is None:
            break
        page = pagination.keyset_page(
            queryset, sort=sort, limit=limit, before=page.previous_cursor, ids_first=ids_first
        )
    return forward + backward


@pytest.mark.parametrize("sort", SORTS)
def test_reading_a_pages_ids_first_gives_the_same_pages(group, sort):
    queryset = ContactFilter({"group": group.pk}, queryset=Contact.objects.all()).qs
    assert _pages(queryset, sort, ids_first=True) == _pages(queryset, sort, ids_first=False)
    assert sum(len(p) for p in _pages(queryset, sort, ids_first=True)) == 2 * 15


def test_a_small_group_costs_no_more_queries_than_a_large_one(marketer_client, group, monkeypatch):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert marketer_client.get("/contacts/", {"group": group.pk}).status_code == 200
        return len(ctx.captured_queries)

    small = queries()
    monkeypatch.setattr(group_filter, "SMALL_GROUP_MEMBERS", 0)
    large = queries()
    # On PostgreSQL a small group alone is not counted: its members were read.
    assert small == large - (connection.vendor == "postgresql")


@pytest.mark.postgres
def test_a_small_group_is_read_ids_first_and_an_empty_one_lists_nobody(group):
    empty = GroupFactory()
    form = ContactFilter({"group": group.pk}, queryset=Contact.objects.all())
    assert form.qs.count() == 15
    assert form.members_first
    nobody = ContactFilter({"group": empty.pk}, queryset=Contact.objects.all())
    assert list(nobody.qs) == []
    assert nobody.members_first
    # In a created range the members are read by id, through a subquery.
    today = timezone.localdate().isoformat()
    ranged = ContactFilter({"group": group.pk, "created_from": today}, Contact.objects.all())
    assert ranged.qs.count() == 15
    assert not ranged.members_first


@pytest.mark.postgres
def test_a_small_group_alone_shows_its_exact_total_without_counting(marketer_client):
    group = GroupFactory()
    people = ContactFactory.create_batch(1_003)
    Membership.objects.bulk_create(Membership(contact=p, group=group) for p in people)
    with CaptureQueriesContext(connection) as ctx:
        response = marketer_client.get("/contacts/", {"group": group.pk})
    assert "1–25 of 1,003" in response.content.decode()  # not "of more than 1,000"
    assert not [q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    # With another filter the matches are counted, up to the list's cap.
    response = marketer_client.get("/contacts/", {"group": group.pk, "identifier_type": "email"})
    assert "of more than 1,000" in response.content.decode()


@pytest.mark.postgres
def test_the_filter_knows_the_total_of_a_small_group_alone_only(group, monkeypatch):
    def known(**params: object) -> int | None:
        filterset = ContactFilter({"group": group.pk, **params}, Contact.objects.all())
        assert filterset.is_valid()
        filterset.qs  # noqa: B018  (runs the filters)
        return filterset.known_total()

    assert known() == 15
    assert known(name="a") is None
    assert known(created_from=timezone.localdate().isoformat()) is None
    empty = ContactFilter({"group": GroupFactory().pk}, Contact.objects.all())
    empty.qs  # noqa: B018
    assert empty.known_total() == 0
    monkeypatch.setattr(group_filter, "SMALL_GROUP_MEMBERS", 0)  # a large group is counted
    assert known() is None
