"""Model rows read with SQL written out, for the few small queries every page runs.

Building a queryset and compiling it costs a few tenths of a millisecond each time, often
more than the query itself takes in the database. The SELECT list here is the model's
concrete columns, in order, and each value passes the field's own converters, so the
instances are those the ORM would give.
"""

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, TypeVar, cast

from django.db import connections, router
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)
Converters = list[tuple[int, Any, list[Callable[..., Any]]]]  # index, column, functions


def select_models(
    model: type[M], tail: str, params: Sequence[Any], *, related: str | None = None
) -> list[M]:
    """Instances of `model` from `SELECT <its columns> FROM <its table> {tail}` ("WHERE
    ... ORDER BY ... LIMIT ...", naming columns as `column` does). `related` names a
    foreign key, or the reverse of a one-to-one field, read along as select_related
    reads it: its model joined (LEFT OUTER JOIN), its instance (or None) cached on each
    row (and, one-to-one, the row cached on it)."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    columns, names, converters = _columns(model, alias)
    sql = f"SELECT {columns}"
    if related is not None:
        key = cast(Any, model._meta.get_field(related))
        target: type[Model] = key.related_model
        if key.concrete:  # a foreign key of the model
            on = f"{column(model, related)} = {column(target, key.target_field.name)}"
            back = key.remote_field.set_cached_value if key.unique else None
        else:  # the reverse of a one-to-one field of the target
            on = f"{column(target, key.field.name)} = {column(model, key.field.target_field.name)}"
            back = key.field.set_cached_value
        target_columns, target_names, target_converters = _columns(target, alias)
        sql += f", {target_columns} FROM {table(model)} LEFT OUTER JOIN {table(target)} ON {on}"
    else:
        sql += f" FROM {table(model)}"
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} {tail}", params)
        rows = cursor.fetchall()
    width = len(names)
    found = [
        model.from_db(alias, names, _converted(row[:width], converters, connection)) for row in rows
    ]
    if related is not None:
        for instance, row in zip(found, rows, strict=True):
            values = row[width:]
            joined = None  # no related row: its primary key is NULL
            if values[target._meta.concrete_fields.index(target._meta.pk)] is not None:
                values = _converted(values, target_converters, connection)
                joined = target.from_db(alias, target_names, values)
                if back is not None:
                    back(joined, instance)
            key.set_cached_value(instance, joined)
    return found


def set_prefetched(instance: Model, name: str, related: list[Any]) -> None:
    """Leave on `instance` what prefetch_related leaves for its reverse relation `name`:
    `instance.<name>.all()` gives `related` without a query (a further filter still
    queries, within the relation)."""
    queryset = getattr(instance, name).get_queryset()
    queryset._result_cache = related
    queryset._prefetch_done = True
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[name] = queryset


def select_values(
    model: type[Model], sql: str, params: Sequence[Any] = ()
) -> list[tuple[Any, ...]]:
    """The rows of a query written out (plain values, no converters) on the database
    `model` is read from."""
    with connections[router.db_for_read(model)].cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def converter(model: type[Model], field: str) -> Callable[[Any], Any]:
    """What the ORM does to a value of the field's column as it reads it, on the database
    `model` is read from (on SQLite a time is text until converted; on PostgreSQL most
    values need nothing)."""
    return _converter(model, field, router.db_for_read(model))


@cache
def _converter(model: type[Model], field: str, alias: str) -> Callable[[Any], Any]:
    connection = connections[alias]
    found = cast("Field[Any, Any]", model._meta.get_field(field))
    col, functions = _field_converters(found, model._meta.db_table, connection)
    if not functions:
        return _unchanged

    def convert(value: Any) -> Any:
        for function in functions:
            value = function(value, col, connection)
        return value

    return convert


def _unchanged(value: Any) -> Any:
    return value


def table(model: type[Model]) -> str:
    """The model's table, quoted."""
    return connections[router.db_for_read(model)].ops.quote_name(model._meta.db_table)


def column(model: type[Model], field: str) -> str:
    """A field's column with its table, quoted."""
    quote = connections[router.db_for_read(model)].ops.quote_name
    found = model._meta.get_field(field)
    if not isinstance(found, Field) or not found.column:
        raise ValueError(f"{model.__name__}.{field} has no column")
    return f"{quote(model._meta.db_table)}.{quote(found.column)}"


def param(model: type[Model], field: str, value: Any) -> Any:
    """A value for a parameter compared with the field, as the ORM passes it (on SQLite a
    time becomes the text it is stored as)."""
    connection = connections[router.db_for_read(model)]
    found: Any = model._meta.get_field(field)
    return found.get_db_prep_value(value, connection)


@cache
def _columns(model: type[Model], alias: str) -> tuple[str, list[str], Converters]:
    """The model's columns (in the order the ORM selects them), their attribute names and
    the converters of those that have any."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = model._meta.concrete_fields
    name = quote(model._meta.db_table)
    columns = ", ".join(f"{name}.{quote(cast(str, field.column))}" for field in fields)
    converters: Converters = []
    for index, field in enumerate(fields):
        col, found = _field_converters(field, model._meta.db_table, connection)
        if found:
            converters.append((index, col, found))
    return columns, [field.attname for field in fields], converters


def _field_converters(field: Any, table_name: str, connection: Any) -> tuple[Any, list[Any]]:
    """The field's column expression and the functions the ORM passes its values through."""
    col = field.get_col(table_name)
    return col, connection.ops.get_db_converters(col) + col.get_db_converters(connection)


def _converted(row: tuple[Any, ...], converters: Converters, connection: Any) -> tuple[Any, ...]:
    if not converters:
        return row
    values = list(row)
    for index, col, functions in converters:
        for function in functions:
            values[index] = function(values[index], col, connection)
    return tuple(values)
