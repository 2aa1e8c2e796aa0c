"""Timing GET requests through Django's test client: warm-up, then N timed requests.

Server time only (no browser): the whole request through middleware, view and template.
"""

import re
import statistics
import sys
import time
from collections.abc import Generator
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class Target:
    median_ms: float | None = None
    p95_ms: float | None = None

    def __str__(self) -> str:
        parts = []
        if self.median_ms is not None:
            parts.append(f"median < {self.median_ms:g} ms")
        if self.p95_ms is not None:
            parts.append(f"p95 < {self.p95_ms:g} ms")
        return ", ".join(parts)


def percentile(samples: list[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (numpy's default), fraction in [0, 1]."""
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Measurement:
    section: str
    label: str
    url: str
    samples_ms: list[float] = field(default_factory=list)
    queries: int | None = None
    slowest_query_ms: float | None = None
    slowest_query: str = ""
    status: int | None = None
    error: str = ""
    target: Target | None = None
    note: str = ""
    shown: str = ""  # the count All Contacts shows ("712", "more than 1,000"), if any

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples_ms) if self.samples_ms else None

    @property
    def p95(self) -> float | None:
        return percentile(self.samples_ms, 0.95) if self.samples_ms else None

    @property
    def maximum(self) -> float | None:
        return max(self.samples_ms) if self.samples_ms else None

    @property
    def met(self) -> bool | None:
        """Whether the target is met; None when there is no target."""
        if self.target is None:
            return None
        if self.error or self.median is None or self.p95 is None:
            return False
        if self.target.median_ms is not None and self.median >= self.target.median_ms:
            return False
        return not (self.target.p95_ms is not None and self.p95 >= self.target.p95_ms)

    def as_dict(self) -> dict:
        return {
            "section": self.section,
            "label": self.label,
            "url": self.url,
            "median_ms": self.median,
            "p95_ms": self.p95,
            "max_ms": self.maximum,
            "samples_ms": [round(s, 2) for s in self.samples_ms],
            "queries": self.queries,
            "slowest_query_ms": self.slowest_query_ms,
            "slowest_query": self.slowest_query,
            "status": self.status,
            "error": self.error,
            "target": str(self.target) if self.target else None,
            "met": self.met,
            "note": self.note,
            "shown": self.shown,
        }


@dataclass(frozen=True)
class Plan:
    requests: int = 20
    warmup: int = 3


def measure(client: Client, url: str, **options: Any) -> Measurement:
    """Warm up, time `plan.requests` GETs, then count the SQL queries of one more (the
    options of measure_steps)."""
    return run_steps(measure_steps(client, url, **options))


Steps = Generator[None, None, Measurement]


def run_steps(steps: Steps) -> Measurement:
    """Take every step of a measurement at once; its result."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            result: Measurement = done.value
            return result


def measure_steps(
    client: Client,
    url: str,
    *,
    section: str,
    label: str,
    plan: Plan,
    target: Target | None = None,
    note: str = "",
    expect: str = "",
) -> Steps:
    """`measure` a step at a time: it pauses after the warm-up and after each timed
    request, so that another page (the same page at another size, bench.sizes) can be
    timed between its requests. Returns the Measurement.

    `expect`: a text the page must contain (a results table, the contact searched for),
    so that an error page or an empty result is never timed as if it were the real page.
    """
    result = Measurement(section=section, label=label, url=url, target=target, note=note)
    for number in range(max(plan.warmup, 1)):
        response = client.get(url)
        if response.status_code != 200:
            result.error = f"HTTP {response.status_code} during warm-up"
        elif number == 0:
            html = response.content.decode()
            if expect and expect not in html:
                result.error = f"the page does not contain {expect!r}"
            result.shown = shown_count(html)
        if result.error:
            result.status = response.status_code
            _report(result)
            return result
    yield
    for _ in range(plan.requests):
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        result.samples_ms.append(elapsed)
        result.status = response.status_code
        if response.status_code != 200:
            result.error = f"HTTP {response.status_code}"
        yield
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    result.queries = len(queries.captured_queries)
    if queries.captured_queries:
        slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
        result.slowest_query_ms = round(float(slowest["time"]) * 1000, 2)
        result.slowest_query = slowest["sql"][:2000]
    _report(result)
    return result


_TOTAL_LABEL = re.compile(r'data-total-label="([^"]*)"')


def shown_count(html: str) -> str:
    """The count of the contacts that match, as All Contacts shows it ("" elsewhere): a
    page can only stay flat if what it counts does."""
    found = _TOTAL_LABEL.search(html)
    return unescape(found.group(1)) if found else ""


def _report(result: Measurement) -> None:
    if result.error and not result.samples_ms:
        line = f"{result.error}"
    else:
        verdict = {True: "met", False: "NOT MET", None: ""}[result.met]
        line = (
            f"median {result.median:8.1f} ms  p95 {result.p95:8.1f} ms  "
            f"{result.queries} queries  {verdict} {result.error}"
        )
    print(f"  {result.section[:14]:<14} {result.label[:44]:<44} {line}", file=sys.stderr)


# -- links in the pages ------------------------------------------------------------------


def anchors(html: str) -> list[tuple[dict[str, str], str]]:
    """(attributes, text) of every link of a page."""
    parser = _AnchorTexts()
    parser.feed(html)
    return parser.anchors


def find_link(html: str, base: str, *, rel: str = "", name: str = "", text: str = "") -> str | None:
    """The URL of the first link with this rel, name (as assistive technology reads it: its
    aria-label, else its text but for what is aria-hidden) or text, resolved against base."""
    for attrs, anchor_text, spoken in _anchors_spoken(html):
        if rel and rel not in attrs.get("rel", "").split():
            continue
        if name and attrs.get("aria-label", spoken.strip()) != name:
            continue
        if text and anchor_text.strip() != text:
            continue
        if "href" in attrs:
            return urljoin(base, attrs["href"])
    return None


def _anchors_spoken(html: str) -> list[tuple[dict[str, str], str, str]]:
    parser = _AnchorTexts()
    parser.feed(html)
    return [
        (attrs, text, spoken)
        for (attrs, text), spoken in zip(parser.anchors, parser.spoken, strict=True)
    ]


# Elements without an end tag: they open nothing that an end tag closes.
_VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _AnchorTexts(HTMLParser):
    """Anchors with their text (and, in `spoken`, their text but for aria-hidden parts)."""

    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[tuple[dict[str, str], str]] = []
        self.spoken: list[str] = []
        self._open: list[tuple[dict[str, str], list[str], list[str]]] = []
        self._hidden: list[bool] = []  # the elements open inside an anchor: aria-hidden?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._open.append(({name: value or "" for name, value in attrs}, [], []))
        elif self._open and tag not in _VOID:
            self._hidden.append(("aria-hidden", "true") in attrs)

    def handle_data(self, data: str) -> None:
        for _attrs, texts, spoken in self._open:
            texts.append(data)
            if not any(self._hidden):
                spoken.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != "a" and self._open and tag not in _VOID and self._hidden:
            self._hidden.pop()
        if tag == "a" and self._open:
            attrs, texts, spoken = self._open.pop()
            self.spoken.append("".join(spoken))
            if not self._open:
                self._hidden.clear()
            self.anchors.append((attrs, "".join(texts)))
