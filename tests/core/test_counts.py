"""Capped counts: the same figures whichever way the database is asked."""

import json
from functools import reduce
from operator import or_

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from contacts.models import Contact
from core import counts
from core.counts import Total, count_rows
from tests.factories import ContactFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("plain_up_to", [0, 1_000])  # a large cap, then a small one
def test_a_filtered_count_is_exact_up_to_the_cap_and_capped_above(monkeypatch, plain_up_to):
    monkeypatch.setattr(counts, "PLAIN_COUNT_CAP", plain_up_to)
    ContactFactory.create_batch(5, last_name="Same")
    ContactFactory(last_name="Other")
    same = Contact.objects.filter(last_name="Same")
    assert count_rows(same, filtered=True, cap=5) == Total(5)
    assert count_rows(same, filtered=True, cap=4) == Total(4, capped=True)
    assert str(count_rows(same, filtered=True, cap=4)) == "more than 4"
    assert count_rows(same.none(), filtered=True, cap=4) == Total(0)


def test_the_default_cap_is_ten_thousand():
    ContactFactory.create_batch(2)
    assert count_rows(Contact.objects.filter(pk__gt=0), filtered=True) == Total(2)
    assert counts.COUNT_CAP == 10_000


@pytest.mark.postgres
def test_a_small_cap_reads_only_to_its_last_match_and_a_large_one_plans_all(monkeypatch):
    ContactFactory.create_batch(3)
    queryset = Contact.objects.filter(pk__gt=0)
    for cap, materialized in ((counts.PLAIN_COUNT_CAP, False), (counts.COUNT_CAP, True)):
        with CaptureQueriesContext(connection) as ctx:
            assert count_rows(queryset, filtered=True, cap=cap) == Total(3)
        (sql,) = [q["sql"] for q in ctx.captured_queries]
        assert ("MATERIALIZED" in sql) is materialized
        assert f"LIMIT {cap + 1}" in sql


def _counted_in_parts(queryset, conditions, *, ranges: int = 1, cap: int = 10):
    parts = counts.disjoint_parts(queryset, conditions, ranges=ranges)
    with CaptureQueriesContext(connection) as ctx:
        total = count_rows(
            queryset.filter(reduce(or_, conditions)), filtered=True, cap=cap, parts=parts
        )
    return total, [q["sql"] for q in ctx.captured_queries if "count(" in q["sql"].lower()]


@pytest.mark.postgres
def test_parts_are_counted_in_one_union_with_each_condition_written_once():
    ContactFactory(first_name="Ann", last_name="Smith")
    ContactFactory(first_name="Sam", last_name="Ann")
    ContactFactory(first_name="Bob", last_name="Bell")
    conditions = [Q(first_name="Ann"), Q(last_name="Ann"), Q(last_name="Smith"), Q(pk__gt=0)]
    total, (sql,) = _counted_in_parts(Contact.objects.all(), conditions, ranges=4)
    assert total == Total(3)
    assert sql.count("UNION ALL") == 3
    assert sql.count("IS NOT TRUE") == 3  # the earlier conditions, once per part
    # The parts keep to the filtered rows; a cap stops the count.
    assert _counted_in_parts(Contact.objects.exclude(first_name="Bob"), conditions, ranges=4)[
        0
    ] == Total(2)
    assert _counted_in_parts(Contact.objects.all(), conditions, ranges=4, cap=2)[0] == Total(
        2, capped=True
    )


@pytest.mark.postgres
def test_parts_with_a_join_or_a_condition_of_no_rows_are_counted_through_the_orm():
    member = ContactFactory(first_name="Ann")
    ContactFactory(first_name="Ann")
    MembershipFactory(contact=member)
    joined = Contact.objects.filter(memberships__group__name__isnull=False)
    total, sqls = _counted_in_parts(joined, [Q(first_name="Ann"), Q(last_name="x")])
    assert total == Total(1)
    assert sqls and all("JOIN" in sql for sql in sqls)  # the ranges, then the others
    nothing = [Q(first_name="Ann"), Q(pk__in=[])]
    assert _counted_in_parts(Contact.objects.all(), nothing)[0] == Total(2)


def _plan_cost(sql: str, params: list[int | str]) -> float:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return float(plan[0]["Plan"]["Total Cost"])


@pytest.mark.postgres
def test_the_whole_table_count_is_exact_below_its_limit_and_its_plan_costs_no_more(monkeypatch):
    """The count is planned even when the estimate is used, and past jit_above_cost the
    planner compiles the query (5 ms for the estimate of 10,000,000 events): counting at
    most EXACT_COUNT_LIMIT rows keeps the plan's cost below that at any size."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE counted_rows AS SELECT g FROM generate_series(1, 50000) g"
        )
        cursor.execute("ANALYZE counted_rows")
    assert counts._postgresql_total("counted_rows") == Total(50_000, exact=True)

    unbounded = _plan_cost(*_with_limit(monkeypatch, 10**9))
    bounded = _plan_cost(*_with_limit(monkeypatch, 500))
    assert bounded < unbounded / 10

    # Statistics far behind the table: the count stops at the limit, and says so.
    monkeypatch.setattr(counts, "EXACT_COUNT_LIMIT", 500)
    assert counts._postgresql_total("counted_rows") == Total(500, exact=False)


def _with_limit(monkeypatch, limit: int) -> tuple[str, list[int | str]]:
    monkeypatch.setattr(counts, "EXACT_COUNT_LIMIT", limit)
    return counts.total_sql("counted_rows")
