"""The bench dataset: seeded once with seed_demo's Python API, described by a marker row.

The marker (table bench_dataset, outside Django's models) records what was seeded and
which contacts are the heavy ones, so that --reuse can trust an existing database.
Measurements that delete or anonymize contacts are followed by `restore`, which seeds
replacements, so the database holds the same number of contacts for the next run.
"""

import dataclasses
import json
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Count
from django.db.models.functions import Now

from contacts.models import Contact, Event, Group, Membership
from contacts.roles import MARKETER
from contacts.search import EmailDomain
from contacts.validation import display_email
from demo.seed import DemoOptions, SeedReport, seed_demo

MARKER_TABLE = "bench_dataset"
EVENTS_PER_CONTACT = 10
MEMBERSHIPS_PER_CONTACT = 3
GROUPS = 20
# A group of the same size at every dataset size, so that a page within it does the same
# work at 100,000 and at 1,000,000 contacts (the seeded groups grow with the table).
SMALL_GROUP_NAME = "Bench small group"
SMALL_GROUP_MEMBERS = 5_000
APP_TABLE_PREFIXES = ("contacts_", "anonymization_", "exports_")


@dataclass(frozen=True)
class Spec:
    """What the command line asks for."""

    contacts: int
    heavy_events: int
    export_events: int
    seed: int


@dataclass
class Dataset:
    """What is in the database (the marker row)."""

    contacts: int
    heavy_events: int
    export_events: int
    seed: int
    profile_id: int  # Contact Profile and Message History
    spare_id: int  # a third contact with heavy_events events, never changed
    anonymize_id: int  # replaced by a new one after each anonymization
    export_id: int  # export_events events
    seeded_at: str
    seed_seconds: float
    vacuum_seconds: float = 0.0
    replaced: int = 0  # contacts seeded since, to replace deleted or anonymized ones

    def matches(self, spec: Spec) -> bool:
        return (self.contacts, self.heavy_events, self.export_events) == (
            spec.contacts,
            spec.heavy_events,
            spec.export_events,
        )


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- marker -----------------------------------------------------------------------------


def read_marker() -> Dataset | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER_TABLE])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT info FROM {MARKER_TABLE} WHERE id = 1")
        row = cursor.fetchone()
    if row is None:
        return None
    info = row[0] if isinstance(row[0], dict) else json.loads(row[0])
    names = {f.name for f in dataclasses.fields(Dataset)}
    try:
        return Dataset(**{k: v for k, v in info.items() if k in names})
    except TypeError:
        return None  # written by an older bench: not trusted


def write_marker(dataset: Dataset) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (id int PRIMARY KEY, info jsonb)"
        )
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (id, info) VALUES (1, %s) "
            "ON CONFLICT (id) DO UPDATE SET info = EXCLUDED.info",
            [json.dumps(dataclasses.asdict(dataset))],
        )


def clear_marker() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {MARKER_TABLE}")


# -- seeding ----------------------------------------------------------------------------


def _progress(report: SeedReport) -> None:
    rate = report.contacts_done / report.elapsed if report.elapsed else 0
    log(
        f"    {report.contacts_done:>9,} / {report.contacts_total:,} contacts, "
        f"{report.counts['events']:,} events ({report.elapsed:,.0f} s, {rate:,.0f} contacts/s)"
    )


def _seed(contacts: int, *, seed: int, heavy_events: int = 0, quiet: bool = False) -> int:
    """Seed contacts (all of them heavy when heavy_events); returns the first new id."""
    options = DemoOptions(
        contacts=contacts,
        events_per_contact=EVENTS_PER_CONTACT,
        memberships_per_contact=MEMBERSHIPS_PER_CONTACT,
        groups=GROUPS,
        heavy_contacts=contacts if heavy_events else 0,
        heavy_events=heavy_events,
        seed=seed,
    )
    report = seed_demo(options=options, progress=None if quiet else _progress)
    assert report.first_contact_id is not None
    return report.first_contact_id


def seed(spec: Spec) -> Dataset:
    """Fill an empty database: four heavy contacts first, then the others."""
    if spec.contacts < 4:
        raise ValueError("The bench needs at least 4 contacts (4 of them are heavy).")
    started = time.perf_counter()
    log(f"  export contact: {spec.export_events:,} events")
    export_id = _seed(1, seed=spec.seed + 1, heavy_events=spec.export_events, quiet=True)
    log(f"  3 contacts with {spec.heavy_events:,} events each")
    profile_id = _seed(1, seed=spec.seed + 2, heavy_events=spec.heavy_events, quiet=True)
    spare_id = _seed(1, seed=spec.seed + 3, heavy_events=spec.heavy_events, quiet=True)
    anonymize_id = _seed(1, seed=spec.seed + 4, heavy_events=spec.heavy_events, quiet=True)
    log(f"  {spec.contacts - 4:,} contacts, {EVENTS_PER_CONTACT} events each on average")
    _seed(spec.contacts - 4, seed=spec.seed)
    seeded = time.perf_counter() - started
    dataset = Dataset(
        contacts=spec.contacts,
        heavy_events=spec.heavy_events,
        export_events=spec.export_events,
        seed=spec.seed,
        profile_id=profile_id,
        spare_id=spare_id,
        anonymize_id=anonymize_id,
        export_id=export_id,
        seeded_at=datetime.now(UTC).isoformat(timespec="seconds"),
        seed_seconds=round(seeded, 1),
    )
    log(f"  seeded in {seeded:,.0f} s; VACUUM ANALYZE")
    dataset.vacuum_seconds = round(vacuum_analyze(), 1)
    write_marker(dataset)
    return dataset


def restore(dataset: Dataset, *, salt: int) -> int:
    """Seed replacements for what measurements removed; returns how many were seeded."""
    seeded = 0
    if not Contact.objects.filter(pk=dataset.anonymize_id).exists():
        log(f"  a new contact with {dataset.heavy_events:,} events to anonymize next time")
        dataset.anonymize_id = _seed(
            1, seed=dataset.seed + 1000 + salt, heavy_events=dataset.heavy_events, quiet=True
        )
        _created_now(dataset.anonymize_id)
        seeded += 1
    missing = dataset.contacts - Contact.objects.count()
    if missing > 0:
        log(f"  {missing:,} contacts to replace the deleted ones")
        _created_now(_seed(missing, seed=dataset.seed + 2000 + salt, quiet=True))
        seeded += missing
    elif missing < 0:
        raise RuntimeError(f"The bench database holds {-missing:,} contacts too many.")
    if seeded:
        dataset.replaced += seeded
        write_marker(dataset)
    return seeded


def _created_now(first_id: int) -> None:
    """The contacts from `first_id` on, created now, as a new contact is. The seeder dates
    its contacts over two years; a replacement dated so lies outside the id order of its
    day, and after a few runs each created range spanned the newest ids too (a month's
    range read 2,455 members of a small group at 1,000,000 contacts where 213 belong). One
    such contact is enough: the new heavy contact to anonymize, dated a year back, made a
    month's range span 544,000 ids (148 ms where 12 ms is the page's time)."""
    Contact.objects.filter(id__gte=first_id).update(created_at=Now(), updated_at=Now())


def reuse_problem(dataset: Dataset | None, spec: Spec) -> str | None:
    """Why the database cannot be reused for `spec`, or None if it can."""
    if dataset is None:
        return "it holds no complete bench dataset (no marker)"
    if not dataset.matches(spec):
        return (
            f"it was seeded with {dataset.contacts:,} contacts, {dataset.heavy_events:,} heavy "
            f"and {dataset.export_events:,} export events"
        )
    for label, contact_id, events in (
        ("profile", dataset.profile_id, dataset.heavy_events),
        ("export", dataset.export_id, dataset.export_events),
    ):
        if Event.objects.filter(contact_id=contact_id).count() != events:
            return f"the {label} contact {contact_id} no longer has {events:,} events"
    return None


def vacuum_analyze() -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def analyze() -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def table_counts() -> list[tuple[str, int, int]]:
    """(table, rows, bytes with indexes) of the app's tables, largest first."""
    tables = [t for t in connection.introspection.table_names() if t.startswith(APP_TABLE_PREFIXES)]
    rows = []
    with connection.cursor() as cursor:
        for table in tables:
            name = connection.ops.quote_name(table)
            cursor.execute(f"SELECT count(*), pg_total_relation_size(%s) FROM {name}", [table])
            count, size = cursor.fetchone()
            rows.append((table, count, size))
    return sorted(rows, key=lambda row: (-row[1], row[0]))


# -- logins and sample values ----------------------------------------------------------


def ensure_users() -> tuple[User, User]:
    """The marketer whose pages are timed, and a superuser for the admin pages."""
    marketer, _ = User.objects.get_or_create(username="bench-marketer")
    marketer.groups.set([AuthGroup.objects.get(name=MARKETER)])
    admin, created = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    for user in (marketer, admin):
        if user.has_usable_password():
            user.set_unusable_password()
            user.save(update_fields=["password"])
    return marketer, admin


@dataclass(frozen=True)
class Samples:
    """Existing values to search for, taken from an ordinary contact in the middle."""

    contact_id: int
    email: str
    email_prefix: str
    email_beginning: str  # the address up to a few characters before its "@"
    domain: str  # the domain most contacts share: the broadest domain search
    idn_domain: str  # an internationalised domain in Unicode ("" if the data has none)
    mobile: str
    alias: str
    name_part: str
    last_name: str
    group_id: int
    group_name: str
    created_from: date
    created_to: date
    small_group_id: int = 0  # SMALL_GROUP_MEMBERS members at any size
    large_group_id: int = 0  # the largest seeded group (about 17% of the contacts)
    large_group_members: int = 0
    common_last_name: str = ""  # the most common of 6 letters or more: the same at any size


def ensure_small_group() -> Group:
    """The bench's own group of about SMALL_GROUP_MEMBERS contacts spread over every id
    (filled again when deletes have thinned it); its memberships are ANALYZEd."""
    group, _ = Group.objects.get_or_create(name=SMALL_GROUP_NAME)
    members = Membership.objects.filter(group=group)
    if members.count() >= SMALL_GROUP_MEMBERS * 0.98:
        return group
    members.delete()
    total = Contact.objects.count()
    step = max(1, total // SMALL_GROUP_MEMBERS)
    ids = Contact.objects.order_by("pk").values_list("pk", flat=True)
    chosen = [pk for index, pk in enumerate(ids.iterator()) if index % step == 0]
    Membership.objects.bulk_create(
        Membership(contact_id=pk, group=group) for pk in chosen[:SMALL_GROUP_MEMBERS]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE contacts_membership")
    return group


def samples(dataset: Dataset) -> Samples:
    heavy = [dataset.profile_id, dataset.spare_id, dataset.anonymize_id, dataset.export_id]
    ids = Contact.objects.exclude(pk__in=heavy)
    low = ids.order_by("pk").values_list("pk", flat=True).first() or 0
    # The middle contact by rank, not the middle of the id range: the replacements of
    # each run take new ids (and the import case's rows move the sequence on), so after
    # a few runs the middle id lay among the replacements, created today with the heavy
    # contacts, and the "one month" range held them all.
    middle = ids.order_by("pk").values_list("pk", flat=True)[ids.count() // 2]
    contact = (
        ids.filter(
            pk__gte=middle,
            email__isnull=False,
            mobile_number__isnull=False,
            app_alias__isnull=False,
        )
        .exclude(email__startswith="contact")  # seed_demo's name-less style: too broad a prefix
        .order_by("pk")
        .first()
    )
    if contact is None:
        raise RuntimeError("No contact with an email, a mobile number and an alias to search for.")
    last_names = ids.filter(pk__gte=(low + middle) // 2).order_by("pk")
    last_name = next(
        name
        for name in last_names.values_list("last_name", flat=True)[:1000]
        if len(name) >= 7 and name.isalpha()
    )
    group = Group.objects.filter(is_test_group=False).order_by("pk").first()
    if group is None:
        raise RuntimeError("No group to filter by.")
    small = ensure_small_group()
    sizes = Membership.objects.values("group").annotate(n=Count("id")).order_by("-n")
    largest = sizes.first() or {"group": group.pk, "n": 0}
    created = contact.created_at.date()
    # The middle of the most common last name: the same term, matching the same share of
    # the contacts, at every size and in every run. A name of a contact picked by rank
    # changed from run to run (the bulk delete moves the ranks), and the two sizes of one
    # run searched for different terms, one matching 21 contacts, the other thousands.
    common = _common_last_name() or last_name
    start = (len(common) - 4) // 2
    local = (contact.email or "").rpartition("@")[0]
    return Samples(
        contact_id=contact.pk,
        email=contact.email or "",
        email_prefix=(contact.email or "")[:5].lower(),
        email_beginning=local[: max(5, len(local) - 3)].lower(),
        domain=_most_common_domain(),
        idn_domain=_idn_domain(),
        mobile=contact.mobile_number or "",
        alias=contact.app_alias or "",
        name_part=common[start : start + 4].lower(),
        last_name=last_name,
        group_id=group.pk,
        group_name=group.name,
        created_from=created - timedelta(days=15),
        created_to=created + timedelta(days=15),
        small_group_id=small.pk,
        large_group_id=largest["group"],
        large_group_members=largest["n"],
        common_last_name=common,
    )


def _common_last_name() -> str:
    """The most common last name of 6 letters or more: its beginning matches the same share
    of the contacts at any size, so that a search for it does the same work."""
    names = Contact.objects.values("last_name").annotate(n=Count("id")).order_by("-n")[:100]
    return next(
        (r["last_name"] for r in names if len(r["last_name"]) >= 6 and r["last_name"].isalpha()), ""
    )


def _most_common_domain() -> str:
    domains = (
        Contact.objects.filter(email__isnull=False)
        .annotate(domain=EmailDomain("email"))
        .values("domain")
        .annotate(contacts=Count("id"))
        .order_by("-contacts")
    )
    first = domains.first()
    return first["domain"] if first else ""


def _idn_domain() -> str:
    stored = Contact.objects.filter(email__contains="@xn--").values_list("email", flat=True)
    email = stored.first()
    return display_email(email).rpartition("@")[2] if email else ""
