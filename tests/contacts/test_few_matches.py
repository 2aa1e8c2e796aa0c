"""A search with few matches, counted exactly, reads its page from the matches sorted
(keyset_page's few_matches): the same pages on any database, and on PostgreSQL a plan
that reads the matches from the search's indexes rather than walking the sort's index."""

import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from contacts import pagination
from contacts.filters import SORTS, ContactFilter
from contacts.models import Contact
from contacts.pagination import keyset_page
from contacts.views import listing
from core.planner import planner_settings
from tests.factories import ContactFactory, MobileContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts(db):
    ContactFactory.create_batch(6, last_name="Quist")
    MobileContactFactory.create_batch(3, first_name="Quentin")  # no email: its own region
    ContactFactory.create_batch(5, first_name="Ann", last_name="Berg")


def _searched(q: str = "qu"):
    filterset = ContactFilter(QueryDict(mutable=True) | {"q": q}, queryset=Contact.objects.all())
    assert filterset.is_valid()
    return filterset.qs


def _every_page(few_matches: bool, sort: str, last: bool) -> list[list[int]]:
    pages: list[list[int]] = []
    cursor: dict[str, str] = {}
    while True:
        page = keyset_page(
            _searched(),
            sort=sort,
            limit=2,
            last=last and not cursor,
            few_matches=few_matches,
            after=cursor.get("after", ""),
            before=cursor.get("before", ""),
        )
        pages.append([row.id for row in page])
        following = page.previous_cursor if last else page.next_cursor
        if following is None:
            return pages
        cursor = {"before": following} if last else {"after": following}


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("last", [False, True])
def test_the_pages_are_the_same(contacts, sort, last):
    pages = _every_page(True, sort, last)
    assert pages == _every_page(False, sort, last)
    assert sorted(id_ for page in pages for id_ in page) == sorted(
        _searched().values_list("pk", flat=True)
    )


@pytest.mark.postgres
@pytest.mark.parametrize("q", ["qu", "q", "quist", "@example"])
@pytest.mark.parametrize("sort", ["-id", "email", "last_name", "-created"])
def test_the_matches_come_from_the_search_s_indexes(contacts, q, sort):
    queryset = _searched(q).order_by(sort.replace("created", "created_at").replace("email", "id"))
    sql, params = queryset.values("pk").query.sql_with_params()
    with planner_settings(pagination._MATCHES_FIRST), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan" in plan, plan
    walks = re.findall(r"(?:^|->  )(Seq Scan|Index Scan|Index Only Scan)", plan, re.MULTILINE)
    assert walks == [], plan


@pytest.mark.postgres
def test_the_planner_settings_last_only_for_the_page(contacts):
    with CaptureQueriesContext(connection) as queries:
        keyset_page(_searched(), sort="-id", limit=2, few_matches=True)
    sql = [query["sql"] for query in queries]
    rows = next(i for i, text in enumerate(sql) if '"contacts_contact"."email"' in text)
    assert sql[rows - 1].startswith("SET LOCAL enable_indexscan = off")
    # A test runs in a transaction: the settings are put back after the page, not at its end.
    assert sql[rows + 1].startswith("SET LOCAL enable_indexscan TO DEFAULT")
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_indexscan")
        assert cursor.fetchone()[0] == "on"


def test_the_list_reads_few_matches_only_when_it_counted_them(
    contacts, marketer_client, monkeypatch
):
    asked = []
    real = pagination.keyset_page

    def recorded(*args, **kwargs):
        asked.append(kwargs["few_matches"])
        return real(*args, **kwargs)

    monkeypatch.setattr(listing, "keyset_page", recorded)
    marketer_client.get("/contacts/", {"q": "qu"})  # 9 matches, counted
    marketer_client.get("/contacts/")  # no search: estimated
    marketer_client.get("/contacts/", {"created_from": "2000-01-01"})  # no search
    monkeypatch.setattr(listing, "LIST_COUNT_CAP", 5)
    marketer_client.get("/contacts/", {"q": "qu"})  # more than 5: not counted to the end
    assert asked == [True, False, False, False]
