"""Where a request's time goes: in SQL (the database driver's execute, results fetched)
or outside it (URL routing, middleware, forms, Python and templates), and the functions
that take the most time outside SQL (cProfile, cumulative, of a few more requests).

Each page is also timed with its templates rendered as nothing: the rest (the view's
Python, the ORM, forms, middleware) is the least time any template engine could leave
outside SQL.
"""

import cProfile
import io
import pstats
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from unittest import mock

from django.db import connection
from django.template import loader
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
    # The same request with its templates rendered as nothing (total, in SQL).
    bare_total_ms: float | None = None
    bare_sql_ms: float | None = None

    @property
    def outside_ms(self) -> float:
        return self.total_ms - self.sql_ms

    @property
    def bare_outside_ms(self) -> float | None:
        if self.bare_total_ms is None or self.bare_sql_ms is None:
            return None
        return self.bare_total_ms - self.bare_sql_ms


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
    """Median total and SQL time of `requests` GETs (after 3 warm-ups), and a profile;
    then the same without templates."""
    total, sql, queries = _timed(client, url, requests)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        client.get(url)
    profiler.disable()
    with templates_rendered_as_nothing():
        bare_total, bare_sql, _ = _timed(client, url, requests)
    return RequestPath(
        label=label,
        url=url,
        total_ms=total,
        sql_ms=sql,
        queries=queries,
        top=_top(profiler),
        bare_total_ms=bare_total,
        bare_sql_ms=bare_sql,
    )


def _timed(client: Client, url: str, requests: int) -> tuple[float, float, int]:
    """Median total ms, median ms in SQL and the most queries of `requests` GETs."""
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
    return statistics.median(totals) * 1000, statistics.median(sqls) * 1000, max(counts)


@contextmanager
def templates_rendered_as_nothing() -> Iterator[None]:
    """The templates of a page rendered by django.shortcuts.render (the pages measured
    here) give an empty string. A query that a template would have run (the options of
    a select) is left out as well."""
    with mock.patch.object(loader, "render_to_string", return_value=""):
        yield


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
        "| Page | Total ms | In SQL ms | Outside SQL ms | Queries | Outside / in SQL "
        "| Without templates: in SQL / outside ms | Outside / in SQL |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for p in paths:
        bare = bare_share = "—"
        if p.bare_outside_ms is not None and p.bare_sql_ms is not None:
            bare = f"{p.bare_sql_ms:.1f} / {p.bare_outside_ms:.1f}"
            bare_share = _share(p.bare_outside_ms, p.bare_sql_ms)
        lines.append(
            f"| {p.label} | {p.total_ms:.1f} | {p.sql_ms:.1f} | {p.outside_ms:.1f} "
            f"| {p.queries} | {_share(p.outside_ms, p.sql_ms)} | {bare} | {bare_share} |"
        )
    lines += [
        "",
        "Without templates: the same requests with every template rendered as an empty "
        "string (a query that only a template runs is left out too). What remains outside "
        "SQL there (middleware, sessions, the view's Python, the ORM, forms) is the least "
        "that any template engine could leave.",
    ]
    return lines


def _share(outside: float, sql: float) -> str:
    return f"{outside / sql:.1f}" if sql else "—"
