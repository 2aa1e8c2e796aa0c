"""The import bench: a 12-column file, half updates and half new contacts, into the bench
database, timed in the worker's code, against PostgreSQL's own COPY of the same file.

`python -m bench.import_case [--rows N] [--seed-contacts N]` runs it on its own
(BENCH_DATABASE_URL names a database with "bench" in its name); `bench.run` calls
`measure()`. Each import runs in a fresh process, so its peak memory growth is its own.
"""

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.import_rows import HEADER, generate

NEW_DOMAIN = "import-new.bench.example"


@dataclass
class ImportFigures:
    rows: int
    copy_seconds: float
    floor_seconds: float
    validate_seconds: float
    import_seconds: float
    import_rss_growth_mb: float
    validate_rss_growth_mb: float
    counts: dict[str, int]

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.import_seconds

    @property
    def copy_ratio(self) -> float:
        return self.import_seconds / self.copy_seconds

    @property
    def floor_ratio(self) -> float:
        return self.import_seconds / self.floor_seconds


def write_file(path: Path, rows: int) -> None:
    """Half the rows name existing contacts (updates), half are new: 12 columns each.

    An update keeps the contact's first and last name. The updates stay in the dataset,
    and with the file's eight last names, three runs had made Schmidt, O'Brien and Müller
    the most common names of the 1,000,000 contacts but not of the 100,000: the two sizes
    then searched for different names (bench.dataset.samples)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT email, first_name, last_name FROM contacts_contact "
            "WHERE email IS NOT NULL ORDER BY id LIMIT %s",
            [rows // 2],
        )
        existing = cursor.fetchall()
    # A new seed each run: the updates change values (a rerun is not all "unchanged").
    generated = generate(rows, seed=int(time.time())).decode("utf-8").splitlines()
    first, last = HEADER.index("user.FirstName"), HEADER.index("user.LastName")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADER)
        for number, line in enumerate(csv.reader(generated[1:])):
            if number < len(existing):
                line[0], line[first], line[last] = existing[number]
            else:
                line[0] = f"new{number}@{NEW_DOMAIN}"
            writer.writerow(line)


def copy_seconds(path: Path) -> float:
    """PostgreSQL's COPY of the same file into a bare table of 12 text columns."""
    from django.db import connection

    columns = ", ".join(f"c{i} text" for i in range(len(HEADER)))
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE bench_copy ({columns})")
        started = time.perf_counter()
        with (
            path.open("rb") as handle,
            cursor.cursor.copy("COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
        ):
            while block := handle.read(1 << 20):
                copy.write(block)
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_copy")
    return seconds


# The same writes as the import, in plain set-based SQL from a COPY of the file (the
# bench's 12 columns: c0 email ... c10 time zone, c11 the Loyalty custom attribute).
_FLOOR_SQL = [
    "CREATE TEMP TABLE bench_floor AS SELECT f.*, c.id AS contact_id "
    "FROM bench_copy f LEFT JOIN contacts_contact c ON lower(c.email) = lower(f.c0)",
    # An empty cell is NULL in a COPY of CSV: the import writes an empty name as "".
    "UPDATE contacts_contact c SET first_name = coalesce(f.c1, ''), "
    "last_name = coalesce(f.c2, ''), nickname = f.c3, "
    "title = f.c4, gender = f.c5, date_of_birth = f.c6::date, country = f.c7, "
    "language = f.c8, zip_code = f.c9, time_zone = f.c10, version = c.version + 1, "
    "updated_at = now() FROM bench_floor f WHERE c.id = f.contact_id",
    "UPDATE contacts_attributevalue v SET value = f.c11 FROM bench_floor f "
    "WHERE v.contact_id = f.contact_id AND v.definition_id = %(loyalty)s",
    "WITH new AS (INSERT INTO contacts_contact (identifier_type, email, email_status, "
    "mobile_status, app_alias_status, external_id, first_name, last_name, nickname, title, "
    "gender, date_of_birth, country, language, zip_code, time_zone, created_at, updated_at, "
    "version) SELECT 'email', f.c0, 'active', 'active', 'active', '', coalesce(f.c1, ''), "
    "coalesce(f.c2, ''), f.c3, f.c4, "
    "f.c5, f.c6::date, f.c7, f.c8, f.c9, f.c10, now(), now(), 1 FROM bench_floor f "
    "WHERE f.contact_id IS NULL RETURNING id, email) "
    "INSERT INTO contacts_attributevalue (contact_id, definition_id, value) "
    "SELECT new.id, %(loyalty)s, f.c11 FROM new JOIN bench_floor f ON f.c0 = new.email",
    "INSERT INTO contacts_attributevalue (contact_id, definition_id, value) "
    "SELECT f.contact_id, %(loyalty)s, f.c11 FROM bench_floor f WHERE f.contact_id IS NOT NULL "
    "ON CONFLICT (contact_id, definition_id) DO NOTHING",
]


def floor_seconds(path: Path) -> float:
    """The floor the database sets: COPY the file, then the import's writes (updates, new
    contacts, custom values) as plain set-based SQL, in one transaction that is rolled
    back. No checking, no rules, no chunks: what no import of this file can beat."""
    from django.db import connection, transaction

    from contacts.models import AttributeDefinition, AttributeType

    loyalty, _ = AttributeDefinition.objects.get_or_create(
        name="Loyalty", defaults={"data_type": AttributeType.NUMBER}
    )
    columns = ", ".join(f"c{i} text" for i in range(len(HEADER)))
    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(f"CREATE TEMP TABLE bench_copy ({columns}) ON COMMIT DROP")
        with (
            path.open("rb") as handle,
            cursor.cursor.copy("COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
        ):
            while block := handle.read(1 << 20):
                copy.write(block)
        for sql in _FLOOR_SQL:
            cursor.execute(sql, {"loyalty": loyalty.pk})
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    with connection.cursor() as cursor:  # the rolled-back rows out of the way of the import
        cursor.execute("VACUUM (ANALYZE) contacts_contact, contacts_attributevalue")
    return seconds


def _one(path: Path, dry_run: bool) -> dict[str, object]:
    """In this (fresh) process: upload, start and run one import; time the job alone."""
    from django.contrib.auth.models import User
    from django.core.files import File

    from contacts.models import AttributeDefinition, AttributeType
    from imports.services import import_start, import_upload, summary
    from imports.tasks import run_import

    AttributeDefinition.objects.get_or_create(
        name="Loyalty", defaults={"data_type": AttributeType.NUMBER}
    )
    user = User.objects.filter(is_superuser=True).order_by("pk").first()
    if user is None:
        user = User.objects.create_superuser("import-bench", "bench@example.com", None)
    with path.open("rb") as handle:
        job = import_upload(
            user=user, file=File(handle, name=path.name), name=path.name, max_bytes=1 << 40
        )
    job = import_start(
        job=job,
        user=user,
        encoding=job.encoding,
        delimiter=job.delimiter,
        quotechar=job.quotechar,
        mapping=job.mapping,
        match_on="email",
        mode="create_update",
        empty_cells="keep",
        group=None,
        skip_existing_members=False,
        skip_inactive_members=False,
        dry_run=dry_run,
    )
    with _PeakMemory() as memory:
        started = time.perf_counter()
        run_import.apply(args=(job.pk,))
        seconds = time.perf_counter() - started
    growth = memory.growth_mb
    job.refresh_from_db()
    if job.error:
        raise RuntimeError(job.error)
    return {"seconds": seconds, "rss_growth_mb": growth, "counts": summary(job)}


class _PeakMemory:
    """The highest resident memory seen while the block runs, less that at its start
    (sampled every 50 ms: ru_maxrss would also count what came before the block)."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._start = self._peak = _resident()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self._peak = max(self._peak, _resident())

    def __enter__(self) -> "_PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._peak = max(self._peak, _resident())

    @property
    def growth_mb(self) -> float:
        return (self._peak - self._start) / (1024 * 1024)


def _resident() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


def _in_process(path: Path, *, dry_run: bool) -> dict:
    command = [sys.executable, "-m", "bench.import_case", "--one", str(path)]
    if dry_run:
        command.append("--dry-run")
    done = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603
    return json.loads(done.stdout.strip().splitlines()[-1])


def _remove_new_contacts() -> None:
    """Leave the dataset as it was in size: the new contacts go (the updates stay), and
    the dead rows of both with them. Otherwise the next run's pages (`--reuse`) read
    through a million dead index entries and grow with them (measured: twice as slow)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM contacts_attributevalue WHERE contact_id IN "
            "(SELECT id FROM contacts_contact WHERE email LIKE %s)",
            [f"%@{NEW_DOMAIN}"],
        )
        cursor.execute("DELETE FROM contacts_contact WHERE email LIKE %s", [f"%@{NEW_DOMAIN}"])
        cursor.execute("VACUUM (ANALYZE) contacts_contact, contacts_attributevalue")


def measure(rows: int = 1_000_000) -> ImportFigures:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "import.csv"
        write_file(path, rows)
        copy = copy_seconds(path)
        floor = floor_seconds(path)
        validate = _in_process(path, dry_run=True)
        real = _in_process(path, dry_run=False)
    _remove_new_contacts()
    return ImportFigures(
        rows=rows,
        copy_seconds=copy,
        floor_seconds=floor,
        validate_seconds=validate["seconds"],
        import_seconds=real["seconds"],
        import_rss_growth_mb=real["rss_growth_mb"],
        validate_rss_growth_mb=validate["rss_growth_mb"],
        counts=real["counts"],
    )


GOAL_SECONDS, GOAL_VALIDATE_SECONDS, GOAL_MEMORY_MB, GOAL_COPY_RATIO = 30, 15, 150, 5


def section(figures: "ImportFigures | None") -> str:
    """The import's part of the report (Markdown), or "" when it did not run."""
    if figures is None:
        return ""
    scale = figures.rows / 1_000_000  # the goals are for a million rows
    rows = [
        ("Import (worker)", f"{figures.import_seconds:,.1f} s", f"{GOAL_SECONDS * scale:,.0f} s"),
        (
            "Validate alone",
            f"{figures.validate_seconds:,.1f} s",
            f"{GOAL_VALIDATE_SECONDS * scale:,.0f} s",
        ),
        ("Rows per second", f"{figures.rows_per_second:,.0f}", "33,000"),
        ("COPY of the same file", f"{figures.copy_seconds:,.2f} s", ""),
        ("Import ÷ COPY", f"{figures.copy_ratio:,.0f}×", f"{GOAL_COPY_RATIO}×"),
        ("The same writes in plain SQL (floor)", f"{figures.floor_seconds:,.1f} s", ""),
        ("Import ÷ floor", f"{figures.floor_ratio:,.1f}×", ""),
        (
            "Peak memory growth, import",
            f"{figures.import_rss_growth_mb:,.0f} MB",
            f"{GOAL_MEMORY_MB} MB",
        ),
        (
            "Peak memory growth, validate",
            f"{figures.validate_rss_growth_mb:,.0f} MB",
            f"{GOAL_MEMORY_MB} MB",
        ),
    ]
    counts = ", ".join(f"{name} {count:,}" for name, count in figures.counts.items())
    lines = [
        "",
        "### Import",
        "",
        f"A {figures.rows:,}-row file of 12 columns (email, 10 standard attributes, 1 custom "
        "attribute), half updates of existing contacts and half new ones, run by the "
        f"import job's code in a fresh process (bench/import_case.py). Result: {counts}. "
        "The floor: COPY of the file, then the same updates, new contacts and custom values "
        "as plain set-based SQL in one transaction (rolled back), without any check: what "
        "no import of this file can beat on this database.",
        "",
        "| | Measured | Goal |",
        "|---|---|---|",
        *[f"| {name} | {value} | {goal} |" for name, value, goal in rows],
        "",
    ]
    return "\n".join(lines)


def add_section(report: str, figures: "ImportFigures | None") -> str:
    """The report with the import's section before its end marker."""
    from bench.report import END

    if END in report:
        return report.replace(END, section(figures) + "\n" + END, 1)
    return report + section(figures)


def seed_contacts(count: int) -> None:
    """Plain contacts with an email each, in one statement (for running this on its own)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO contacts_contact (identifier_type, email, email_status, mobile_status, "
            "app_alias_status, external_id, first_name, last_name, nickname, title, gender, "
            "country, language, zip_code, time_zone, created_at, updated_at, version) "
            "SELECT 'email', 'seeded' || i || '@bench.example', 'active', 'active', 'active', "
            "'', 'Seed', 'Contact', '', '', '', '', '', '', '', now(), now(), 1 "
            "FROM generate_series((SELECT coalesce(max(id), 0) + 1 FROM contacts_contact), "
            "(SELECT coalesce(max(id), 0) FROM contacts_contact) + %s) AS i",
            [count],
        )
        cursor.execute("ANALYZE contacts_contact")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.import_case")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed-contacts", type=int, default=0, help="add this many first")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--dry-run", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    from bench.database import BenchDatabase

    database = BenchDatabase.from_environment()
    os.environ["DATABASE_URL"] = database.url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    if args.one:
        print(json.dumps(_one(args.one, args.dry_run)))
        return
    from django.core.management import call_command

    if not database.exists():
        database.create(drop_first=False)
    call_command("migrate", interactive=False, verbosity=0)
    if args.seed_contacts:
        seed_contacts(args.seed_contacts)
    figures = measure(args.rows)
    print(
        json.dumps(
            {
                **asdict(figures),
                "rows_per_second": round(figures.rows_per_second),
                "copy_ratio": round(figures.copy_ratio, 1),
                "floor_ratio": round(figures.floor_ratio, 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
