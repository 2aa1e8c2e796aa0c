"""Which database the bench uses, and creating (or re-creating) it before Django starts."""

import os
from dataclasses import dataclass

import dj_database_url
import psycopg
from psycopg import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/contactbook_bench"


class BenchDatabaseError(Exception):
    """The bench cannot use this database; the message says why."""


@dataclass(frozen=True)
class BenchDatabase:
    url: str
    name: str
    host: str
    port: str
    user: str
    password: str

    @classmethod
    def from_environment(cls) -> "BenchDatabase":
        """BENCH_DATABASE_URL, else DATABASE_URL (as `make bench` sets it), else the default."""
        url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_URL
        config = dj_database_url.parse(url)
        if config["ENGINE"] != "django.db.backends.postgresql":
            raise BenchDatabaseError(f"The benchmark needs PostgreSQL, not {config['ENGINE']}.")
        name = str(config["NAME"])
        # It drops and re-creates its database: never one that is not a bench database.
        if "bench" not in name:
            raise BenchDatabaseError(
                f"Refusing to use database {name!r}: a bench database has 'bench' in its name."
            )
        return cls(
            url=url,
            name=name,
            host=str(config.get("HOST") or ""),
            port=str(config.get("PORT") or ""),
            user=str(config.get("USER") or ""),
            password=str(config.get("PASSWORD") or ""),
        )

    def _maintenance(self) -> psycopg.Connection:
        params = {"dbname": "postgres", "host": self.host, "port": self.port, "user": self.user}
        if self.password:
            params["password"] = self.password
        # Connection parameters as a libpq conninfo string (psycopg's keyword arguments are
        # typed one by one): the same connection.
        conninfo = psycopg.conninfo.make_conninfo(**{k: v for k, v in params.items() if v})
        return psycopg.connect(conninfo, autocommit=True)

    def exists(self) -> bool:
        with self._maintenance() as conn:
            row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
            return row.fetchone() is not None

    def create(self, *, drop_first: bool) -> None:
        """Create the database; with drop_first, drop it first if it exists."""
        name = sql.Identifier(self.name)
        with self._maintenance() as conn:
            if drop_first:
                try:
                    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(name))
                except psycopg.errors.ObjectInUse as exc:
                    raise BenchDatabaseError(
                        f"Cannot re-create {self.name}: other sessions use it ({exc}). "
                        "Stop them, or pass --reuse."
                    ) from None
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
            if exists.fetchone() is None:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
