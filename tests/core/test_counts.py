"""Capped counts: the same figures whichever way the database is asked."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import Contact
from core import counts
from core.counts import Total, count_rows
from tests.factories import ContactFactory

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
