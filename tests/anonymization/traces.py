"""Search the whole database, the export storage, sent mail and logs for given values."""

from pathlib import Path
from urllib.parse import quote as url_quote
from urllib.parse import quote_plus

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection


def database_hits(values: list[str]) -> list[str]:
    """Every (table.column, value) whose text contains a value, case-insensitively.

    Every column of every table is searched as text, so no text or JSON column can hide one;
    also for the value as a query string holds it (a stored filter: `%40` for `@`).
    """
    values = list(dict.fromkeys([*values, *map(url_quote, values), *map(quote_plus, values)]))
    hits = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in _columns(cursor, table):
                col = f"LOWER(CAST({quote(column)} AS TEXT))"
                for value in values:
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {quote(table)} WHERE {col} LIKE %s",  # noqa: S608
                        [f"%{value.lower()}%"],
                    )
                    if cursor.fetchone()[0]:
                        hits.append(f"{table}.{column}: {value}")
    for session in Session.objects.all():
        decoded = str(session.get_decoded()).lower()
        hits += [f"session {session.pk}: {v}" for v in values if v.lower() in decoded]
    return hits


def _columns(cursor, table: str) -> list[str]:
    if connection.vendor == "sqlite":
        # Django's SQLite introspection cannot parse tables with expression constraints.
        cursor.execute(f"PRAGMA table_info({connection.ops.quote_name(table)})")
        return [row[1] for row in cursor.fetchall()]
    return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def storage_hits(values: list[str]) -> list[str]:
    hits = []
    for root in (Path(settings.EXPORTS_ROOT), Path(settings.MEDIA_ROOT)):
        if not root.exists():
            continue
        for path in root.rglob("*"):
            if path.is_file():
                data = path.read_bytes().lower()
                hits += [f"{path}: {v}" for v in values if v.lower().encode() in data]
    return hits


def mail_hits(values: list[str]) -> list[str]:
    hits = []
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}\n{message.to}".lower()
        hits += [f"mail {message.subject!r}: {v}" for v in values if v.lower() in text]
    return hits


def text_hits(text: str, values: list[str]) -> list[str]:
    return [v for v in values if v.lower() in text.lower()]
