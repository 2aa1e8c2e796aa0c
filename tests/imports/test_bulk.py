"""The array parameters of imports.bulk, read back by PostgreSQL as the values given."""

import pytest
from django.db import connection

from imports.bulk import int_array, text_array

TRICKY = [
    "anna@example.com",
    "",
    "NULL",
    "null",
    'a "quoted" word',
    "back\\slash",
    "two\\\\slashes",
    '\\"',
    "comma, {braces} and ;",
    " spaced ",
    "Zoë Ölçer 名前",
    "'",
    "tab\tnew\nline\r",
    "x" * 3000,
]


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("values", [TRICKY, [], [""], ["NULL"], ["a"]])
def test_a_text_array_reads_back_as_the_values(values):
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::text[]", [text_array(values)])
        assert cursor.fetchone()[0] == values


@pytest.mark.postgres
@pytest.mark.django_db
def test_an_int_array_reads_back_as_the_ids():
    ids = [1, 2, 9_000_000_000, 0, -5]
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::bigint[]", [int_array(ids)])
        assert cursor.fetchone()[0] == ids


def test_a_value_with_a_nul_is_left_to_the_driver():
    # PostgreSQL's text cannot hold NUL, so the driver says so, as it did before.
    assert text_array(["a", "b\x00c"]) == ["a", "b\x00c"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_lookup_finds_the_holders_and_leaves_the_planner_as_it_was():
    from django.db import transaction

    from imports.bulk import contacts_holding
    from tests.factories import ContactFactory

    anna = ContactFactory(email="anna@example.com")
    ContactFactory(email="bob@example.com")
    with transaction.atomic():  # as in an import's chunk, whose writes follow
        found = contacts_holding(
            emails={"anna@example.com", "nobody@example.com"},
            mobiles=set(),
            aliases=set(),
            external_ids=set(),
            fields=["id", "email"],
            lock=True,
        )
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone()[0] == "on"
    assert found == [{"id": anna.pk, "email": "anna@example.com"}]
