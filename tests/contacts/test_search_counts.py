"""A search's capped count read in parts, index by index (core.counts.count_rows with
parts): the same figure as counting the matches at once, on SQLite and on PostgreSQL."""

import re

import pytest
from django.db import connection
from django.http import QueryDict

from contacts.filters import ContactFilter
from contacts.models import Contact
from core.counts import Total, count_rows
from tests.factories import ContactFactory, GroupFactory, MembershipFactory, MobileContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def overlapping(db):
    """Contacts that match "sc" in one way or in several, and some that do not."""
    made = [
        ContactFactory(email="scott@example.com", first_name="Ann", last_name="Berg"),
        ContactFactory(email="ann@scandic.example", first_name="Ann", last_name="Berg"),
        # matches by address, first name and last name: counted once
        ContactFactory(email="scully@example.com", first_name="Scarlett", last_name="Schmidt"),
        ContactFactory(email="bo@example.com", first_name="Scott", last_name="Berg"),
        ContactFactory(email="cy@example.com", first_name="Cy", last_name="Schulz"),
        # no address: the address conditions are NULL for it, not false
        MobileContactFactory(first_name="Dee", last_name="Schneider"),
        MobileContactFactory(first_name="Scout", last_name="Schwarz"),
        ContactFactory(email="zed@example.com", first_name="Zed", last_name="Zulu"),
        MobileContactFactory(first_name="Eve", last_name="Lang"),
    ]
    return made


def _filter(**params: str) -> ContactFilter:
    filterset = ContactFilter(QueryDict(mutable=True) | params, queryset=Contact.objects.all())
    assert filterset.is_valid()
    return filterset


def _matches(filterset: ContactFilter) -> set[int]:
    return set(filterset.qs.values_list("pk", flat=True))


PARAMS = [
    {"q": "sc"},
    {"q": "s"},
    {"q": "SC"},
    {"q": "sch"},  # a range of addresses, then "contains" in the names
    {"q": "schm"},
    {"name": "sc"},
    {"name": "s"},
    {"name": "sch"},  # the beginnings of the names, then "contains"
    {"name": "CHM"},  # "contains" only: no name begins with it
    {"email": "sc"},
    {"q": "qx"},
    {"q": "sc", "name": "sch"},  # the other search filters the parts
    {"q": "sc", "identifier_type": "mobile"},
]


@pytest.mark.parametrize("params", PARAMS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()))
def test_a_count_in_parts_is_the_count_of_the_matches_at_any_cap(overlapping, params):
    filterset = _filter(**params)
    matches = _matches(filterset)
    parts = filterset.count_parts()
    for cap in range(len(matches) + 2):
        expected = Total(cap, capped=True) if len(matches) > cap else Total(len(matches))
        assert count_rows(filterset.qs, filtered=True, cap=cap, parts=parts) == expected, cap


@pytest.mark.parametrize("params", PARAMS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()))
def test_the_parts_hold_each_match_once_and_nothing_else(overlapping, params):
    filterset = _filter(**params)
    parts = filterset.count_parts()
    if parts is None:
        return  # no range to read in order: counted at once
    every_part = [parts.part(i) for i in range(len(parts.conditions))]
    ids = [pk for part in every_part for pk in part.values_list("pk", flat=True)]
    assert sorted(ids) == sorted(_matches(filterset))


def test_only_a_search_with_ranges_is_counted_in_parts(overlapping):
    assert _filter(q="sc").count_parts() is not None
    assert _filter(name="sc").count_parts() is not None
    # "Contains" (three letters or more) has a trigram index only, read in no order; the
    # beginnings of the names it includes are ranges, counted first.
    names = _filter(name="sch").count_parts()
    assert names is not None
    assert (names.range_count, len(names.conditions) - names.range_count) == (2, 2)
    mixed = _filter(q="sch").count_parts()
    assert mixed is not None
    assert len(mixed.conditions) - mixed.range_count == 2  # first and last name
    assert _filter(identifier_type="mobile").count_parts() is None


def test_a_part_of_a_name_is_found_as_before(overlapping):
    """The beginnings counted first change no row that "contains" finds."""
    found = _matches(_filter(name="chm"))
    assert found == {overlapping[2].pk}  # Schmidt
    assert _matches(_filter(name="sch")) == {overlapping[i].pk for i in (2, 4, 5, 6)}


def test_a_count_in_parts_keeps_to_the_group(overlapping):
    group = GroupFactory()
    for contact in overlapping[:3]:
        MembershipFactory(group=group, contact=contact)
    filterset = _filter(q="sc", group=str(group.pk))
    assert _matches(filterset) == {c.pk for c in overlapping[:3]}
    assert count_rows(filterset.qs, filtered=True, parts=filterset.count_parts()) == Total(3)


def test_the_list_says_the_count_of_a_short_search(marketer_client, overlapping, monkeypatch):
    from contacts.views import listing

    page = marketer_client.get("/contacts/", {"q": "sc"}).content.decode()
    assert re.search(r"1–7\s+of 7<", page)
    monkeypatch.setattr(listing, "LIST_COUNT_CAP", 6)
    page = marketer_client.get("/contacts/", {"q": "sc"}).content.decode()
    assert "of more than 6" in page
    monkeypatch.setattr(listing, "LIST_COUNT_CAP", 7)
    assert "of 7<" in marketer_client.get("/contacts/", {"q": "sc"}).content.decode()


@pytest.mark.postgres
def test_the_planner_options_of_a_count_in_parts_end_with_it(overlapping):
    filterset = _filter(q="sch")  # both steps: the ranges, then "contains" in the names
    assert len(_matches(filterset)) == 4
    assert count_rows(filterset.qs, filtered=True, parts=filterset.count_parts()) == Total(4)
    with connection.cursor() as cursor:
        for name in ("enable_seqscan", "enable_bitmapscan", "enable_indexonlyscan"):
            cursor.execute(f"SHOW {name}")
            assert cursor.fetchone()[0] == "on", name
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] != "0"
