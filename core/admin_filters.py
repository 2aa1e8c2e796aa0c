"""Admin list filters that stay cheap at millions of rows."""

from typing import Any

from django.contrib import admin
from django.db import connection
from django.db.models import Field, Model
from django.http import HttpRequest

# More names than this are not a list to pick from; the filter shows the first ones.
MAX_CHOICES = 100


class IndexedValuesFilter(admin.AllValuesFieldListFilter):
    """Django's filter by every value of a column, with the values read by skipping
    through an index that leads with the column: one probe per value, where Django's
    SELECT DISTINCT reads every row (58 ms for the 725,000 related data rows at 1,000,000
    contacts, growing with them). The values are the whole table's (Django's obey the
    list's queryset, which here is the whole table too); NULL is never one of them."""

    def __init__(
        self,
        field: Field[Any, Any],
        request: HttpRequest,
        params: dict[str, list[str]],
        model: type[Model],
        model_admin: admin.ModelAdmin[Any],
        field_path: str,
    ) -> None:
        super().__init__(field, request, params, model, model_admin, field_path)
        if field.column is None:
            raise TypeError(f"{field_path} is not a column of {model._meta.db_table}")
        # Django only iterates the choices (the stubs call them a QuerySet).
        self.lookup_choices = distinct_values(model, field.column)  # type: ignore[assignment]


def distinct_values(model: type[Model], column: str, limit: int = MAX_CHOICES) -> list[Any]:
    """The first `limit` distinct non-NULL values of `column`, in order."""
    table = connection.ops.quote_name(model._meta.db_table)
    name = connection.ops.quote_name(column)
    sql = f"""
        WITH RECURSIVE found(value, n) AS (
            SELECT (SELECT {name} FROM {table} WHERE {name} IS NOT NULL ORDER BY {name} LIMIT 1), 1
            UNION ALL
            SELECT (SELECT {name} FROM {table} WHERE {name} > found.value ORDER BY {name} LIMIT 1),
                   n + 1
            FROM found WHERE found.value IS NOT NULL AND n < %s
        )
        SELECT value FROM found WHERE value IS NOT NULL
    """  # noqa: S608 (names quoted by the database backend; the limit is a parameter)
    with connection.cursor() as cursor:
        cursor.execute(sql, [limit])
        return [value for (value,) in cursor.fetchall()]
