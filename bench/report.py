"""docs/performance.md: the generated part between the markers; the rest is kept as written."""

import statistics
from dataclasses import dataclass, field
from pathlib import Path

from bench.dataset import Dataset, Samples
from bench.load import LoadResult
from bench.operations import (
    ANONYMIZE_TARGET_SECONDS,
    DELETE_TARGET_SECONDS,
    EXPORT_MEMORY_TARGET_MB,
    EXPORT_RATE_TARGET,
    RAW_SQL_RATIO_TARGET,
    AnonymizeRun,
    DeleteRun,
    ExportRun,
)
from bench.pages import STOCK_RATIO_TARGET
from bench.request_path import RequestPath
from bench.request_path import render as render_paths
from bench.sizes import FIRST_PAGE_FACTOR, RATIO_TARGET, SmallRun, busy_warning, flatness
from bench.sizes import render as render_flat
from bench.stock_http import StockHttp
from bench.timing import Measurement, Plan

START, END = "<!-- bench:start -->", "<!-- bench:end -->"
TITLE = "# Performance"


@dataclass
class RunReport:
    command: str
    date: str
    seconds: float
    seed_seconds: float  # spent seeding in this run (0 when reused)
    reused: bool
    machine: dict[str, str]
    load_start: str
    load_end: str
    load_after_pages: str
    dataset: Dataset
    tables: list[tuple[str, int, int]]
    samples: Samples
    plan: Plan
    pagination: str
    pages: list[Measurement] = field(default_factory=list)
    stock_ratio: float | None = None
    stock_vs_admin: float | None = None
    deletes: list[DeleteRun] = field(default_factory=list)
    anonymize: AnonymizeRun | None = None
    export: ExportRun | None = None
    load: LoadResult | None = None
    small: SmallRun | None = None  # the same pages on the smaller dataset
    request_paths: list[RequestPath] = field(default_factory=list)
    stock_http: StockHttp | None = None


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def _met(value: bool | None) -> str:
    return {True: "yes", False: "**no**", None: "—"}[value]


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {secs:02d} s"


def _size(size: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    return str(size)


def _table(header: list[str], rows: list[list[str]], align: str = "") -> list[str]:
    align = align or "l" * len(header)
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _worst(pages: list[Measurement], attribute: str) -> tuple[float | None, str]:
    timed = [p for p in pages if getattr(p, attribute) is not None]
    if not timed:
        return None, ""
    worst = max(timed, key=lambda p: getattr(p, attribute))
    return getattr(worst, attribute), worst.label


def _group_row(name: str, pages: list[Measurement], *, p95: bool = True) -> list[str]:
    median, median_of = _worst(pages, "median")
    figure = f"worst median {_ms(median)} ms ({median_of})"
    if p95:
        high, high_of = _worst(pages, "p95")
        figure += f"; worst p95 {_ms(high)} ms ({high_of})"
    met = [p.met for p in pages]
    passed = sum(1 for m in met if m)
    verdict = _met(bool(met) and all(met)) + f" ({passed} of {len(met)} pages)"
    target = str(pages[0].target) if pages and pages[0].target else ""
    return [name, target, figure, verdict]


def _summary(report: RunReport) -> list[str]:
    pages = report.pages

    def where(predicate) -> list[Measurement]:
        return [p for p in pages if predicate(p)]

    listing = where(
        lambda p: (
            p.section in ("All Contacts", "Search/filter")
            and p.target is not None
            and p.target.median_ms == 50
        )
    )
    exact = where(lambda p: p.label.startswith("exact"))
    broad = where(lambda p: p.label.startswith(("email prefix", "name substring")))
    addresses = where(lambda p: p.label.startswith(("email beginning", "domain")))
    admin = where(lambda p: p.label.startswith("project admin"))
    profile = where(lambda p: p.section == "Profile")
    rows = [
        _group_row("All Contacts: any page, sort, filter", listing),
        _group_row("Exact email, mobile, alias, ID search", exact, p95=False),
        _group_row("Email prefix and name substring search", broad, p95=False),
        _group_row("Email beginning without @, domain search", addresses),
        _group_row("Project admin for contacts, per page", admin, p95=False),
        _group_row(f"Profile, {report.dataset.heavy_events:,} events", profile, p95=False),
    ]
    ratio = report.stock_ratio
    rows.append(
        [
            "First page vs STOCK admin changelist",
            f">= {STOCK_RATIO_TARGET:g}x faster",
            f"{ratio:,.1f}x" if ratio else "—",
            _met(ratio >= STOCK_RATIO_TARGET if ratio else None),
        ]
    )
    http = report.stock_http
    if http is not None:
        rows.append(
            [
                f"STOCK admin over HTTP (gunicorn), {http.rows} rows on both sides",
                f">= {STOCK_RATIO_TARGET:g}x faster",
                f"{http.ratio:,.1f}x ({http.ours_ms:.1f} ms vs {http.stock_ms:.1f} ms)"
                if http.ratio
                else http.error or "—",
                _met(http.ratio >= STOCK_RATIO_TARGET if http.ratio else None),
            ]
        )
    if report.deletes:
        worst = max(run.seconds for run in report.deletes)
        verified = all(run.verified for run in report.deletes)
        rows.append(
            [
                f"Bulk delete of {report.deletes[0].contacts:,} contacts with their rows",
                f"< {DELETE_TARGET_SECONDS:g} s",
                f"median {statistics.median(r.seconds for r in report.deletes):.2f} s, "
                f"worst {worst:.2f} s of {len(report.deletes)} runs"
                + ("" if verified else " (rows left behind!)"),
                _met(worst < DELETE_TARGET_SECONDS and verified),
            ]
        )
        ratios = [r.raw_ratio for r in report.deletes if r.raw_ratio is not None]
        rows.append(
            [
                "Bulk delete vs raw SQL DELETEs of the same rows",
                f"within {RAW_SQL_RATIO_TARGET:g}x",
                f"median {statistics.median(ratios):.1f}x, worst {max(ratios):.1f}x"
                if ratios
                else "—",
                _met(max(ratios) <= RAW_SQL_RATIO_TARGET if ratios else None),
            ]
        )
    if report.anonymize:
        a = report.anonymize
        rows.append(
            [
                f"Anonymize vs a raw UPDATE of its {a.events:,} events",
                f"within {RAW_SQL_RATIO_TARGET:g}x",
                f"{a.raw_ratio:.1f}x ({a.seconds:.2f} s vs {a.raw_seconds:.2f} s)"
                if a.raw_ratio and a.raw_seconds
                else "—",
                _met(a.raw_ratio <= RAW_SQL_RATIO_TARGET if a.raw_ratio else None),
            ]
        )
        rows.append(
            [
                f"Anonymize a contact with {a.events:,} events",
                f"< {ANONYMIZE_TARGET_SECONDS:g} s",
                f"{a.seconds:.2f} s, {a.statements} SQL statements",
                _met(a.seconds < ANONYMIZE_TARGET_SECONDS and a.verified),
            ]
        )
    if report.export:
        e = report.export
        rows.append(
            [
                f"Export, {e.events:,} events: row rate vs COPY",
                f"within {EXPORT_RATE_TARGET:g}x",
                f"{e.ratio:.1f}x slower" if e.ratio else "—",
                _met(e.ratio <= EXPORT_RATE_TARGET if e.ratio else False),
            ]
        )
        rows.append(
            [
                "Export: peak memory growth",
                f"< {EXPORT_MEMORY_TARGET_MB:g} MB",
                f"{e.memory_mb:.1f} MB" if e.memory_mb is not None else "—",
                _met(e.memory_mb < EXPORT_MEMORY_TARGET_MB if e.memory_mb is not None else False),
            ]
        )
    if report.small is not None:
        flat = flatness(pages, report.small)
        passed = sum(1 for f in flat if f.met)
        ratios = [f.ratio for f in flat if f.ratio is not None]
        rows.append(
            [
                f"Flat: {report.small.contacts:,} vs {report.dataset.contacts:,} contacts",
                f"ratio <= {RATIO_TARGET:g} and median <= {FIRST_PAGE_FACTOR:g}x the first page",
                f"worst ratio {max(ratios):.2f}" if ratios else "—",
                _met(bool(flat) and passed == len(flat)) + f" ({passed} of {len(flat)} pages)",
            ]
        )
    counts: dict[str, set[int]] = {}
    for p in pages:
        if p.queries is not None:
            counts.setdefault(p.section, set()).add(p.queries)
    rows.append(
        [
            "SQL queries per page do not grow with the table",
            "same count at any size",
            "; ".join(f"{k}: {min(v)}–{max(v)}" for k, v in counts.items()),
            "— (one size per run)",
        ]
    )
    if report.load and not report.load.error:
        rows.append(
            [
                f"Load: {report.load.connections} clients, {report.load.duration_s} s",
                "zero errors",
                f"{report.load.errors} errors, {report.load.requests_per_s:.1f} requests/s",
                _met(report.load.errors == 0),
            ]
        )
    return _table(["Target", "Goal", "Measured", "Met"], rows)


def _pages(report: RunReport) -> list[str]:
    rows = []
    for p in report.pages:
        label = p.label + (f" — {p.note}" if p.note else "")
        rows.append(
            [
                p.section,
                label + (f" — **{p.error}**" if p.error else ""),
                _ms(p.median),
                _ms(p.p95),
                _ms(p.maximum),
                "—" if p.queries is None else str(p.queries),
                _ms(p.slowest_query_ms),
                str(p.target) if p.target else "",
                _met(p.met),
            ]
        )
    header = ["Section", "Page", "Median ms", "p95 ms", "Max ms", "Queries", "Slowest query ms"]
    return _table([*header, "Target", "Met"], rows, "llrrrrrll")


def _operations(report: RunReport) -> list[str]:
    lines: list[str] = []
    if report.deletes:
        rows = [
            [
                str(i),
                f"{r.contacts:,}",
                f"{r.events:,}",
                f"{r.memberships:,}",
                f"{r.seconds:.2f}",
                "—" if r.raw_seconds is None else f"{r.raw_seconds:.2f}",
                "—" if r.raw_ratio is None else f"{r.raw_ratio:.1f}x",
                f"{r.statements} ({r.statement_kinds})",
                "yes" if r.verified else "**no**",
            ]
            for i, r in enumerate(report.deletes, 1)
        ]
        lines += [
            "**Bulk delete** (`contacts_delete` on random contacts spread over the table):",
            "",
        ]
        header = ["Run", "Contacts", "Events", "Memberships", "Seconds", "Raw SQL s", "Ratio"]
        lines += _table([*header, "SQL statements", "Gone"], rows, "rrrrrrrll") + [""]
        lines += [
            "Raw SQL: one `DELETE ... WHERE contact_id = ANY(ids)` per table that holds rows "
            "of a contact, children first, foreign keys checked as each statement ends, on "
            "the same contacts just before (the transaction rolled back, after one warm-up).",
            "",
        ]
    if report.anonymize:
        a = report.anonymize
        lines += [
            f"**Anonymize** (`contact_anonymize`) of contact {a.contact_id} with "
            f"{a.events:,} events: **{a.seconds:.2f} s**, {a.statements} SQL statements "
            f"({a.statement_kinds}); verified: {'yes' if a.verified else '**no**'}. The number of "
            "statements does not depend on the number of events (bulk UPDATEs). Raw SQL: "
            f"one `UPDATE` that moves the same events and hashes their addresses with md5, "
            f"{_seconds(a.raw_seconds)} (rolled back, after one warm-up).",
            "",
        ]
    if report.export:
        e, probe = report.export, report.export.probe
        copy_s = statistics.median(e.copy_seconds) if e.copy_seconds else 0
        lines += [
            f"**Export** of contact {e.contact_id} with {e.events:,} events "
            "(`exports.tasks.build_export` run synchronously in a fresh process; "
            "COPY of the same event columns in the same order, read fully through psycopg):",
            "",
        ]
        rows = [
            [
                "Export (CSV, encrypted file)",
                f"{e.export_seconds:.2f}",
                f"{e.export_rate:,.0f}",
                f"{probe.get('growth_mb', 0):.1f} (RSS {probe.get('rss_before_mb', 0):.0f} → "
                f"peak {probe.get('peak_mb', 0):.0f})",
                _size(int(probe.get("plaintext_bytes") or 0)),
            ],
            [
                f"PostgreSQL COPY (median of {len(e.copy_seconds)})",
                f"{copy_s:.2f}",
                f"{e.copy_rate:,.0f}",
                "—",
                _size(e.copy_bytes),
            ],
        ]
        header = ["", "Seconds", "Rows/s", "Peak memory growth MB", "Bytes"]
        lines += _table(header, rows, "lrrrr")
        if probe.get("outcome") != "ready":
            lines += ["", f"Export outcome: **{probe.get('outcome')}** {probe.get('error', '')}"]
        lines += [""]
    return lines


def _load(report: RunReport) -> list[str]:
    load = report.load
    if load is None:
        return ["Not run (`--skip-load`)."]
    if load.error:
        return [f"**Failed:** {load.error}"]
    lat = load.latency_ms
    socket = ", ".join(f"{k} {v}" for k, v in load.socket_errors.items()) or "none"
    lines = [
        f"gunicorn `config.wsgi` with {load.workers} sync workers (production settings), "
        f"`wrk -t{load.threads} -c{load.connections} -d{load.duration_s}s --latency "
        f"--timeout {load.timeout_s}s` on `/contacts/` with a marketer's session cookie, "
        "all on 127.0.0.1 (wrk shares the 2 cores with gunicorn and PostgreSQL).",
        "",
    ]
    rows = [
        ["Requests", f"{load.requests:,}"],
        ["Throughput", f"{load.requests_per_s:,.1f} requests/s"],
        [
            "Latency p50 / p75 / p90 / p99",
            " / ".join(_ms(lat.get(k)) for k in ("p50", "p75", "p90", "p99")) + " ms",
        ],
        ["Latency average / max", f"{_ms(lat.get('avg'))} / {_ms(lat.get('max'))} ms"],
        ["Socket errors", socket],
        ["Responses other than 200", str(load.not_200 if load.not_200 is not None else "?")],
        ["Worker errors (tracebacks, timeouts)", str(len(load.worker_errors))],
    ]
    return lines + _table(["", ""], rows, "lr")


def render(report: RunReport) -> str:
    ds, s = report.dataset, report.samples
    machine = [[k, v] for k, v in report.machine.items()]
    machine += [
        [
            "Load average (1/5/15 min)",
            f"start {report.load_start}; after the pages {report.load_after_pages}; "
            f"end {report.load_end}",
        ],
        ["Date", report.date],
    ]
    seeded = (
        f"reused the dataset seeded {ds.seeded_at} (seeding took {_duration(ds.seed_seconds)}, "
        f"VACUUM ANALYZE {_duration(ds.vacuum_seconds)})"
        if report.reused
        else f"seeding {_duration(report.seed_seconds)} of it"
    )
    lines = [
        START,
        "<!-- Generated by `python -m bench.run`; edit outside the markers only. -->",
        "",
        "## Latest run",
        "",
        f"`{report.command}` took **{_duration(report.seconds)}** ({seeded}).",
        "",
        *busy_warning(
            [report.load_start, report.load_after_pages, report.load_end]
            + (report.small.load_average if report.small else [])
        ),
        "### Machine",
        "",
        *_table(["", ""], machine),
        "",
        "### Dataset",
        "",
        f"{ds.contacts:,} contacts (seed {ds.seed}; {ds.replaced:,} re-seeded since to replace "
        f"deleted and anonymized ones). Heavy contacts with {ds.heavy_events:,} events each: "
        f"{ds.profile_id} (profile and history), {ds.spare_id}, and {ds.anonymize_id} (the next "
        f"to anonymize); {ds.export_id} with {ds.export_events:,} events (export).",
        "",
        *_table(
            ["Table", "Rows", "Size with indexes"],
            [[t, f"{n:,}", _size(b)] for t, n, b in report.tables],
            "lrr",
        ),
        "",
        f"Searched for: email `{s.email}`, mobile `{s.mobile}`, Contact ID {s.contact_id}, "
        f"alias `{s.alias[:40]}`, email prefix `{s.email_prefix}`, email beginning "
        f"`{s.email_beginning}`, domain `{s.domain}` (the most common), internationalised "
        f"domain `{s.idn_domain or 'none'}`, 1 to 6 letters and the middle four "
        f"(`{s.name_part}`) of {s.common_last_name or s.last_name} (the most common last "
        f"name), group {s.group_id} ({s.group_name}), small group "
        f"{s.small_group_id}, large group {s.large_group_id} ({s.large_group_members:,} "
        "members), created "
        f"{s.created_from} to {s.created_to}.",
        "",
        "### Targets",
        "",
        *_summary(report),
        "",
        "### Pages",
        "",
        f"{report.plan.requests} timed requests each after {report.plan.warmup} warm-up "
        "requests, through Django's test client (server time, no browser), logged in as a "
        "marketer (the admins as a superuser); p95 by linear interpolation. Queries: the SQL "
        f"queries of one more request. All Contacts pagination: {report.pagination or '?'}.",
        "",
        *_pages(report),
        "",
        f"STOCK admin first page / All Contacts first page: **{_ratio(report.stock_ratio)}**; "
        f"STOCK admin / project admin first page: {_ratio(report.stock_vs_admin)}.",
        "",
        "### Flat at any size",
        "",
        *render_flat(report.pages, report.small, report.dataset.contacts),
        "",
        "### Bulk delete, anonymize, export",
        "",
        *_operations(report),
        "### Request path",
        "",
        *render_paths(report.request_paths),
        "",
        "### Load test",
        "",
        *_load(report),
        "",
        END,
    ]
    return "\n".join(lines)


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s"


def _ratio(value: float | None) -> str:
    return f"{value:,.1f}x" if value else "—"


DEFAULT_NOTES = """
## How to run

`make bench` (1,000,000 contacts), `make bench BENCH_ARGS="--reuse"` to measure again on the
seeded database, `python -m bench.run --help` for the options. What is measured and how:
the docstrings of the modules in `bench/`.
"""


def write(path: Path, generated: str) -> None:
    """Replace the part between the markers; keep everything else as it is."""
    if path.exists():
        text = path.read_text()
        if START in text and END in text:
            before, rest = text.split(START, 1)
            after = rest.split(END, 1)[1]
            path.write_text(before + generated + after)
            return
        path.write_text(text.rstrip() + "\n\n" + generated + "\n")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{TITLE}\n\n{generated}\n{DEFAULT_NOTES}")
