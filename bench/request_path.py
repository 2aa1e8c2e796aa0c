"""Where a request's time goes: in SQL (the database driver's execute, results fetched)
or outside it (URL routing, middleware, forms, Python and templates), and the functions
that take the most time outside SQL (cProfile, cumulative, of a few more requests)."""

import cProfile
import io
import pstats
import statistics
import time
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client

# The reference row: the layout alone, behind the login and permission check of every page.
EMPTY_PAGE = "Empty page (reference)"


@dataclass
class RequestPath:
    label: str
    url: str
    total_ms: float
    sql_ms: float
    queries: int
    top: list[str] = field(default_factory=list)  # the costliest functions, cProfile

    @property
    def outside_ms(self) -> float:
        return self.total_ms - self.sql_ms


class _SqlTimer:
    def __init__(self) -> None:
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def measure(client: Client, label: str, url: str, *, requests: int = 20) -> RequestPath:
    """Median total and SQL time of `requests` GETs (after 3 warm-ups), and a profile."""
    for _ in range(3):
        client.get(url)
    totals, sqls, counts = [], [], []
    for _ in range(requests):
        timer = _SqlTimer()
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            response = client.get(url)
            totals.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url}: HTTP {response.status_code}")
        sqls.append(timer.seconds)
        counts.append(timer.queries)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        client.get(url)
    profiler.disable()
    return RequestPath(
        label=label,
        url=url,
        total_ms=statistics.median(totals) * 1000,
        sql_ms=statistics.median(sqls) * 1000,
        queries=max(counts),
        top=_top(profiler),
    )


def _top(profiler: cProfile.Profile, count: int = 15) -> list[str]:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(count)
    lines = out.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    return [line.rstrip() for line in lines[start : start + count + 1] if line.strip()]


def render(paths: list[RequestPath]) -> list[str]:
    if not paths:
        return ["Not measured."]
    lines = [
        "Median of 20 requests through the test client (after 3 warm-ups). In SQL: the "
        "time inside the database driver's execute (the results fetched); outside: the "
        "rest of the request (routing, middleware, sessions, forms, Python, templates). "
        "The functions that take the most time of their own (cProfile, 5 more requests) "
        "are in `bench/results/run-*.json`. The empty page is the app's layout with no "
        "content behind the same login and permission check: the session, user and "
        "permission reads and the middleware that every page costs before its own work.",
        "",
        "| Page | Total ms | In SQL ms | Outside SQL ms | Queries | Outside / in SQL |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for p in paths:
        share = f"{p.outside_ms / p.sql_ms:.1f}" if p.sql_ms else "—"
        lines.append(
            f"| {p.label} | {p.total_ms:.1f} | {p.sql_ms:.1f} | {p.outside_ms:.1f} "
            f"| {p.queries} | {share} |"
        )
    return lines
