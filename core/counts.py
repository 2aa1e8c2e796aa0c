"""Counts that stay cheap at millions of rows: estimated for a big unfiltered table,
capped ("more than 10,000", or a caller's smaller cap) when filtered. One query either
way (a count in parts: at most two, each after setting planner options), so a page's
query count does not depend on the table size.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import BooleanField, Func, Q, QuerySet

from core.planner import planner_settings

COUNT_CAP = 10_000  # a filtered count stops here: "more than 10,000"
# Up to this cap the count reads only as far as its last match (a plain LIMIT); a larger
# one is planned for all the matches (see _postgresql_capped_count).
PLAIN_COUNT_CAP = 1_000
ESTIMATE_ABOVE = 100_000  # an unfiltered table larger than this is estimated, not counted
# Below ESTIMATE_ABOVE by the statistics, a table is counted up to this many rows.
EXACT_COUNT_LIMIT = 10 * ESTIMATE_ABOVE


@dataclass(frozen=True)
class Total:
    value: int
    exact: bool = True
    capped: bool = False  # more rows than `value`

    def __str__(self) -> str:
        if self.capped:
            return f"more than {self.value:,}"
        return f"{self.value:,}" if self.exact else f"about {self.value:,}"


@dataclass(frozen=True)
class Parts:
    """The rows of `queryset` that meet any of `conditions`, in disjoint parts
    (disjoint_parts): part i holds the rows that meet condition i and none before it. The
    first `range_count` conditions are each a range of one b-tree index, the others are
    not (a trigram condition)."""

    queryset: QuerySet[Any]
    conditions: Sequence[Q]
    range_count: int

    def part(self, index: int) -> QuerySet[Any]:
        part = self.queryset.filter(self.conditions[index])
        if index:
            part = part.filter(IsNotTrue(reduce(or_, self.conditions[:index])))
        return part


def count_rows(
    queryset: QuerySet[Any], *, filtered: bool, cap: int = COUNT_CAP, parts: Parts | None = None
) -> Total:
    """One query: estimated for a big unfiltered table, capped at `cap` when filtered.
    The same rows in `parts` are counted part after part (_count_in_parts)."""
    if not filtered and connection.vendor == "postgresql":
        return _postgresql_total(queryset.model._meta.db_table)
    if not filtered:
        return Total(queryset.order_by().count())
    if parts is not None and parts.range_count and cap <= PLAIN_COUNT_CAP:
        count, _ = _count_in_parts(parts, cap)
    elif connection.vendor == "postgresql" and cap > PLAIN_COUNT_CAP:
        count = _postgresql_capped_count(queryset, cap)
    else:
        count = queryset.order_by()[: cap + 1].count()
    return Total(cap, capped=True) if count > cap else Total(count)


class IsNotTrue(Func):
    """(condition) IS NOT TRUE: false or unknown. NOT would also leave out the rows where
    the condition is NULL (an address beginning, for a contact without an address)."""

    template = "(%(expressions)s) IS NOT TRUE"
    output_field = BooleanField()


def disjoint_parts(queryset: QuerySet[Any], conditions: Sequence[Q], *, ranges: int) -> Parts:
    """The rows of `queryset` that meet any of `conditions`, as one part per condition
    without the rows of the conditions before it: together, each row once. The first
    `ranges` conditions are each a range of one b-tree index."""
    return Parts(queryset, tuple(conditions), ranges)


def count_in_parts(parts: Parts, cap: int) -> tuple[Total, str | None]:
    """The rows of `parts` counted up to `cap` (_count_in_parts) and, when there are no
    more, their ids as one text ("5,1,9") on PostgreSQL: the caller can then read a page
    of them by primary key instead of testing the search on every match again (None
    elsewhere, or past the cap). The parts must begin with a range (Search.parts)."""
    if not parts.range_count:
        raise ValueError("count_in_parts reads the ranges first: these parts have none")
    count, ids = _count_in_parts(parts, cap, with_ids=True)
    if count > cap:
        return Total(cap, capped=True), None
    return Total(count), ids


def _count_in_parts(parts: Parts, cap: int, *, with_ids: bool = False) -> tuple[int, str | None]:
    """The rows of `parts`, up to `cap` and one more, read part after part (and with
    `with_ids`, their ids where the database gives them: see _count_union).

    On PostgreSQL each range is read in the order of its index, without a bitmap of all its
    matches, a sequential scan or parallel workers (all ruled out for the query): the
    count stops at its last match needed, so it reads about `cap` rows at any table size.
    Only when the ranges hold fewer are the other parts counted, from their bitmaps (no
    sequential scan either). Asked for all the matches at once (a BitmapOr), the planner
    builds the bitmap of every match; with a LIMIT it may instead scan the table and test
    the search on each row, far dearer than it assumes (a term that begins 4% of the
    names: 23,000 rows read at 1,000,000 contacts for "more than 1,000").
    """
    ranges = range(parts.range_count)
    count, ids = _count_union(parts, ranges, cap + 1, _IN_INDEX_ORDER, with_ids)
    others = range(parts.range_count, len(parts.conditions))
    if count <= cap and others:
        more, more_ids = _count_union(parts, others, cap + 1 - count, _NO_SEQUENTIAL_SCAN, with_ids)
        count += more
        ids = None if ids is None or more_ids is None else ",".join(filter(None, (ids, more_ids)))
    return count, ids


# Planner options for one count (SET LOCAL): the ranges read in index order. Each range
# then reads fewer rows than any other index could give it: another index read whole and
# filtered holds the matches in no useful order (a name index, for a name's beginning,
# has the S names after 850,000 others), and an index-only scan of one would be priced as
# if the matches came early.
_IN_INDEX_ORDER = {
    "enable_seqscan": "off",
    "enable_bitmapscan": "off",
    "enable_indexonlyscan": "off",
    "max_parallel_workers_per_gather": "0",
}
_NO_SEQUENTIAL_SCAN = {"enable_seqscan": "off", "max_parallel_workers_per_gather": "0"}


def _count_union(
    parts: Parts, indexes: range, limit: int, options: dict[str, str], with_ids: bool = False
) -> tuple[int, str | None]:
    """The rows of the parts at `indexes`, up to `limit`, in one query (a UNION ALL); with
    `with_ids` on PostgreSQL, their ids too, as one text ("" for none): read in the same
    scan, sent as one value rather than a row each."""
    union = _union_sql(parts, indexes) if connection.vendor == "postgresql" else None
    if union is None:
        ids = [parts.part(i).order_by().values("pk") for i in indexes]
        limited = ids[0].union(*ids[1:], all=True)[:limit]
        with planner_settings(options):
            return limited.count(), None
    sql, params = union
    pk = connection.ops.quote_name(parts.queryset.model._meta.pk.column)
    listed = f"coalesce(string_agg(matches.{pk}::text, ','), '')" if with_ids else "NULL"
    with planner_settings(options), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), {listed} FROM ({sql} LIMIT %s) matches",  # noqa: S608 (quoted names)
            [*params, limit],
        )
        count, text = cursor.fetchone()
        return int(count), text


def _union_sql(parts: Parts, indexes: range) -> tuple[str, list[Any]] | None:
    """The ids of the parts at `indexes` as one UNION ALL, each condition compiled once
    (through the ORM, part i repeats the i conditions before it: a search of five parts
    compiled fifteen, a few milliseconds of every request that counts it). None where
    the ORM must write it: a query with a join, or a condition that matches every row
    or none."""
    query = parts.queryset.query.chain()
    model = parts.queryset.model
    if query.alias_map and list(query.alias_map) != [model._meta.db_table]:
        return None  # a join, or the table under another name
    compiler = query.get_compiler(connection=connection)
    try:
        base = [compiler.compile(query.where)] if query.where.children else []
        each = [compiler.compile(query.build_where(c)) for c in parts.conditions]
    except (EmptyResultSet, FullResultSet):
        return None
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    select = f"SELECT {table}.{quote(model._meta.pk.column)} FROM {table} WHERE "  # noqa: S608 (quoted names of the model)
    selects, params = [], []
    for index in indexes:
        earlier = each[:index]
        where = [*base, each[index]]
        if earlier:
            either = " OR ".join(sql for sql, _ in earlier)
            where.append((f"({either}) IS NOT TRUE", [p for _, ps in earlier for p in ps]))
        selects.append(f"({select}{' AND '.join(f'({sql})' for sql, _ in where)})")
        params += [p for _, ps in where for p in ps]
    return " UNION ALL ".join(selects), params


def _postgresql_capped_count(queryset: QuerySet[Any], cap: int) -> int:
    """The matches, up to a large cap and one more, counted in one query.

    The matches are planned as a whole (MATERIALIZED) and read only up to the cap. With
    the LIMIT in the same query the planner hopes to find the cap's worth of rows early
    in a sequential scan; for a broad search (a domain a fifth of the contacts share) it
    then evaluates the search on five times as many rows as the indexes would give it,
    and those text functions cost far more than it assumes. Planned as a whole, though,
    the indexes give every match (a bitmap of them all) before the first is counted: a
    cost that grows with the table. Up to PLAIN_COUNT_CAP a plain LIMIT reads few enough
    rows either way, and stops at the last match it needs.
    """
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH matches AS MATERIALIZED ({sql}) "  # noqa: S608  (SQL compiled by Django)
            "SELECT count(*) FROM (SELECT 1 FROM matches LIMIT %s) capped",
            [*params, cap + 1],
        )
        return int(cursor.fetchone()[0])


def _postgresql_total(table: str) -> Total:
    """The planner's row estimate, or an exact count when the table is small: one query
    either way, so the page's query count does not depend on the table size."""
    sql, params = total_sql(table)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        value, small = cursor.fetchone()
    # A count that reached its limit: the statistics were far behind the table.
    return Total(int(value), exact=small and value < EXACT_COUNT_LIMIT)


def total_sql(table: str) -> tuple[str, list[int | str]]:
    """The query of _postgresql_total. Its count is planned even when the estimate is
    used, and a plan's cost includes it: counting a whole big table cost enough for
    PostgreSQL to compile the query (JIT, past jit_above_cost), 5 ms for the estimate
    of 10,000,000 events. Counting at most EXACT_COUNT_LIMIT rows keeps that cost the
    same at any size."""
    quoted = connection.ops.quote_name(table)
    sql = f"""
        SELECT CASE WHEN reltuples < %s
                    THEN (SELECT count(*) FROM (SELECT FROM {quoted} LIMIT %s) counted)
                    ELSE reltuples::bigint END,
               reltuples < %s
        FROM pg_class WHERE oid = %s::regclass
    """  # noqa: S608  (a quoted table name of our own model)
    return sql, [ESTIMATE_ABOVE, EXACT_COUNT_LIMIT, ESTIMATE_ABOVE, table]
