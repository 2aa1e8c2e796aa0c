"""Fill the database with demo contacts and everything that belongs to them.

Contacts are written in chunks; each chunk (contacts, memberships, values, app
data, related rows, events) is one transaction, so an interrupted run leaves
whole contacts behind, never a contact without its rows.
"""

import random
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model
from django.utils import timezone

from contacts.models import (
    AppData,
    AttributeDefinition,
    AttributeValue,
    Contact,
    Event,
    Group,
    MemberAttributeDefinition,
    MemberAttributeValue,
    Membership,
    RelatedRecord,
)
from contacts.roles import MARKETER, TESTER
from demo import rows as demo_rows
from demo.catalog import Catalog, build_catalog
from demo.pools import build_pools
from demo.writer import RowWriter, writer_for

# Table labels in the order they are written (and reported).
TABLES = (
    "contacts",
    "memberships",
    "member attribute values",
    "custom attribute values",
    "app data",
    "related rows",
    "events",
)
WRITTEN_MODELS = (
    Contact,
    Membership,
    MemberAttributeValue,
    AttributeValue,
    AppData,
    RelatedRecord,
    Event,
)
DEMO_LOGINS = (("marketer", MARKETER), ("tester", TESTER))


@dataclass(frozen=True, kw_only=True)
class DemoOptions:
    contacts: int = 2000
    events_per_contact: float = 10
    memberships_per_contact: float = 3
    groups: int = 20
    heavy_contacts: int = 0
    heavy_events: int = 0
    seed: int | None = None
    chunk_size: int = 20_000

    def __post_init__(self) -> None:
        numbers = {
            "contacts": self.contacts,
            "events per contact": self.events_per_contact,
            "memberships per contact": self.memberships_per_contact,
            "groups": self.groups,
            "heavy contacts": self.heavy_contacts,
            "heavy events": self.heavy_events,
        }
        for name, value in numbers.items():
            if value < 0:
                raise ValueError(f"The number of {name} cannot be negative.")
        if self.heavy_contacts > self.contacts:
            raise ValueError("Heavy contacts are among the contacts: at most --contacts of them.")
        if self.chunk_size < 1:
            raise ValueError("The chunk size must be at least 1.")


@dataclass(kw_only=True)
class SeedReport:
    seed: int
    contacts_total: int
    contacts_done: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    # Generation and writing time per table; generation is lazy, so they interleave.
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(TABLES, 0.0))
    setup_seconds: float = 0.0
    commit_seconds: float = 0.0
    skipped_foreign_key_checks: bool = False
    elapsed: float = 0.0
    groups: int = 0
    definitions: int = 0
    first_contact_id: int | None = None
    last_contact_id: int | None = None


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    password: str | None  # None: the login existed already and was left as it was


def ensure_demo_users() -> list[DemoLogin]:
    """Create the `marketer` and `tester` logins with a random password, if missing."""
    User = get_user_model()
    logins = []
    for username, role in DEMO_LOGINS:
        if User.objects.filter(username=username).exists():
            logins.append(DemoLogin(username, role, None))
            continue
        password = secrets.token_urlsafe(12)
        # A local address: confirmation and export emails land in var/mail/.
        user = User.objects.create_user(
            username=username, email=f"{username}@localhost", password=password
        )
        user.groups.add(AuthGroup.objects.get(name=role))
        logins.append(DemoLogin(username, role, password))
    return logins


def seed_demo(
    *,
    options: DemoOptions,
    progress: Callable[[SeedReport], None] | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> SeedReport:
    """Add `options.contacts` demo contacts with their rows. Returns counts and timings."""
    started = time.perf_counter()
    seed = options.seed if options.seed is not None else secrets.randbelow(2**31)
    report = SeedReport(seed=seed, contacts_total=options.contacts)
    connection = connections[using]
    writer = writer_for(connection)

    with transaction.atomic(using=using):
        catalog = build_catalog(groups=options.groups)
    generator = demo_rows.ChunkGenerator(
        pools=build_pools(seed=seed),
        catalog=catalog,
        rng=random.Random(seed),
        now=timezone.now(),
        total=max(options.contacts, 1),
        events_per_contact=options.events_per_contact,
        memberships_per_contact=options.memberships_per_contact,
        heavy_contacts=options.heavy_contacts,
        heavy_events=options.heavy_events,
    )
    report.groups = len(catalog.groups)
    report.definitions = len(catalog.definitions) + sum(
        len(g.member_definitions) for g in catalog.groups
    )
    report.setup_seconds = time.perf_counter() - started

    for first_index in range(0, options.contacts, options.chunk_size):
        size = min(options.chunk_size, options.contacts - first_index)
        with transaction.atomic(using=using):
            with writer.chunk(writes=WRITTEN_MODELS, referenced=_referenced(catalog)):
                _write_chunk(writer, generator, report, first_index=first_index, size=size)
            committing = time.perf_counter()
        # Deferred foreign key checks run at commit, unless the writer could skip them.
        report.commit_seconds += time.perf_counter() - committing
        report.contacts_done = first_index + size
        report.elapsed = time.perf_counter() - started
        if progress is not None:
            progress(report)
    report.elapsed = time.perf_counter() - started
    report.skipped_foreign_key_checks = bool(writer.skips_foreign_key_checks)
    return report


def _referenced(catalog: Catalog) -> dict[type[Model], list[int]]:
    return {
        Group: [g.id for g in catalog.groups],
        AttributeDefinition: [d.id for d in catalog.definitions],
        MemberAttributeDefinition: [d.id for g in catalog.groups for d in g.member_definitions],
    }


def _write_chunk(
    writer: RowWriter,
    generator: demo_rows.ChunkGenerator,
    report: SeedReport,
    *,
    first_index: int,
    size: int,
) -> None:
    def write(
        label: str, model: type[Model], fields: Sequence[str], rows: Iterable[demo_rows.Row]
    ) -> None:
        start = time.perf_counter()
        report.counts[label] += writer.insert(model, fields, rows)
        report.seconds[label] += time.perf_counter() - start

    start = time.perf_counter()
    ids = writer.reserve_ids(Contact, size)
    people, contact_rows = generator.contacts(ids=ids, first_index=first_index)
    report.seconds["contacts"] += time.perf_counter() - start
    write("contacts", Contact, demo_rows.CONTACT_FIELDS, contact_rows)
    if report.first_contact_id is None:
        report.first_contact_id = ids[0]
    report.last_contact_id = ids[-1]

    start = time.perf_counter()
    planned = generator.memberships(people, first_index=first_index)
    membership_ids = writer.reserve_ids(Membership, len(planned))
    report.seconds["memberships"] += time.perf_counter() - start
    write(
        "memberships",
        Membership,
        demo_rows.MEMBERSHIP_FIELDS,
        generator.membership_rows(planned, membership_ids),
    )
    write(
        "member attribute values",
        MemberAttributeValue,
        demo_rows.MEMBER_VALUE_FIELDS,
        generator.member_value_rows(planned, membership_ids),
    )
    write(
        "custom attribute values",
        AttributeValue,
        demo_rows.ATTRIBUTE_VALUE_FIELDS,
        generator.attribute_value_rows(people),
    )
    write("app data", AppData, demo_rows.APP_DATA_FIELDS, generator.app_data_rows(people))
    write("related rows", RelatedRecord, demo_rows.RELATED_FIELDS, generator.related_rows(people))
    write("events", Event, demo_rows.EVENT_FIELDS, generator.event_rows(people))
