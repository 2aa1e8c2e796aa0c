"""Set-based reads and writes of many rows at once: on PostgreSQL one statement per chunk
(arrays as parameters, COPY for the writes), Django's batched queries elsewhere (SQLite: same
results)."""

import hashlib
import zlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

import psycopg
from django.db import connection, transaction
from django.db.models import Field, Model, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import MD5, Lower

from contacts.models import Contact

_M = TypeVar("_M", bound=Model)
BATCH = 500  # values per IN (...) where arrays are not available


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def batches(values: Sequence[Any], size: int | None = None) -> Iterable[Sequence[Any]]:
    """Slices of `values` small enough for one IN (...) (PostgreSQL takes 65,535 params)."""
    size = size or (10_000 if _postgres() else BATCH)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def id_sets(ids: Sequence[int]) -> Iterable[Any]:
    """What `<column>__in` takes to name these ids: on PostgreSQL all of them in one array
    parameter (a 10,000-item IN (...) list costs more to send and plan than to run), elsewhere
    slices small enough for one IN (...)."""
    if not ids:
        return
    if _postgres():
        # Fixed SQL; the ids travel as one array parameter.
        yield RawSQL("SELECT unnest(%s::bigint[])", [int_array(ids)])  # noqa: S611
        return
    yield from batches(ids)


def int_array(ids: Iterable[int]) -> str:
    """PostgreSQL's text form of an array of whole numbers, for a `%s::bigint[]` parameter:
    made in one join, where the driver adapts a list item by item in Python (2 ms of CPU
    for 2,000 ids, against 0.5)."""
    return "{" + ",".join(map(str, map(int, ids))) + "}"


def text_array(values: Iterable[str]) -> str | list[str]:
    """PostgreSQL's text form of an array of strings, for a `%s::text[]` parameter: every
    item quoted, its backslashes and double quotes escaped, by a few string-wide
    replacements instead of psycopg's item by item adaptation (7 ms of CPU for 4,000
    emails, against well under 1).
    The items are joined with NUL, which no stored value holds (PostgreSQL's text cannot);
    in the unexpected case that one does, the list itself is returned, for psycopg."""
    items = list(values)
    joined = "\x00".join(items)
    if joined.count("\x00") != max(len(items) - 1, 0):
        return items
    if not items:
        return "{}"
    escaped = joined.replace("\\", "\\\\").replace('"', '\\"').replace("\x00", '","')
    return '{"' + escaped + '"}'


# The first key of the advisory locks that serialize the writes of new identifiers.
_IDENTIFIER_LOCKS = 0x1D3C7


def lock_identifiers(kinds: Iterable[str]) -> None:
    """Wait for, and hold until the transaction ends, the lock of each kind of identifier
    (email, mobile_number, ...) that the caller is about to look up and write.

    Taken before reading which identifiers exist: two imports of the same new addresses
    would each read "none", and the second insert would fail on the unique index once the
    first commits. Held, the second reads after the first committed and updates what the
    first created, as if they had run one after the other. One lock per kind, taken in
    one order, so that two writers never wait for each other; a no-op off PostgreSQL,
    where a writer holds the whole database."""
    if not _postgres():
        return
    if not connection.in_atomic_block:
        raise RuntimeError("lock_identifiers needs a transaction: the lock ends with it.")
    keys = {zlib.crc32(kind.encode()) & 0x7FFFFFFF for kind in kinds}
    with connection.cursor() as cursor:
        for key in sorted(keys):  # one statement each: their order is then certain
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_IDENTIFIER_LOCKS, key])


def _digests(values: Iterable[str]) -> list[str]:
    return [hashlib.md5(v.encode(), usedforsecurity=False).hexdigest() for v in values]


def contacts_holding(
    *,
    emails: set[str],
    mobiles: set[str],
    aliases: set[str],
    external_ids: set[str],
    fields: Sequence[str],
    lock: bool = True,
) -> list[dict[str, Any]]:
    """The contacts holding any of these identifiers, as {field: value} of `fields` (dicts:
    a model instance costs ten times more to build, a million times), locked unless a
    validation only reads, in Contact ID order (so that two imports lock in the same order
    and never deadlock). Emails in lower case."""
    if _postgres():
        parts, params = [], []
        if emails:
            parts.append("SELECT id FROM contacts_contact WHERE lower(email) = ANY(%s::text[])")
            params.append(text_array(sorted(emails)))
        if mobiles:
            parts.append("SELECT id FROM contacts_contact WHERE mobile_number = ANY(%s::text[])")
            params.append(text_array(sorted(mobiles)))
        if aliases:
            # Through the MD5 index that keeps aliases unique (contacts.filters.alias_is).
            parts.append(
                "SELECT id FROM contacts_contact WHERE md5(app_alias) = ANY(%s::text[]) "
                "AND app_alias = ANY(%s::text[])"
            )
            params += [text_array(_digests(sorted(aliases))), text_array(sorted(aliases))]
        if external_ids:
            # Through the partial MD5 index (contacts' contact_external_id_md5_idx).
            parts.append(
                "SELECT id FROM contacts_contact WHERE external_id <> '' "
                "AND md5(external_id) = ANY(%s::text[]) AND external_id = ANY(%s::text[])"
            )
            params += [
                text_array(_digests(sorted(external_ids))),
                text_array(sorted(external_ids)),
            ]
        if not parts:
            return []
        quote = connection.ops.quote_name
        columns = ", ".join(quote(_column(Contact._meta.get_field(name))) for name in fields)  # type: ignore[arg-type]
        # The ids first, as one array (an InitPlan: each part by its index), then the rows
        # by primary key. Written as `id IN (...)`, the planner joined the parts' ids with
        # the table through a bitmap scan, 3 to 4 times slower for 4,000 emails of a
        # million contacts.
        sql = (
            f"SELECT {columns} FROM contacts_contact "  # noqa: S608 (the model's own names)
            f"WHERE id = ANY(ARRAY({' UNION '.join(parts)})) "
            f"ORDER BY id{' FOR UPDATE' if lock else ''}"
        )
        # Bound server-side: Django's cursor would quote thousands of values into the SQL
        # text in Python, which costs more than the query.
        with transaction.atomic(), connection.wrap_database_errors, _bound_cursor() as cursor:
            # The index probes, never a table scan: the planner prices lower() on every
            # row far below its cost, and below a few hundred thousand contacts it scanned
            # the table for 4,000 addresses (150-190 ms a chunk, against 20 at 1,000,000).
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(sql, params)
            holders = [dict(zip(fields, row, strict=True)) for row in cursor.fetchall()]
            cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")  # not for the chunk's writes
            return holders
    found: dict[int, dict[str, Any]] = {}
    conditions = [Q(email_lower__in=b) for b in batches(sorted(emails))]
    conditions += [Q(mobile_number__in=b) for b in batches(sorted(mobiles))]
    conditions += [
        Q(app_alias_md5__in=_digests(b), app_alias__in=b) for b in batches(sorted(aliases))
    ]
    conditions += [
        ~Q(external_id="") & Q(external_id_md5__in=_digests(b), external_id__in=b)
        for b in batches(sorted(external_ids))
    ]
    for condition in conditions:
        rows = Contact.objects.alias(
            email_lower=Lower("email"),
            app_alias_md5=MD5("app_alias"),
            external_id_md5=MD5("external_id"),
        )
        for contact in rows.filter(condition).values(*fields):
            found[contact["id"]] = contact
    return [found[pk] for pk in sorted(found)]


def update_columns(
    model: type[Model], ids: Sequence[int], columns: Mapping[str, Sequence[Any]]
) -> None:
    """Set each named field of the rows with these primary keys to the value at the same
    position: on PostgreSQL the values are COPied into a temporary table and written by
    one UPDATE ... FROM it (COPY formats rows in C, three times faster than binding the
    same values as arrays); elsewhere bulk_update."""
    if not ids or not columns:
        return
    meta = model._meta
    if not _postgres():
        objects = [
            model(pk=pk, **{name: values[i] for name, values in columns.items()})
            for i, pk in enumerate(ids)
        ]
        model._default_manager.bulk_update(objects, list(columns), batch_size=BATCH)
        return
    concrete: list[Field[Any, Any]] = [meta.get_field(name) for name in columns]  # type: ignore[misc]
    pk: Field[Any, Any] = meta.pk
    quote = connection.ops.quote_name
    table, key = quote(meta.db_table), quote(_column(pk))
    stage = quote(f"import_stage_{meta.db_table}")
    typed = ", ".join(f"{quote(_column(f))} {_db_type(f)}" for f in [pk, *concrete])
    assignments = ", ".join(f"{quote(_column(f))} = t.{quote(_column(f))}" for f in concrete)
    # Fixed SQL from the model's own names; the values travel by COPY.
    with transaction.atomic(), connection.wrap_database_errors, _bound_cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE {stage} ({typed}) ON COMMIT DROP")
        _copy(cursor, stage, [pk, *concrete], zip(ids, *columns.values(), strict=True))
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM {stage} AS t "  # noqa: S608
            f"WHERE {table}.{key} = t.{key}"
        )
        cursor.execute(f"DROP TABLE {stage}")


def insert_columns(model: type[Model], rows: Sequence[dict[str, Any]]) -> None:
    """Insert one row per {field attname: value} (a missing field takes its default) and
    put each new primary key into its dict under "id": on PostgreSQL the keys are taken
    from the table's sequence first and the rows COPied straight into the table; elsewhere
    bulk_create."""
    if not rows:
        return
    meta = model._meta
    pk: Field[Any, Any] = meta.pk
    columns: list[Field[Any, Any]] = [f for f in meta.concrete_fields if f is not pk]
    defaults = {f.attname: f.get_default() for f in columns}
    if not _postgres():
        objects = [model(**{**defaults, **row}) for row in rows]
        model._default_manager.bulk_create(objects, batch_size=BATCH)
        for row, obj in zip(rows, objects, strict=True):
            row["id"] = obj.pk
        return
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.wrap_database_errors, _bound_cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [quote(meta.db_table), _column(pk), len(rows)],
        )
        for row, (new_id,) in zip(rows, cursor.fetchall(), strict=True):
            row["id"] = new_id
        names = [f.attname for f in columns]
        values = ([row["id"], *(row.get(n, defaults[n]) for n in names)] for row in rows)
        _copy(cursor, quote(meta.db_table), [pk, *columns], values)


def _copy(cursor: Any, table: str, fields: list[Field[Any, Any]], rows: Iterable[Any]) -> None:
    names = ", ".join(connection.ops.quote_name(_column(f)) for f in fields)
    with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def update_rows(model: type[_M], objects: Sequence[_M], fields: Sequence[str]) -> None:
    """Write `fields` of these (already changed) objects, as update_columns does."""
    if not objects or not fields:
        return
    if not _postgres():
        model._default_manager.bulk_update(objects, list(fields), batch_size=BATCH)
        return
    meta = model._meta
    columns = {
        name: [meta.get_field(name).value_from_object(obj) for obj in objects]  # type: ignore[union-attr]
        for name in fields
    }
    update_columns(model, [obj.pk for obj in objects], columns)


def _bound_cursor() -> Any:
    """A psycopg cursor on Django's connection, for COPY (which Django's cursor does not
    offer). The values are the model fields' Python values (text, numbers, dates, times),
    which psycopg adapts as Django would."""
    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


def _db_type(field: Field[Any, Any]) -> str:
    db_type = field.db_type(connection) or "text"
    # A column type such as "integer CHECK (...)" without its check; varchar(n) stays.
    return db_type.split(" CHECK")[0]


def insert_rows(model: type[_M], objects: Sequence[_M]) -> None:
    """Insert new objects and set their primary keys, as insert_columns does."""
    if not objects:
        return
    if not _postgres():
        model._default_manager.bulk_create(objects, batch_size=BATCH)
        return
    meta = model._meta
    # pre_save is not run: the caller sets auto_now fields (created_at, updated_at) itself.
    fields = [f for f in meta.concrete_fields if f is not meta.pk]
    rows = [{f.attname: f.value_from_object(obj) for f in fields} for obj in objects]
    insert_columns(model, rows)
    for obj, row in zip(objects, rows, strict=True):
        obj.pk = row["id"]
        obj._state.adding = False
        obj._state.db = connection.alias


def _column(field: Field[Any, Any]) -> str:
    return field.column or field.attname
