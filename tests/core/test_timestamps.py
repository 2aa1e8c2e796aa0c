"""PostgreSQL timestamps are read by psycopg's loader (core.timestamps): the same datetimes
as Django's own loader gave, in UTC with datetime.UTC as their tzinfo."""

import datetime as dt
from collections.abc import Sequence

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from psycopg.pq import Format

from contacts.models import Contact
from core import timestamps
from tests.factories import ContactFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TIMESTAMPTZ = psycopg.adapters.types["timestamptz"].oid
LITERALS = [
    "2026-03-29 01:30:00.123456+00",
    "2026-03-29 03:30:00+02",  # another zone: the same instant in UTC
    "2026-10-25 01:59:59.999999-09:30",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
    "2000-02-29 12:00:00+14",
    None,
]
BEYOND = ["infinity", "-infinity", "0044-03-15 12:00:00+00 BC"]


def _read(sql: str, params: Sequence[str | None], *, django_loader: bool = False) -> list[object]:
    with connection.cursor() as cursor:
        if django_loader:  # what Django registers on every connection
            register_tzloader(connection.timezone, cursor.cursor)
        loader = cursor.cursor.adapters.get_loader(TIMESTAMPTZ, Format.TEXT)
        assert (loader is timestamps.UtcTimestampLoader) is not django_loader
        cursor.execute(sql, params)
        row = cursor.fetchone()
        assert row is not None
        return list(row)


def test_the_connection_reads_timestamps_with_psycopg_s_loader():
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(TIMESTAMPTZ, Format.TEXT)
    assert loader is timestamps.UtcTimestampLoader
    assert timestamps.applies(connection)


def test_the_values_are_those_of_django_s_loader():
    sql = "SELECT " + ", ".join(["%s::timestamptz"] * len(LITERALS))
    ours = _read(sql, LITERALS)
    django = _read(sql, LITERALS, django_loader=True)
    assert ours == django
    for mine, theirs in zip(ours, django, strict=True):
        if theirs is None:
            assert mine is None
            continue
        assert isinstance(mine, dt.datetime)
        assert mine.tzinfo is dt.UTC
        assert repr(mine) == repr(theirs)
    assert ours[1] == dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize("literal", BEYOND)
def test_a_time_python_cannot_hold_fails_as_with_django_s_loader(literal):
    with pytest.raises(Exception) as django_error:  # noqa: PT011 (compared below)
        _read("SELECT %s::timestamptz", [literal], django_loader=True)
    with pytest.raises(Exception) as ours:  # noqa: PT011
        _read("SELECT %s::timestamptz", [literal])
    assert type(ours.value) is type(django_error.value)


def test_a_model_s_times_come_back_as_saved():
    at = dt.datetime(2026, 3, 29, 1, 30, 0, 654321, tzinfo=dt.UTC)
    contact = ContactFactory()
    Contact.objects.filter(pk=contact.pk).update(created_at=at)
    read = Contact.objects.get(pk=contact.pk).created_at
    assert read == at
    assert read.tzinfo is dt.UTC


def test_not_for_a_database_with_its_own_time_zone():
    wrapper = connection.copy()
    wrapper.settings_dict = {**wrapper.settings_dict, "TIME_ZONE": "Europe/Berlin"}
    assert not timestamps.applies(wrapper)
