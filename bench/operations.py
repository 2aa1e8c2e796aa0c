"""Timed writes and exports: bulk delete, anonymize, export beside PostgreSQL COPY."""

import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import connection, models, transaction

from anonymization.services import contact_anonymize
from bench.dataset import Dataset, log
from contacts.models import AnonymousContact, Contact, Event, Membership
from contacts.services import contacts_delete

DELETE_TARGET_SECONDS = 5.0
ANONYMIZE_TARGET_SECONDS = 2.0  # the anonymization issue: 100,000 events in under 2 s
RAW_SQL_RATIO_TARGET = 3.0  # the service within 3x of hand-written SQL on the same rows
EXPORT_RATE_TARGET = 3.0  # export row rate within 3x of COPY
EXPORT_MEMORY_TARGET_MB = 100.0


@dataclass
class Statements:
    """Counts the SQL statements a piece of code runs, by kind (no SQL text is kept)."""

    kinds: Counter = field(default_factory=Counter)
    selects: list[str] = field(default_factory=list)

    def __call__(self, execute, sql, params, many, context):
        words = sql.lstrip().split(None, 1)
        kind = words[0].upper() if words else "?"
        if kind == "SELECT":
            self.selects.append(sql[:160])
        self.kinds[kind] += 1
        return execute(sql, params, many, context)

    @property
    def total(self) -> int:
        return sum(self.kinds.values())

    def summary(self) -> str:
        return ", ".join(f"{count} {kind}" for kind, count in sorted(self.kinds.items()))


@contextmanager
def counting():
    statements = Statements()
    with connection.execute_wrapper(statements):
        yield statements


# -- bulk delete ------------------------------------------------------------------------


@dataclass
class DeleteRun:
    contacts: int
    events: int
    memberships: int
    seconds: float
    statements: int
    statement_kinds: str
    selects: list[str]
    verified: bool
    raw_seconds: float | None = None  # the same rows deleted by raw SQL (rolled back)

    @property
    def raw_ratio(self) -> float | None:
        return self.seconds / self.raw_seconds if self.raw_seconds else None


def _cascade(model: type[models.Model]) -> list[tuple[str, str, str]]:
    """(table, its column, the parent it names) of every row deleted with `model`'s rows,
    children first: what a hand-written DELETE of a contact has to remove too."""
    found = []
    for relation in model._meta.related_objects:
        if getattr(relation, "on_delete", None) is not models.CASCADE:
            continue
        child = relation.related_model
        assert isinstance(child, type)
        found += _cascade(child)
        found.append((child._meta.db_table, str(relation.field.column), model._meta.db_table))
    return found


def raw_delete_seconds(ids: list[int]) -> float:
    """Seconds to delete the contacts and every row of theirs with one hand-written DELETE
    per table (foreign keys checked as each statement ends), in a transaction rolled back."""
    contact_table = Contact._meta.db_table
    statements = []
    for table, column, parent in _cascade(Contact):
        if parent == contact_table:
            statements.append(f"DELETE FROM {table} WHERE {column} = ANY(%s)")
        else:  # a grandchild (member attribute values): through its parent's contact
            statements.append(
                f"DELETE FROM {table} WHERE {column} IN "
                f"(SELECT id FROM {parent} WHERE contact_id = ANY(%s))"
            )
    statements.append(f"DELETE FROM {contact_table} WHERE id = ANY(%s)")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        started = time.perf_counter()
        for sql in statements:
            cursor.execute(sql, [ids])
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def bulk_delete(
    dataset: Dataset, actor: User, *, count: int, runs: int, seed: int
) -> list[DeleteRun]:
    """Delete `count` randomly chosen ordinary contacts, `runs` times over different sets."""
    heavy = {dataset.profile_id, dataset.spare_id, dataset.anonymize_id, dataset.export_id}
    ordinary = Contact.objects.exclude(pk__in=heavy).count()
    if count * runs > ordinary // 2:
        raise ValueError(
            f"{runs} deletes of {count:,} contacts would remove more than half of the "
            f"{ordinary:,} ordinary contacts: pass a smaller --delete-count or --delete-runs."
        )
    rng = random.Random(seed)
    results = []
    for number in range(1, runs + 1):
        ids = _pick_contacts(rng, count, exclude=heavy)
        events = Event.objects.filter(contact_id__in=ids).count()
        memberships = Membership.objects.filter(contact_id__in=ids).count()
        selection = Contact.objects.filter(pk__in=ids)
        raw_delete_seconds(ids)  # reads the rows into the cache, for both
        raw = raw_delete_seconds(ids)
        with counting() as statements:
            started = time.perf_counter()
            deleted = contacts_delete(actor=actor, contacts=selection)
            seconds = time.perf_counter() - started
        verified = (
            deleted == len(ids)
            and not Contact.objects.filter(pk__in=ids).exists()
            and not Event.objects.filter(contact_id__in=ids).exists()
            and not Membership.objects.filter(contact_id__in=ids).exists()
        )
        log(
            f"  bulk delete {number}: {deleted:,} contacts, {events:,} events, "
            f"{memberships:,} memberships in {seconds:.2f} s ({statements.summary()}); "
            f"raw SQL {raw:.2f} s; {'verified' if verified else 'NOT ALL GONE'}"
        )
        results.append(
            DeleteRun(
                contacts=deleted,
                events=events,
                memberships=memberships,
                seconds=seconds,
                statements=statements.total,
                statement_kinds=statements.summary(),
                selects=statements.selects,
                verified=verified,
                raw_seconds=raw,
            )
        )
    return results


def _pick_contacts(rng: random.Random, count: int, *, exclude: set[int]) -> list[int]:
    """`count` random existing contacts spread over the whole table."""
    low = Contact.objects.order_by("pk").values_list("pk", flat=True).first() or 0
    high = Contact.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    chosen: set[int] = set()
    while len(chosen) < count:
        candidates = {rng.randint(low, high) for _ in range(2 * (count - len(chosen)))}
        candidates -= chosen | exclude
        existing = Contact.objects.filter(pk__in=candidates).values_list("pk", flat=True)
        chosen.update(list(existing)[: count - len(chosen)])
    return sorted(chosen)


# -- anonymize --------------------------------------------------------------------------


@dataclass
class AnonymizeRun:
    contact_id: int
    events: int
    seconds: float
    statements: int
    statement_kinds: str
    verified: bool
    raw_seconds: float | None = None  # one raw UPDATE of the same events (rolled back)

    @property
    def raw_ratio(self) -> float | None:
        return self.seconds / self.raw_seconds if self.raw_seconds else None


def raw_anonymize_seconds(contact_id: int) -> float:
    """Seconds of one hand-written UPDATE that moves the contact's events to an anonymous
    contact and hashes their addresses, in a transaction rolled back."""
    with transaction.atomic(), connection.cursor() as cursor:
        anonymous = AnonymousContact.objects.create(identifier_type="email")
        started = time.perf_counter()
        cursor.execute(
            "UPDATE contacts_event SET contact_id = NULL, anonymous_contact_id = %s, "
            "address = md5(address) WHERE contact_id = %s",
            [anonymous.pk, contact_id],
        )
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def anonymize(dataset: Dataset, actor: User) -> AnonymizeRun:
    contact_id = dataset.anonymize_id
    events = Event.objects.filter(contact_id=contact_id).count()
    raw_anonymize_seconds(contact_id)  # reads the events into the cache, for both
    raw = raw_anonymize_seconds(contact_id)
    with counting() as statements:
        started = time.perf_counter()
        contact_anonymize(actor=actor, contact_id=contact_id)
        seconds = time.perf_counter() - started
    anonymous = AnonymousContact.objects.order_by("-pk").first()
    verified = (
        not Contact.objects.filter(pk=contact_id).exists()
        and not Event.objects.filter(contact_id=contact_id).exists()
        and anonymous is not None
        and Event.objects.filter(anonymous_contact=anonymous).count() == events
    )
    log(
        f"  anonymize: contact {contact_id} with {events:,} events in {seconds:.2f} s "
        f"({statements.summary()}); raw SQL {raw:.2f} s; "
        f"{'verified' if verified else 'NOT VERIFIED'}"
    )
    return AnonymizeRun(
        contact_id=contact_id,
        events=events,
        seconds=seconds,
        statements=statements.total,
        statement_kinds=statements.summary(),
        verified=verified,
        raw_seconds=raw,
    )


# -- export beside COPY -----------------------------------------------------------------

# The event columns of the export, in its order (exports.builders reads the same).
COPY_SQL = """
COPY (
    SELECT e.event_type, e.channel, e.message_name, g.name,
           to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"'),
           e.address
    FROM contacts_event e LEFT JOIN contacts_group g ON g.id = e.group_id
    WHERE e.contact_id = {contact_id}
    ORDER BY e.occurred_at DESC, e.id DESC
) TO STDOUT (FORMAT csv)
"""


@dataclass
class ExportRun:
    contact_id: int
    events: int
    probe: dict  # what bench.export_probe printed
    copy_seconds: list[float]
    copy_rows: int
    copy_bytes: int

    @property
    def export_seconds(self) -> float:
        return float(self.probe.get("seconds") or 0.0)

    @property
    def export_rate(self) -> float:
        return self.events / self.export_seconds if self.export_seconds else 0.0

    @property
    def copy_rate(self) -> float:
        return self.copy_rows / statistics.median(self.copy_seconds) if self.copy_seconds else 0.0

    @property
    def ratio(self) -> float | None:
        return self.copy_rate / self.export_rate if self.export_rate else None

    @property
    def memory_mb(self) -> float | None:
        return self.probe.get("growth_mb")


def copy_events(contact_id: int) -> tuple[float, int, int]:
    """(seconds, rows, bytes) of COPY ... TO STDOUT, read fully through psycopg."""
    connection.ensure_connection()
    rows = size = 0
    started = time.perf_counter()
    sql = COPY_SQL.format(contact_id=int(contact_id))
    with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
        for data in copy:
            size += len(data)
            rows += bytes(data).count(b"\n")
    return time.perf_counter() - started, rows, size


def export(dataset: Dataset, actor: User, *, copy_runs: int = 3) -> ExportRun:
    contact_id = dataset.export_id
    events = Event.objects.filter(contact_id=contact_id).count()
    copy_events(contact_id)  # warms the cache for both
    log(f"  export of contact {contact_id} ({events:,} events) in a fresh process")
    probe = run_export_probe(contact_id, actor.pk)
    log(
        f"  export: {probe.get('outcome')} in {probe.get('seconds', 0):.1f} s, "
        f"{probe.get('rows', 0):,} rows, peak memory growth {probe.get('growth_mb', 0):.1f} MB"
    )
    timings, rows, size = [], 0, 0
    for _ in range(copy_runs):
        seconds, rows, size = copy_events(contact_id)
        timings.append(seconds)
    log(f"  COPY: {rows:,} rows in {statistics.median(timings):.2f} s (median of {copy_runs})")
    return ExportRun(contact_id, events, probe, timings, rows, size)


def run_export_probe(contact_id: int, user_id: int) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    completed = subprocess.run(
        [sys.executable, "-m", "bench.export_probe", str(contact_id), str(user_id)],
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if completed.returncode != 0 or not lines:
        tail = (completed.stderr or completed.stdout)[-2000:]
        return {"outcome": "error", "error": f"exit {completed.returncode}: {tail}"}
    return json.loads(lines[-1])
