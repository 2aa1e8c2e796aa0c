"""`python -m bench.run`: seed (or reuse) the bench database, measure, write the report.

See docs/performance.md for what is measured and the latest figures.
"""

import argparse
import dataclasses
import json
import os
import shlex
import sys
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench.database import BenchDatabase, BenchDatabaseError

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description="Benchmark the app on PostgreSQL and write docs/performance.md.",
    )
    option = parser.add_argument
    option("--contacts", type=int, default=1_000_000, help="dataset size (default 1,000,000)")
    option("--reuse", action="store_true", help="keep the bench database if it holds this size")
    option("--requests", type=int, default=20, help="timed requests per page (default 20)")
    option("--warmup", type=int, default=3, help="warm-up requests per page (default 3)")
    option("--heavy-events", type=int, default=100_000, help="events of the heavy contacts")
    option("--export-events", type=int, default=1_000_000, help="events of the export contact")
    option("--delete-count", type=int, default=10_000, help="contacts per bulk delete")
    option("--delete-runs", type=int, default=3, help="bulk deletes, each of other contacts")
    option("--seed", type=int, default=1, help="seed of the demo data")
    option("--skip-load", action="store_true", help="no gunicorn + wrk load test")
    option("--skip-operations", action="store_true", help="no delete, anonymize, export")
    option("--load-duration", type=int, default=60, help="seconds of load (default 60)")
    option("--load-connections", type=int, default=50, help="concurrent clients (default 50)")
    option("--output", default="docs/performance.md", help="report file, '-' for none")
    option(
        "--compare-contacts",
        type=int,
        default=100_000,
        help="the same pages on a second dataset of this size, for the ratios (0: none)",
    )
    option(
        "--compare-database-url",
        default=os.environ.get("BENCH_COMPARE_DATABASE_URL", ""),
        help="its database (default: the bench database's name + _100k)",
    )
    option("--pages-only", action="store_true", help=argparse.SUPPRESS)  # prepares the compare
    option("--pages-json", default="", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _command(argv: list[str]) -> str:
    if os.environ.get("MAKELEVEL"):
        return "make bench" + (f' BENCH_ARGS="{shlex.join(argv)}"' if argv else "")
    return shlex.join(["python", "-m", "bench.run", *argv])


def _step(title: str) -> None:
    print(f"\n== {title}", file=sys.stderr, flush=True)


def _guarded(title: str, action: Callable, errors: list[str]):
    """Run one part of the bench; a failure is reported and the others still run."""
    try:
        return action()
    except Exception as exc:  # the report says which part failed and why
        traceback.print_exc()
        errors.append(f"{title}: {exc.__class__.__name__}: {exc}")
        return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    started = time.perf_counter()
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    try:
        database = BenchDatabase.from_environment()
    except BenchDatabaseError as exc:
        print(exc, file=sys.stderr)
        return 2
    os.environ["DATABASE_URL"] = database.url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

    from bench import machine

    load_start = machine.load_average()
    _step(f"Database {database.name} (load average {load_start})")
    if not args.reuse or not database.exists():
        database.create(drop_first=True)

    import django

    django.setup()
    return _run(args, argv, database, started=started, date=date, load_start=load_start)


def _prepare(args, database: BenchDatabase):
    """(dataset, seconds spent seeding, reused) after migrating, seeding or reusing."""
    from django.core.management import call_command
    from django.db import connections

    from bench import dataset as data

    spec = data.Spec(args.contacts, args.heavy_events, args.export_events, args.seed)
    call_command("migrate", interactive=False, verbosity=0)
    if args.reuse:
        marker = data.read_marker()
        problem = data.reuse_problem(marker, spec)
        if problem is None and marker is not None:
            data.log(f"  reusing {marker.contacts:,} contacts seeded {marker.seeded_at}")
            if data.restore(marker, salt=int(time.time())):
                data.vacuum_analyze()
            data.log(f"  ANALYZE in {data.analyze():.1f} s")
            return marker, 0.0, True
        data.log(f"  cannot reuse {database.name}: {problem}; re-creating it")
        connections.close_all()
        database.create(drop_first=True)
        call_command("migrate", interactive=False, verbosity=0)
    _step(f"Seeding {args.contacts:,} contacts")
    seeding = time.perf_counter()
    dataset = data.seed(spec)
    return dataset, time.perf_counter() - seeding, False


def _run(args, argv, database: BenchDatabase, *, started: float, date: str, load_start: str):

    from bench import api, import_case, machine, operations, sizes, stock_http
    from bench import dataset as data
    from bench.load import run_load
    from bench.report import RunReport, render, write
    from bench.timing import Plan

    dataset, seed_seconds, reused = _prepare(args, database)
    marketer, admin = data.ensure_users()
    samples = data.samples(dataset)
    tables = data.table_counts()
    errors: list[str] = []

    if args.pages_only:  # the smaller dataset, made ready for the main run to time
        sizes.write_pages_json(Path(args.pages_json), [], [load_start, machine.load_average()])
        return 0

    small = None
    if args.compare_contacts:
        _step(f"{args.compare_contacts:,} contacts, for the ratios: seeding or reusing")
        small = _guarded("Smaller dataset", lambda: _small_run(args, database), errors)

    _step("Pages (each timed at both sizes, request by request)")
    plan = Plan(args.requests, args.warmup)
    benches = []
    if small is not None and not small.error:
        sizes.use_database(small.database)
        small_bench = _page_bench(plan, *data.ensure_users())
        small_dataset = data.read_marker()
        _guarded(
            "Smaller dataset: pages",
            lambda: _plan_pages(small_bench, small_dataset, None, errors),
            errors,
        )
        benches.append((small.database, small_bench))
    sizes.use_database(database.name)
    pages = _page_bench(plan, marketer, admin)
    _plan_pages(pages, dataset, samples, errors)
    benches.append((database.name, pages))
    for name, bench in benches:
        sizes.use_database(name)
        _guarded("Warm-up", bench.warm_up, errors)
    _guarded("Pages", lambda: sizes.time_alternately(benches), errors)
    sizes.use_database(database.name)
    if small is not None and len(benches) == 2:
        small.pages = {(p.section, p.label): p.as_dict() for p in benches[0][1].results}
    # The API at the main size only (its goals are absolute medians at 1,000,000 contacts).
    _guarded(
        "REST API", lambda: pages.results.extend(api.run(marketer, samples, pages.plan)), errors
    )
    stock_ratio, stock_vs_admin = pages.stock_ratio()
    paths = _guarded("Request path", lambda: _request_paths(pages.client, dataset), errors) or []
    load_after_pages = machine.load_average()

    report = RunReport(
        command=_command(argv),
        date=date,
        seconds=0.0,
        seed_seconds=seed_seconds,
        reused=reused,
        machine=machine.describe(),
        load_start=load_start,
        load_end="",
        load_after_pages=load_after_pages,
        dataset=dataset,
        tables=tables,
        samples=samples,
        plan=pages.plan,
        pagination=pages.pagination,
        pages=pages.results,
        stock_ratio=stock_ratio,
        stock_vs_admin=stock_vs_admin,
        small=small,
        request_paths=paths,
    )
    if not args.skip_operations:
        _step("Export")
        report.export = _guarded("Export", lambda: operations.export(dataset, marketer), errors)
    if not args.skip_load:
        _step("STOCK admin over HTTP, the same rows per page")
        report.stock_http = _guarded(
            "STOCK admin over HTTP",
            lambda: stock_http.compare(marketer, admin, database_url=database.url),
            errors,
        )
        _step("Load test")
        report.load = _guarded(
            "Load test",
            lambda: run_load(
                marketer,
                database_url=database.url,
                connections=args.load_connections,
                duration_s=args.load_duration,
                log_dir=ROOT / "bench" / "results",
            ),
            errors,
        )
    if not args.skip_operations:
        _step("Anonymize and bulk delete")
        report.anonymize = _guarded(
            "Anonymize", lambda: operations.anonymize(dataset, marketer), errors
        )
        report.deletes = (
            _guarded(
                "Bulk delete",
                lambda: operations.bulk_delete(
                    dataset, marketer, count=args.delete_count, runs=args.delete_runs, seed=7
                ),
                errors,
            )
            or []
        )
        _step("Restoring the dataset for the next run")
        if data.restore(dataset, salt=int(time.time())):
            data.log(f"  VACUUM ANALYZE in {data.vacuum_analyze():.1f} s")
    imported = None
    if not args.skip_operations:
        _step("Import")
        imported = _guarded("Import", lambda: import_case.measure(), errors)
    report.load_end = machine.load_average()
    report.seconds = time.perf_counter() - started
    text = import_case.add_section(render(report), imported)
    if errors:
        text = text.replace(
            "### Machine", "**Failed parts:** " + "; ".join(errors) + "\n\n### Machine"
        )
    _save_json(report, errors)
    if args.output != "-":
        write(ROOT / args.output, text)
        data.log(f"\nWrote {args.output} ({report.seconds / 60:.1f} min in all).")
    else:
        print(text)
    return 1 if errors else 0


def _page_bench(plan, marketer, admin):
    from django.test import Client

    from bench.pages import PageBench

    client, admin_client = Client(), Client()
    client.force_login(marketer)
    admin_client.force_login(admin)
    return PageBench(client, admin_client, plan, planning=True)


def _plan_pages(pages, dataset, samples=None, errors=None) -> None:
    """List every page of one dataset (reaching far pages by their links): timed later."""
    from bench import dataset as data
    from bench import pages_flat

    if dataset is None:
        raise RuntimeError("the database holds no complete bench dataset")
    samples = samples or data.samples(dataset)
    errors = [] if errors is None else errors
    sorts = _sorts(pages)
    _guarded("All Contacts", lambda: pages.all_contacts(sorts), errors)
    _guarded("Searches and filters", lambda: pages.searches(samples), errors)
    _guarded("Search by length", lambda: pages_flat.short_searches(pages, samples), errors)
    _guarded("Filters", lambda: pages_flat.every_filter(pages, samples), errors)
    _guarded("Group sorts", lambda: pages_flat.group_sorts(pages, samples, sorts), errors)
    _guarded("Profile", lambda: pages.profile(dataset), errors)
    _guarded("Admin", lambda: pages.admins(samples), errors)
    _guarded("Admin sorts", lambda: pages_flat.admin_pages(pages, samples), errors)
    _guarded("Admin data lists", lambda: pages_flat.data_admin_pages(pages), errors)
    _guarded("First page again", lambda: pages_flat.first_page_again(pages), errors)


def _request_paths(client, dataset) -> list:
    from bench import request_path
    from bench.urls import EMPTY_PAGE_URL

    _step("Request path: time in SQL and outside it")
    return [
        request_path.measure(client, "All Contacts, first page", "/contacts/"),
        request_path.measure(client, "Contact Profile", f"/contacts/{dataset.profile_id}/"),
        request_path.measure(client, request_path.EMPTY_PAGE, EMPTY_PAGE_URL),
    ]


def _small_run(args, database: BenchDatabase):
    """The pages on the smaller dataset (its own database), measured in a child process."""
    from bench import sizes

    url = sizes.compare_url(database.url, args.compare_contacts, args.compare_database_url)
    forwarded = [
        f"--requests={args.requests}",
        f"--warmup={args.warmup}",
        f"--heavy-events={args.heavy_events}",
        f"--export-events={args.export_events}",
        f"--seed={args.seed}",
    ]
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    path = ROOT / "bench" / "results" / f"pages-{args.compare_contacts}-{stamp}.json"
    return sizes.run_small(
        url=url, contacts=args.compare_contacts, forwarded=forwarded, json_path=path
    )


def _sorts(pages) -> list[str]:
    """The sort keys of All Contacts: contacts.filters.SORTS, or else the sort links."""
    try:
        from contacts.filters import SORTS

        return list(SORTS)
    except ImportError:
        from bench.timing import anchors

        html = pages.client.get("/contacts/").content.decode()
        keys = []
        for attrs, _text in anchors(html):
            if "sort-link" in attrs.get("class", "") and "sort=" in attrs.get("href", ""):
                key = attrs["href"].split("sort=", 1)[1].split("&", 1)[0].lstrip("-")
                keys += [key, f"-{key}"]
        return list(dict.fromkeys(keys))


def _save_json(report, errors: list[str]) -> None:
    folder = ROOT / "bench" / "results"
    folder.mkdir(parents=True, exist_ok=True)

    def plain(value):
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {k: plain(v) for k, v in dataclasses.asdict(value).items()}
        return value

    data = {
        "date": report.date,
        "command": report.command,
        "seconds": report.seconds,
        "errors": errors,
        "machine": report.machine,
        "load_average": [report.load_start, report.load_after_pages, report.load_end],
        "dataset": plain(report.dataset),
        "tables": report.tables,
        "samples": {k: str(v) for k, v in dataclasses.asdict(report.samples).items()},
        "pages": [p.as_dict() for p in report.pages],
        "stock_ratio": report.stock_ratio,
        "deletes": [plain(d) for d in report.deletes],
        "anonymize": plain(report.anonymize),
        "export": plain(report.export),
        "load": plain(report.load),
        "stock_http": plain(report.stock_http),
        "request_paths": [plain(p) for p in report.request_paths],
    }
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    (folder / f"run-{stamp}.json").write_text(json.dumps(data, indent=1, default=str))


if __name__ == "__main__":
    sys.exit(main())
