"""The created range of All Contacts: its condition, and the ids it spans.

IDs grow with creation time, which the planner cannot know: given the id range of a
created range, a newest-first scan starts at its newest contact instead of walking every
contact created since, and a group reads only its members in that range.
"""

import datetime as dt

from django.db import connection
from django.db.models import Max, Min, Q
from django.utils import timezone

from contacts.models import Contact

# Dates outside these bounds would overflow once converted to UTC; no contact is there.
EARLIEST_DAY = dt.date(1900, 1, 1)
LATEST_DAY = dt.date(9999, 1, 1)


def created_range(start: dt.date | None, end: dt.date | None) -> Q:
    """Created on `start` or later and on `end` or earlier (days of the current zone)."""
    condition = Q()
    if start:
        condition &= Q(created_at__gte=_start_of_day(start))
    if end and end < LATEST_DAY:
        condition &= Q(created_at__lt=_start_of_day(end + dt.timedelta(days=1)))
    return condition


def created_ids(start: dt.date | None, end: dt.date | None) -> tuple[int, int] | None:
    """The lowest and highest Contact ID created in the range, or a wider id range that
    holds them all (the condition itself still decides); None: nobody was created then."""
    if connection.vendor == "postgresql":
        return _ids_of_utc_days(start, end)
    in_range = Contact.objects.filter(created_range(start, end)).order_by().values("id")
    # The slice makes the aggregate run over a subquery (a scan of the created range);
    # a plain MIN(id) would walk the primary key instead.
    bounds = in_range[: 2**62].aggregate(low=Min("id"), high=Max("id"))
    return None if bounds["low"] is None else (bounds["low"], bounds["high"])


# The first and last id of each UTC day from `first_day` to `last_day`, clamped to the
# days of the first and last contact (none: no day at all).
_DAYS_SQL = """
    SELECT min(first.id), max(last.id)
    FROM (
        SELECT min({day}) AS low, max({day}) AS high FROM {table}
    ) AS contacts
    CROSS JOIN LATERAL generate_series(
        GREATEST(%s::date, contacts.low), LEAST(%s::date, contacts.high), interval '1 day'
    ) AS days(day)
    CROSS JOIN LATERAL (
        SELECT id FROM {table} WHERE {day} = days.day::date ORDER BY id LIMIT 1
    ) AS first
    CROSS JOIN LATERAL (
        SELECT id FROM {table} WHERE {day} = days.day::date ORDER BY id DESC LIMIT 1
    ) AS last
    WHERE contacts.low IS NOT NULL
"""
# The expression of the index contact_created_day_idx (migration 0007), as it is there.
_UTC_DAY = "(created_at AT TIME ZONE 'UTC')::date"


def _ids_of_utc_days(start: dt.date | None, end: dt.date | None) -> tuple[int, int] | None:
    """The lowest and highest id of the UTC days the range's moments fall on (a day of
    a zone other than UTC touches two): two probes a day of the index
    contact_created_day_idx, so a month costs the same at any table size, where the exact
    bounds would read every id of the range (42,000 in a month of 1,000,000 contacts)."""
    first_day = _utc_day(_start_of_day(start)) if start else EARLIEST_DAY
    last_day = LATEST_DAY
    if end and end < LATEST_DAY:
        last_day = _utc_day(_start_of_day(end + dt.timedelta(days=1)) - dt.timedelta.resolution)
    table = connection.ops.quote_name(Contact._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(_DAYS_SQL.format(table=table, day=_UTC_DAY), [first_day, last_day])
        low, high = cursor.fetchone()
    return None if low is None else (low, high)


def _utc_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(dt.UTC).date()


def _start_of_day(day: dt.date) -> dt.datetime:
    day = min(max(day, EARLIEST_DAY), LATEST_DAY)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
