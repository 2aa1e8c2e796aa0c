from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

if TYPE_CHECKING:
    from demo.seed import DemoLogin, SeedReport

# Development dependencies of the seeder: a production install (`make setup`) has none.
DEVELOPMENT_ONLY = {"faker"}


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value


def _non_negative_float(text: str) -> float:
    value = float(text)
    if not value >= 0:  # also refuses NaN
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Add realistic demo contacts with memberships, attributes, app data, related rows "
        "and message history. Running it again adds more."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--contacts", type=_non_negative_int, default=2000)
        parser.add_argument(
            "--events-per-contact",
            type=_non_negative_float,
            default=10,
            help="Average number of events per contact (default 10).",
        )
        parser.add_argument(
            "--memberships-per-contact",
            type=_non_negative_float,
            default=3,
            help="Average number of group memberships per contact (default 3).",
        )
        parser.add_argument(
            "--groups",
            type=_non_negative_int,
            default=20,
            help="Number of groups to use, created if missing (default 20; 1-2 are test groups).",
        )
        parser.add_argument(
            "--heavy-contacts",
            type=_non_negative_int,
            default=0,
            help="How many of the contacts get --heavy-events events each (default 0).",
        )
        parser.add_argument("--heavy-events", type=_non_negative_int, default=0)
        parser.add_argument(
            "--seed", type=int, default=None, help="Seed for repeatable names and values."
        )
        parser.add_argument(
            "--chunk-size",
            type=_non_negative_int,
            default=20_000,
            help="Contacts per transaction (default 20,000).",
        )
        parser.add_argument(
            "--users",
            action="store_true",
            default=True,
            help="Create the demo logins marketer and tester if missing (default).",
        )
        parser.add_argument("--no-users", dest="users", action="store_false")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            from demo.seed import TABLES, DemoOptions, ensure_demo_users, seed_demo
        except ModuleNotFoundError as exc:
            if exc.name not in DEVELOPMENT_ONLY:
                raise
            raise CommandError(
                f"seed_demo needs the development dependencies ({exc.name} is missing): "
                "`make demo` installs them."
            ) from None
        try:
            demo_options = DemoOptions(
                contacts=options["contacts"],
                events_per_contact=options["events_per_contact"],
                memberships_per_contact=options["memberships_per_contact"],
                groups=options["groups"],
                heavy_contacts=options["heavy_contacts"],
                heavy_events=options["heavy_events"],
                seed=options["seed"],
                chunk_size=options["chunk_size"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        verbose = options["verbosity"] > 0

        report = seed_demo(options=demo_options, progress=self._progress if verbose else None)
        if verbose:
            self._summary(report, tables=TABLES)
        if options["users"]:
            self._users(ensure_demo_users())

    def _progress(self, report: "SeedReport") -> None:
        rate = report.contacts_done / report.elapsed if report.elapsed else 0
        self.stdout.write(
            f"  {report.contacts_done:>11,} / {report.contacts_total:,} contacts, "
            f"{report.counts['memberships']:,} memberships, {report.counts['events']:,} events "
            f"({report.elapsed:,.1f} s, {rate:,.0f} contacts/s)"
        )

    def _summary(self, report: "SeedReport", *, tables: tuple[str, ...]) -> None:
        ids = (
            f"Contact IDs {report.first_contact_id:,} to {report.last_contact_id:,}"
            if report.first_contact_id is not None
            else "no contacts"
        )
        lines = [
            f"Demo data added in {report.elapsed:,.1f} s (seed {report.seed}; {ids}).",
            f"  {'groups and definitions':<26}{report.groups:>12,} groups, "
            f"{report.definitions} attribute definitions ({report.setup_seconds:,.1f} s setup)",
        ]
        for table in tables:
            seconds = report.seconds[table]
            rate = report.counts[table] / seconds if seconds else 0
            lines.append(
                f"  {table:<26}{report.counts[table]:>12,} rows {seconds:>8,.1f} s "
                f"{rate:>12,.0f} rows/s"
            )
        checks = "commit" if report.skipped_foreign_key_checks else "foreign key checks, commit"
        lines.append(f"  {checks:<26}{'':>17} {report.commit_seconds:>8,.1f} s")
        self.stdout.write(self.style.SUCCESS(lines[0]))
        self.stdout.write("\n".join(lines[1:]))

    def _users(self, logins: "list[DemoLogin]") -> None:
        for login in logins:
            if login.password is None:
                self.stdout.write(f"Demo login {login.username} exists already: left unchanged.")
            else:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Created demo login {login.username} (role {login.role}), "
                        f"password: {login.password}  (shown only once)"
                    )
                )
