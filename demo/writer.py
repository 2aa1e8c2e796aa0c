"""Fast row writers: COPY on PostgreSQL, executemany on SQLite.

Both write plain rows, bypassing model save() and bulk_create(): those would set
auto_now/auto_now_add fields to "now" and so erase the spread of creation dates.
Primary keys that child rows refer to are reserved first (`reserve_ids`), so the
generator knows them before writing; other tables let the database assign ids.
"""

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any

from django.db import DatabaseError, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

Row = tuple[Any, ...]


class RowWriter:
    """Write rows of a model table; ids and sequences stay as the app expects."""

    def __init__(self, connection: BaseDatabaseWrapper):
        self.connection = connection
        # None: not known yet (PostgreSQL finds out with its first chunk).
        self.skips_foreign_key_checks: bool | None = False

    def reserve_ids(self, model: type[models.Model], count: int) -> list[int]:
        raise NotImplementedError

    @contextmanager
    def chunk(
        self,
        *,
        writes: Collection[type[models.Model]],
        referenced: Mapping[type[models.Model], Collection[int]],
    ) -> Iterator[None]:
        """Wraps the writes of one chunk, inside its transaction.

        `writes`: the models it writes; `referenced`: the existing rows (by model)
        that its rows refer to.
        """
        yield

    def insert(self, model: type[models.Model], fields: Sequence[str], rows: Iterable[Row]) -> int:
        """Write `rows` (values in `fields` order, as the ORM takes them); return the count."""
        raise NotImplementedError

    def _table(self, model: type[models.Model]) -> str:
        return self.connection.ops.quote_name(model._meta.db_table)

    def _columns(self, model: type[models.Model], fields: Sequence[str]) -> str:
        quote = self.connection.ops.quote_name
        return ", ".join(quote(_column(field)) for field in _fields(model, fields))

    def _pk(self, model: type[models.Model]) -> str:
        """The quoted primary key column of the model."""
        pk = model._meta.pk
        if pk is None:
            raise TypeError(f"{model.__name__} has no primary key.")
        return self.connection.ops.quote_name(_column(pk))


def _fields(model: type[models.Model], names: Sequence[str]) -> list[models.Field[Any, Any]]:
    """The columns the demo rows fill: concrete fields of the model, by name."""
    fields = []
    for name in names:
        field = model._meta.get_field(name)
        if not isinstance(field, models.Field):
            raise TypeError(f"{model.__name__}.{name} is not a column.")
        fields.append(field)
    return fields


def _column(field: models.Field[Any, Any]) -> str:
    if field.column is None:
        raise TypeError(f"{field.name} has no column.")
    return field.column


class ReferenceGone(Exception):
    """A group or attribute definition used by the demo data was deleted while seeding."""


class PostgresCopyWriter(RowWriter):
    """COPY FROM STDIN through psycopg 3: about ten times faster than INSERT."""

    def __init__(self, connection: BaseDatabaseWrapper):
        super().__init__(connection)
        self.skips_foreign_key_checks = None  # known after the first chunk

    @contextmanager
    def chunk(
        self,
        *,
        writes: Collection[type[models.Model]],
        referenced: Mapping[type[models.Model], Collection[int]],
    ) -> Iterator[None]:
        # The deferred foreign key checks cost one lookup per reference at commit: most
        # of the time of a large run. Rows of a chunk refer only to contacts and
        # memberships written in the same transaction and to the rows locked here, so
        # the checks can be skipped safely (as pg_restore --disable-triggers does).
        self._lock(referenced)
        previous = self._skip_triggers(writes)
        yield
        if previous is not None:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('session_replication_role', %s, true)", [previous]
                )

    def _lock(self, referenced: Mapping[type[models.Model], Collection[int]]) -> None:
        with self.connection.cursor() as cursor:
            for model, ids in referenced.items():
                if not ids:
                    continue
                pk = self._pk(model)
                cursor.execute(
                    f"SELECT COUNT(*) FROM (SELECT 1 FROM {self._table(model)} "  # noqa: S608
                    f"WHERE {pk} = ANY(%s) FOR KEY SHARE) AS locked",
                    [list(ids)],
                )
                if cursor.fetchone()[0] != len(set(ids)):
                    raise ReferenceGone(
                        f"A demo {model._meta.verbose_name} was deleted while seeding; run again."
                    )

    def _skip_triggers(self, writes: Collection[type[models.Model]]) -> str | None:
        """Turn off triggers until the end of the transaction; return the previous setting."""
        if self.skips_foreign_key_checks is False:
            return None
        if self.skips_foreign_key_checks is None and self._has_own_triggers(writes):
            # Replica mode would silence them too, not only the foreign key checks.
            self.skips_foreign_key_checks = False
            return None
        try:
            # Only a superuser (or a role granted SET on it) may change this setting.
            with (
                transaction.atomic(using=self.connection.alias),
                self.connection.cursor() as cursor,
            ):
                cursor.execute("SHOW session_replication_role")
                previous = str(cursor.fetchone()[0])
                cursor.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError:
            self.skips_foreign_key_checks = False
            return None
        self.skips_foreign_key_checks = True
        return previous

    def _has_own_triggers(self, models_: Collection[type[models.Model]]) -> bool:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE NOT tgisinternal "
                "AND tgrelid::regclass::text = ANY(%s))",
                [[model._meta.db_table for model in models_]],
            )
            return bool(cursor.fetchone()[0])

    def reserve_ids(self, model: type[models.Model], count: int) -> list[int]:
        if count == 0:
            return []
        # nextval() per id: safe against the app inserting at the same time, and the
        # sequence is already past every id we use, so a later insert cannot collide.
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, count],
            )
            return sorted(row[0] for row in cursor.fetchall())

    def insert(self, model: type[models.Model], fields: Sequence[str], rows: Iterable[Row]) -> int:
        # Only JSON needs adapting (to Jsonb); psycopg dumps str, int, date and
        # aware datetime values itself, and adapting every value would cost minutes.
        adapters = self._adapters(model, fields)
        statement = f"COPY {self._table(model)} ({self._columns(model, fields)}) FROM STDIN"
        count = 0
        with self.connection.cursor() as cursor, cursor.copy(statement) as copy:
            write = copy.write_row
            if adapters:
                for row in rows:
                    write(tuple(adapt(value) for adapt, value in zip(adapters, row, strict=True)))
                    count += 1
            else:
                for row in rows:
                    write(row)
                    count += 1
        return count

    def _adapters(
        self, model: type[models.Model], fields: Sequence[str]
    ) -> list[Callable[[Any], Any]] | None:
        model_fields = _fields(model, fields)
        if not any(isinstance(field, models.JSONField) for field in model_fields):
            return None
        return [self._prep(field) for field in model_fields]

    def _prep(self, field: models.Field[Any, Any]) -> Callable[[Any], Any]:
        if isinstance(field, models.JSONField):
            return lambda value: field.get_db_prep_save(value, self.connection)
        return lambda value: value


class SqliteWriter(RowWriter):
    """executemany() of one prepared INSERT; meant for local demo sizes."""

    batch_size = 5_000

    def reserve_ids(self, model: type[models.Model], count: int) -> list[int]:
        # AUTOINCREMENT keeps the highest id ever used in sqlite_sequence (also after
        # deletes) and moves it past explicit ids on insert. The caller inserts the
        # reserved ids in the same transaction, which holds SQLite's write lock.
        table = model._meta.db_table
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            pk = self._pk(model)
            # Quoted names from the model's metadata, never user input.
            cursor.execute(f"SELECT MAX({pk}) FROM {self._table(model)}")  # noqa: S608
            highest = max(row[0] if row else 0, cursor.fetchone()[0] or 0)
        return list(range(highest + 1, highest + 1 + count))

    def insert(self, model: type[models.Model], fields: Sequence[str], rows: Iterable[Row]) -> int:
        model_fields = _fields(model, fields)
        placeholders = ", ".join(["%s"] * len(fields))
        table, columns = self._table(model), self._columns(model, fields)
        statement = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        count = 0
        iterator = iter(rows)
        with self.connection.cursor() as cursor:
            while batch := list(islice(iterator, self.batch_size)):
                cursor.executemany(
                    statement,
                    [
                        [
                            field.get_db_prep_save(value, self.connection)
                            for field, value in zip(model_fields, row, strict=True)
                        ]
                        for row in batch
                    ],
                )
                count += len(batch)
        return count


def writer_for(connection: BaseDatabaseWrapper) -> RowWriter:
    if connection.vendor == "postgresql":
        return PostgresCopyWriter(connection)
    if connection.vendor == "sqlite":
        return SqliteWriter(connection)
    raise NotImplementedError(
        f"Demo data can be written to PostgreSQL or SQLite, not {connection.vendor}."
    )
