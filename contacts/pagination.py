"""Keyset pagination for All Contacts (its counts are core.counts).

A page is fetched after (or before) the sort value and id of a row, never by OFFSET:
the 1,000th page costs what the first does, and rows inserted or deleted meanwhile
never make a row show twice or be skipped. Rows whose sort value is NULL come after
all others (first when descending), each region paged by its own index.

The page number shown ("Page 3", "26–50 of 60") travels sealed inside the cursor, so
an edited `page` in the URL cannot make the range shown untrue; sealed, not only signed,
because the sort value of a row (an email address) must not be readable in a URL.
"""

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from django.db.models import F, Q, QuerySet
from django.db.models.expressions import Combinable
from django.db.models.functions import Collate, Lower

from contacts.models import Contact
from core.collation import in_reading_order
from core.sealed import seal, unseal

_PURPOSE = "contacts.pagination.cursor"
# A `previous` cursor is sealed for "before" only: sent as "after" it does not open.
_PURPOSE_BEFORE = "contacts.pagination.cursor.before"
# (sort value, id) of the row a page starts after.
Position = tuple[object, int]


@dataclass(frozen=True)
class SortKey:
    """One sortable column: its expression and how to read the value of a row."""

    name: str
    expression: F | Lower | Collate
    nullable: bool = False
    lower: bool = False  # the expression is Lower(field)

    def value_of(self, row: Any) -> object:
        value = getattr(row, self.name)
        return value.lower() if self.lower and value is not None else value


SORT_KEYS = {
    "id": SortKey("id", F("id")),
    "email": SortKey("email", Lower("email"), nullable=True, lower=True),
    "mobile": SortKey("mobile_number", F("mobile_number"), nullable=True),
    "first_name": SortKey("first_name", in_reading_order("first_name")),
    "last_name": SortKey("last_name", in_reading_order("last_name")),
    "created": SortKey("created_at", F("created_at")),
}


@dataclass(frozen=True)
class _Region:
    """A stretch of the order: the rows with a value (ordered by it) or without one."""

    key: SortKey
    with_values: bool
    ascending: bool

    def rows(
        self,
        queryset: QuerySet[Contact],
        after: Position | None,
        limit: int,
        ids_first: bool,
        fields: Sequence[str] | None,
    ) -> list[Any]:
        key, expr = self.key, self.key.expression
        if self.key.nullable:
            queryset = queryset.filter(Q(**{f"{key.name}__isnull": not self.with_values}))
        order: list[str | Combinable] = []
        if self.with_values and key.name != "id":
            order.append(expr.asc() if self.ascending else expr.desc())
        order.append("id" if self.ascending else "-id")
        if after is not None:
            queryset = queryset.filter(self._after(*after))
        ordered = queryset.order_by(*order)
        if ids_first:
            # The page's ids alone (an index-only scan of the sort's index), then its rows.
            ids = ordered.values("pk")[:limit]
            ordered = Contact.objects.filter(pk__in=ids).order_by(*order)
        if fields:
            return list(ordered.values_list(*fields, named=True)[:limit])
        return list(ordered[:limit])

    def _after(self, value: object, last_id: int) -> Q:
        later_id = Q(id__gt=last_id) if self.ascending else Q(id__lt=last_id)
        if not self.with_values or self.key.name == "id":
            return later_id
        # "value >= v" bounds the index scan; only ties with v are filtered by id.
        annotation = "sort_value"
        bound = f"{annotation}__gte" if self.ascending else f"{annotation}__lte"
        return Q(**{bound: value}) & ~(Q(**{annotation: value}) & ~later_id)


def _regions(key: SortKey, ascending: bool) -> list[_Region]:
    if not key.nullable:
        return [_Region(key, True, ascending)]
    regions = [_Region(key, True, ascending), _Region(key, False, ascending)]
    return regions if ascending else regions[::-1]


@dataclass
class Cursor:
    """The sort value and id of the row a page starts after (or ends before), and the
    number of that page. Sealed (core.sealed), and bound to one sort and page size: the page number
    and range shown come from it, so a link cannot be edited into a false range."""

    value: object
    id: int
    number: int  # 1, 2, ... from the start; -1, -2, ... from the end

    def encode(self, *, sort: str, limit: int, before: bool = False) -> str:
        value = self.value.isoformat() if isinstance(self.value, dt.datetime) else self.value
        raw = json.dumps([sort, limit, self.number, value, self.id], separators=(",", ":"))
        return seal(raw.encode(), purpose=_PURPOSE_BEFORE if before else _PURPOSE)

    @classmethod
    def decode(cls, text: str, *, sort: str, limit: int, before: bool = False) -> "Cursor | None":
        """The cursor in a URL, or None if it was tampered with, is malformed or belongs
        to another sort, page size or direction."""
        raw = unseal(text, purpose=_PURPOSE_BEFORE if before else _PURPOSE)
        if raw is None:
            return None
        try:
            cursor_sort, cursor_limit, number, value, row_id = json.loads(raw)
            value = _sort_value(SORT_KEYS[sort.lstrip("-")], value)
        except (ValueError, TypeError, OverflowError, UnicodeDecodeError):
            return None
        valid = (
            (cursor_sort, cursor_limit) == (sort, limit)
            and _is_int(number)
            and number != 0
            and _is_int(row_id)
            and 0 < row_id < 2**63
        )
        return cls(value, row_id, number) if valid else None


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**63


def _sort_value(key: SortKey, value: object) -> object:
    """The sort value of a cursor, checked against its column; ValueError if it cannot be."""
    if value is None:
        if not key.nullable:  # a column that is never empty has no region without values
            raise ValueError("no value")
        return None
    if key.name == "created_at":
        if not isinstance(value, str):
            raise ValueError("not a time")
        at = dt.datetime.fromisoformat(value)
        if at.tzinfo is None:
            raise ValueError("naive time")
        # In UTC here, as the database compares it: a time near year 1 or 9999 that
        # cannot be is refused (OverflowError) instead of failing in the query.
        return at.astimezone(dt.UTC)
    if key.name == "id":
        if not (_is_int(value) and value > 0):
            raise ValueError("not an id")
        return value
    if not isinstance(value, str) or "\x00" in value:
        raise ValueError("not text")
    return value


class InvalidCursor(ValueError):
    """A cursor (`after` or `before`, its `name`) that this list cannot continue from."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


@dataclass
class KeysetPage:
    rows: list[Any]  # Contacts, or named tuples of the `fields` asked for
    next_cursor: str | None
    previous_cursor: str | None
    number: int  # shown only: 1, 2, ... from the start, -1, -2, ... from the end

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def keyset_page(
    queryset: QuerySet[Contact],
    *,
    sort: str,
    limit: int,
    after: str = "",
    before: str = "",
    last: bool = False,
    ids_first: bool = False,
    fields: Sequence[str] | None = None,
    strict: bool = False,
) -> KeysetPage:
    """One page of `queryset` in `sort` order ("-name" descends), after or before a cursor.

    Its number comes from the cursor, or from what the rows show (nothing before them:
    page 1); without a valid cursor it is the first page (the last with `last`).
    `ids_first`: select the page's ids in a subquery, then its rows (for a group read
    member first, contacts.group_filter.in_group); the same rows either way.
    `fields`: the rows are named tuples of these fields (with "id" and the sort's field),
    not Contacts: a page of 100 is read in about two thirds of the time.
    `strict`: a cursor that is not valid (altered, of another sort, page size or
    direction) raises InvalidCursor instead of giving the first page.
    """
    if strict and (after or before):
        name, text = ("before", before) if before else ("after", after)
        if Cursor.decode(text, sort=sort, limit=limit, before=bool(before)) is None:
            raise InvalidCursor(name)
    return _keyset_page(queryset, sort, limit, after, before, last, ids_first, fields)


def _keyset_page(
    queryset: QuerySet[Contact],
    sort: str,
    limit: int,
    after: str,
    before: str,
    last: bool,
    ids_first: bool,
    fields: Sequence[str] | None,
) -> KeysetPage:
    ascending = not sort.startswith("-")
    key = SORT_KEYS[sort.lstrip("-")]
    queryset = queryset.alias(sort_value=key.expression)
    cursor = (
        Cursor.decode(before or after, sort=sort, limit=limit, before=bool(before))
        if before or after
        else None
    )

    def link(row: Any, number: int, *, back: bool = False) -> str:
        position = Cursor(key.value_of(row), row.id, number)
        return position.encode(sort=sort, limit=limit, before=back)

    if cursor is not None and before:
        rows, more = _fetch(queryset, key, not ascending, cursor, limit, ids_first, fields)
        rows.reverse()
        number = cursor.number if more else 1
        page = KeysetPage(rows, None, None, number)
        previous = link(rows[0], previous_number(number), back=True) if more and rows else None
        page.previous_cursor = previous
        page.next_cursor = link(rows[-1], next_number(number)) if rows else None
        return page
    if last and not (before or after):
        rows, more = _fetch(queryset, key, not ascending, None, limit, ids_first, fields)
        rows.reverse()
        page = KeysetPage(rows, None, None, -1 if more else 1)
        page.previous_cursor = link(rows[0], -2, back=True) if more and rows else None
        return page
    if before:
        cursor = None  # a bad "before" cursor: the first page, as for a bad "after"
    rows, more = _fetch(queryset, key, ascending, cursor, limit, ids_first, fields)
    number = 1 if cursor is None else cursor.number if more or cursor.number > 0 else -1
    page = KeysetPage(rows, None, None, number)
    page.next_cursor = link(rows[-1], next_number(number)) if more else None
    previous = link(rows[0], previous_number(number), back=True) if cursor and rows else None
    page.previous_cursor = previous
    return page


def next_number(number: int) -> int:
    """The number of the page after page `number` (-1 stays -1: rows added at the end)."""
    return number + 1 if number != -1 else -1


def previous_number(number: int) -> int:
    """The number of the page before page `number` (1 stays 1: rows added at the start)."""
    return number - 1 if number != 1 else 1


def _fetch(
    queryset: QuerySet[Contact],
    key: SortKey,
    ascending: bool,
    cursor: Cursor | None,
    limit: int,
    ids_first: bool,
    fields: Sequence[str] | None,
) -> tuple[list[Any], bool]:
    regions = _regions(key, ascending)
    start = _region_index(key, ascending, cursor) if cursor is not None else 0
    rows: list[Any] = []
    for index in range(start, len(regions)):
        after = (cursor.value, cursor.id) if cursor is not None and index == start else None
        rows += regions[index].rows(queryset, after, limit + 1 - len(rows), ids_first, fields)
        if len(rows) > limit:
            break
    return rows[:limit], len(rows) > limit


def _region_index(key: SortKey, ascending: bool, cursor: Cursor) -> int:
    with_values = cursor.value is not None
    for index, region in enumerate(_regions(key, ascending)):
        if region.with_values == with_values:
            return index
    return 0
