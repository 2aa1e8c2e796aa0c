"""Import a CSV file from the server's disk (no upload limit), with a progress bar."""

import sys
import threading
import time
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from contacts.models import Group
from imports.mapping import unrecognised
from imports.models import EmptyCells, ImportJob, ImportMode, ImportStatus, MatchOn
from imports.selectors import import_rejected_rows
from imports.services import import_cancel, import_start, import_upload, summary
from imports.tasks import run_import

BAR_WIDTH = 30
POLL_SECONDS = 0.5


class Command(BaseCommand):
    help = (
        "Import contacts from a CSV file, as the Import page does, for files larger than "
        "the upload limit. Columns are mapped by their names (docs/import-format.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--match", choices=MatchOn.values, default=MatchOn.EMAIL)
        parser.add_argument("--group", help="Name of the group every contact becomes a member of.")
        parser.add_argument("--mode", choices=ImportMode.values, default=ImportMode.CREATE_UPDATE)
        parser.add_argument("--empty-cells", choices=EmptyCells.values, default=EmptyCells.KEEP)
        parser.add_argument("--skip-existing-members", action="store_true")
        parser.add_argument("--skip-inactive-members", action="store_true")
        parser.add_argument("--dry-run", action="store_true", help="Validate: write nothing.")
        parser.add_argument(
            "--user", help="The Admin the import is recorded for (default: the first)."
        )
        parser.add_argument("--rejected-file", type=Path, help="Write the rejected rows here.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = _admin(options["user"])
        group = _group(options["group"])
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            with path.open("rb") as handle:
                job = import_upload(
                    user=user,
                    file=File(handle, name=path.name),
                    name=path.name,
                    group=group,
                    max_bytes=sys.maxsize,
                )
            for column, target in zip(job.header, job.mapping, strict=True):
                self.stdout.write(f"  {column!r:40} -> {target or '(ignored)'}")
            unknown = unrecognised(job.header)
            if unknown:
                # No mapping page here to choose them: stop rather than drop their data.
                import_cancel(job=job, user=user)
                names = ", ".join(repr(name) for name in unknown)
                raise CommandError(
                    f"Column names not recognised: {names}. Write them as the product "
                    "does (user.CustomAttribute.Name for a custom attribute), or remove them."
                )
            job = import_start(
                job=job,
                user=user,
                encoding=job.encoding,
                delimiter=job.delimiter,
                quotechar=job.quotechar,
                mapping=job.mapping,
                match_on=options["match"],
                mode=options["mode"],
                empty_cells=options["empty_cells"],
                group=group,
                skip_existing_members=options["skip_existing_members"],
                skip_inactive_members=options["skip_inactive_members"],
                dry_run=options["dry_run"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        job = self._run_with_progress(job)
        for name, count in summary(job).items():
            self.stdout.write(f"{name.capitalize():>10}: {count:,}")
        if options["rejected_file"] and job.has_rejected_rows:
            with options["rejected_file"].open("wb") as out:
                for data in import_rejected_rows(job):
                    out.write(data)
            self.stdout.write(f"The rejected rows are in {options['rejected_file']}.")
        if job.status != ImportStatus.DONE:
            raise CommandError(f"The import ended {job.get_status_display()}: {job.error}")

    def _run_with_progress(self, job: ImportJob) -> ImportJob:
        """Run the job here (a worker that takes it first runs it instead), drawing a bar."""

        def work() -> None:
            try:
                run_import.apply(args=(job.pk,))
            finally:
                connection.close()

        thread = threading.Thread(target=work, daemon=True)
        thread.start()
        started = time.monotonic()
        _progress_reads_take_locks(False)
        while True:
            job.refresh_from_db()
            self._draw(job, time.monotonic() - started)
            if job.status not in (ImportStatus.SCHEDULED, ImportStatus.RUNNING):
                break
            if not thread.is_alive() and job.status == ImportStatus.SCHEDULED:
                # Neither this process nor a worker took it: a worker will, in time.
                raise CommandError(f"Import {job.pk} is queued for the worker.")
            time.sleep(POLL_SECONDS)
        thread.join()
        _progress_reads_take_locks(True)
        job.refresh_from_db()  # as committed
        self.stderr.write("")
        return job

    def _draw(self, job: ImportJob, elapsed: float) -> None:
        total = max(job.progress_total or 0, job.progress_done, 1)
        filled = int(BAR_WIDTH * job.progress_done / total)
        rate = job.progress_done / elapsed if elapsed else 0
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        line = f"\r[{bar}] {job.progress_done:,}/{total:,} rows, {rate:,.0f} rows/s"
        self.stderr.write(line, ending="")
        self.stderr.flush()


def _progress_reads_take_locks(take: bool) -> None:
    """Where SQLite shares one cache between connections (an in-memory database, as the
    tests have), a read's table lock makes the job's write fail at once with "table is
    locked" instead of waiting. The bar's reads need no lock: they only draw progress."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA read_uncommitted = {'false' if take else 'true'}")


def _admin(username: str | None) -> User:
    users = User.objects.filter(is_active=True)
    user = (
        users.filter(username=username).first()
        if username
        else users.filter(is_superuser=True).order_by("pk").first()
    )
    if user is None:
        raise CommandError("No such user." if username else "Create an Admin first (--user).")
    if not user.has_perm("contacts.import_contact"):
        raise CommandError(f"{user.username} may not import contacts.")
    return user


def _group(name: str | None) -> Group | None:
    if not name:
        return None
    group = Group.objects.filter(name__iexact=name).first()
    if group is None:
        raise CommandError(f"There is no group named {name!r}.")
    return group
