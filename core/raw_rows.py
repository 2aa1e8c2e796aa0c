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


def select_models(model: type[M], tail: str, params: Sequence[Any]) -> list[M]:
    """Instances of `model` from `SELECT <its columns> FROM <its table> {tail}`; `tail`
    names the table by its quoted name ("WHERE ... ORDER BY ... LIMIT ...")."""
    alias = router.db_for_read(model)
    select, names, converters = _select(model, alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(f"{select} {tail}", params)
        rows = cursor.fetchall()
    connection = connections[alias]
    return [model.from_db(alias, names, _converted(row, converters, connection)) for row in rows]


def table(model: type[Model]) -> str:
    """The model's table, quoted."""
    return connections[router.db_for_read(model)].ops.quote_name(model._meta.db_table)


def column(model: type[Model], field: str) -> str:
    """A field's column, quoted (no table prefix)."""
    quote = connections[router.db_for_read(model)].ops.quote_name
    found = model._meta.get_field(field)
    if not isinstance(found, Field) or not found.column:
        raise ValueError(f"{model.__name__}.{field} has no column")
    return quote(found.column)


@cache
def _select(model: type[Model], alias: str) -> tuple[str, list[str], Converters]:
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = model._meta.concrete_fields
    columns = ", ".join(quote(cast(str, field.column)) for field in fields)
    converters: Converters = []
    for index, field in enumerate(fields):
        col = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if found:
            converters.append((index, col, found))
    select = f"SELECT {columns} FROM {quote(model._meta.db_table)}"  # noqa: S608
    return select, [field.attname for field in fields], converters


def _converted(row: tuple[Any, ...], converters: Converters, connection: Any) -> tuple[Any, ...]:
    if not converters:
        return row
    values = list(row)
    for index, col, functions in converters:
        for function in functions:
            values[index] = function(values[index], col, connection)
    return tuple(values)
