"""A search with few matches, counted exactly: on PostgreSQL the count also gives their ids
(core.counts.count_in_parts), and All Contacts reads its page of them by primary key
instead of testing the search on each match again. The same pages either way."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from contacts.filters import SORTS, ContactFilter
from contacts.group_filter import ids_in
from contacts.models import Contact
from contacts.pagination import keyset_page
from contacts.views import listing
from core.counts import Total, count_in_parts
from tests.factories import ContactFactory, MobileContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts(db):
    ContactFactory.create_batch(6, last_name="Quist")
    MobileContactFactory.create_batch(3, first_name="Quentin")  # no email: its own region
    ContactFactory.create_batch(5, first_name="Ann", last_name="Berg")


def _filter(**params: str) -> ContactFilter:
    filterset = ContactFilter(QueryDict(mutable=True) | params, queryset=Contact.objects.all())
    assert filterset.is_valid()
    return filterset


def _counted(**params: str) -> tuple[Total, str | None]:
    parts = _filter(**params).count_parts()
    assert parts is not None
    return count_in_parts(parts, 1_000)


def _every_page(queryset, sort: str, last: bool) -> list[list[int]]:
    pages: list[list[int]] = []
    cursor: dict[str, str] = {}
    while True:
        page = keyset_page(
            queryset,
            sort=sort,
            limit=2,
            last=last and not cursor,
            after=cursor.get("after", ""),
            before=cursor.get("before", ""),
        )
        pages.append([row.id for row in page])
        following = page.previous_cursor if last else page.next_cursor
        if following is None:
            return pages
        cursor = {"before": following} if last else {"after": following}


@pytest.mark.postgres
@pytest.mark.parametrize(
    "params", [{"q": "qu"}, {"q": "q"}, {"name": "uis"}, {"q": "qu", "identifier_type": "mobile"}]
)
def test_the_count_gives_the_ids_of_every_match(contacts, params):
    total, ids = _counted(**params)
    matches = set(_filter(**params).qs.values_list("pk", flat=True))
    assert total == Total(len(matches))
    assert ids is not None and sorted(map(int, ids.split(","))) == sorted(matches)


@pytest.mark.postgres
def test_no_ids_past_the_cap_and_none_for_no_match(contacts):
    parts = _filter(q="qu").count_parts()
    assert parts is not None
    assert count_in_parts(parts, 8) == (Total(8, capped=True), None)
    assert count_in_parts(parts, 9) == (Total(9), count_in_parts(parts, 9)[1])
    assert _counted(q="qx") == (Total(0), "")
    assert not Contact.objects.filter(ids_in("")).exists()


def test_only_postgresql_gives_the_ids(contacts):
    total, ids = _counted(q="qu")
    assert total == Total(9)
    assert (ids is not None) == (connection.vendor == "postgresql")


@pytest.mark.postgres
@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("last", [False, True])
def test_the_pages_of_the_ids_are_the_pages_of_the_search(contacts, sort, last):
    _, ids = _counted(q="qu")
    assert ids is not None
    pages = _every_page(Contact.objects.filter(ids_in(ids)), sort, last)
    assert pages == _every_page(_filter(q="qu").qs, sort, last)
    assert len([id_ for page in pages for id_ in page]) == 9


@pytest.mark.postgres
@pytest.mark.parametrize("sort", ["-id", "email", "-created"])
def test_the_page_of_few_matches_is_read_by_primary_key(contacts, marketer_client, sort):
    with CaptureQueriesContext(connection) as queries:
        response = marketer_client.get("/contacts/", {"q": "qu", "sort": sort})
    assert response.status_code == 200
    rows = [q["sql"] for q in queries if '"contacts_contact"."created_at" AS' in q["sql"]]
    assert rows  # by email: the addresses, then the contacts without one (two regions)
    for sql in rows:  # read by id alone: no condition of the search is tested again
        assert '"contacts_contact"."id" = ANY(' in sql, sql
        assert "LIKE" not in sql and "MD5" not in sql, sql


def test_the_list_reads_by_ids_only_when_it_counted_every_match(
    contacts, marketer_client, monkeypatch
):
    read_by_ids = []
    real = keyset_page

    def recorded(queryset, **kwargs):
        read_by_ids.append("= ANY(" in str(queryset.query))
        return real(queryset, **kwargs)

    monkeypatch.setattr(listing, "keyset_page", recorded)
    page = marketer_client.get("/contacts/", {"q": "qu"}).content.decode()  # 9 matches
    assert "1–9 of 9<" in page.replace("\n", "")
    marketer_client.get("/contacts/")  # no search: estimated
    marketer_client.get("/contacts/", {"created_from": "2000-01-01"})  # no search
    monkeypatch.setattr(listing, "LIST_COUNT_CAP", 5)
    marketer_client.get("/contacts/", {"q": "qu"})  # more than 5: not counted to the end
    on_postgresql = connection.vendor == "postgresql"
    assert read_by_ids == [on_postgresql, False, False, False]
