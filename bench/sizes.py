"""The same pages at two table sizes in one run: flat means the ratio stays near 1.

The smaller dataset lives in its own database on the same server; a child
`python -m bench.run --pages-only` seeds (or reuses) it. The main run then lists every
page of each dataset (reaching far pages by their links) and times them alternately, page
by page, switching its database connection between the two, so that both sizes of a page
are timed seconds apart on the same machine. Pages are matched by section and label (the
labels name no sample value).
"""

import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url

from bench.dataset import log
from bench.timing import Measurement

RATIO_TARGET = 1.3  # median at the large size / median at the small size
FIRST_PAGE_FACTOR = 3.0  # median at most 3x the All Contacts first page of the same size
BUSY_LOAD = 1.5  # a load average above this: the figures are not to be trusted
FIRST_PAGE_LABELS = ("first page", "first page, again after the others")


@dataclass
class SmallRun:
    contacts: int
    database: str
    pages: dict[tuple[str, str], dict]  # (section, label) -> Measurement.as_dict()
    load_average: list[str]
    error: str = ""

    def median(self, section: str, label: str) -> float | None:
        page = self.pages.get((section, label))
        return None if page is None else page.get("median_ms")

    def shown(self, section: str, label: str) -> str:
        page = self.pages.get((section, label))
        return "" if page is None else str(page.get("shown") or "")


def compare_url(main_url: str, contacts: int, override: str = "") -> str:
    """The smaller dataset's database: `override`, else the main one's name + _<size>."""
    if override:
        return override
    config = dj_database_url.parse(main_url)
    name = str(config["NAME"])
    suffix = f"_{contacts // 1000}k" if contacts % 1000 == 0 else f"_{contacts}"
    return main_url.rsplit("/", 1)[0] + "/" + name + suffix


def run_small(*, url: str, contacts: int, forwarded: list[str], json_path: Path) -> SmallRun:
    """Time the pages on the smaller database in a child process (seeding it if needed)."""
    argv = [
        sys.executable,
        "-m",
        "bench.run",
        "--contacts",
        str(contacts),
        "--reuse",
        "--pages-only",
        "--pages-json",
        str(json_path),
        "--output",
        "-",
        *forwarded,
    ]
    env = {**os.environ, "BENCH_DATABASE_URL": url, "DATABASE_URL": url}
    name = str(dj_database_url.parse(url)["NAME"])
    log(f"  {contacts:,} contacts in {name}: python -m bench.run --pages-only")
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=False)
    if done.returncode not in (0, 1) or not json_path.exists():
        return SmallRun(contacts, name, {}, [], error=f"the child run exited {done.returncode}")
    data = json.loads(json_path.read_text())
    pages = {(p["section"], p["label"]): p for p in data["pages"]}
    return SmallRun(contacts, name, pages, data.get("load_average", []))


def write_pages_json(path: Path, pages: list[Measurement], load_average: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"pages": [p.as_dict() for p in pages], "load_average": load_average}
    path.write_text(json.dumps(data, indent=1, default=str))


@dataclass(frozen=True)
class Flatness:
    page: Measurement
    small_ms: float | None
    first_page_ms: float | None  # All Contacts first page at the large size

    @property
    def ratio(self) -> float | None:
        if self.small_ms and self.page.median:
            return self.page.median / self.small_ms
        return None

    @property
    def times_first_page(self) -> float | None:
        if self.first_page_ms and self.page.median:
            return self.page.median / self.first_page_ms
        return None

    @property
    def met(self) -> bool:
        ratio, factor = self.ratio, self.times_first_page
        return (
            ratio is not None
            and ratio <= RATIO_TARGET
            and factor is not None
            and factor <= FIRST_PAGE_FACTOR
        )


def flatness(pages: list[Measurement], small: SmallRun) -> list[Flatness]:
    """Every timed page of the large size beside its median at the small size."""
    # The reference is timed twice (before and after every other page), and the mean of
    # the two counts: on a shared machine either may fall in a busy or a quiet minute.
    firsts = [p.median for p in pages if p.label in FIRST_PAGE_LABELS and p.median]
    first = statistics.mean(firsts) if firsts else None
    # A page timed at one size only (the REST API's, whose goals are absolute) is no case.
    return [
        Flatness(page, small.median(page.section, page.label), first)
        for page in pages
        if page.samples_ms
        and "STOCK" not in page.label
        and small.median(page.section, page.label) is not None
    ]


def busy(load_averages: list[str]) -> list[str]:
    """The load averages (1-minute figure first) above BUSY_LOAD."""
    return [text for text in load_averages if text and float(text.split()[0]) > BUSY_LOAD]


def busy_warning(load_averages: list[str]) -> list[str]:
    """The report's warning when the machine was busy at some point of the run."""
    high = busy(load_averages)
    if not high:
        return []
    return [
        f"**Warning: the machine was busy** (load average above {BUSY_LOAD:g}: "
        f"{'; '.join(high)}). Figures taken on a busy machine are not to be trusted: "
        "measure again on a quiet one before comparing them.",
        "",
    ]


def render(pages: list[Measurement], small: SmallRun | None, contacts: int) -> list[str]:
    """The report's table of every page at both sizes."""
    if small is None:
        return ["Not run (`--compare-contacts 0`)."]
    if small.error:
        return [f"**Failed:** {small.error}"]
    lines = [
        f"Every page above timed on {small.contacts:,} contacts too (database "
        f"`{small.database}`), alternately with {contacts:,}, request by request: one "
        "request at one size, then one at the other (the order reversed each round). "
        f"Ratio: median at {contacts:,} / median at {small.contacts:,}; "
        "× first page: median / the All Contacts first page at the same size (the mean of "
        "its two timings, before and after the other pages). Met: ratio "
        f"<= {RATIO_TARGET:g} and at most {FIRST_PAGE_FACTOR:g}× the first page. "
        "Matches: the count All Contacts shows at each size (a count stops past 1,000, "
        "and the whole list's is an estimate); a page whose matches grow with the table "
        "reads more of them, up to that cap.",
        "",
        f"| Section | Page | Matches at {small.contacts:,} / {contacts:,} "
        f"| ms at {small.contacts:,} | ms at {contacts:,} | Ratio | × first page | Met |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for f in flatness(pages, small):
        small_shown = small.shown(f.page.section, f.page.label)
        matches = f"{small_shown} / {f.page.shown}" if small_shown or f.page.shown else ""
        cells = [
            f.page.section,
            f.page.label,
            matches,
            _figure(f.small_ms, ".1f"),
            _figure(f.page.median, ".1f"),
            _figure(f.ratio, ".2f"),
            _figure(f.times_first_page, ".1f"),
            "yes" if f.met else "**no**",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _figure(value: float | None, spec: str) -> str:
    return "—" if value is None else format(value, spec)


# -- both sizes alternately, in one process -----------------------------------------------


# An open connection for each bench database (by name), kept while another is in use.
_CONNECTIONS: dict[str, Any] = {}


def use_database(name: str) -> None:
    """Point Django's default connection at another bench database (same migrations).

    Each database keeps its own open connection: switching between two requests opens
    nothing, so no request is timed with a connection's start in it."""
    from django.db import connections

    current = connections["default"]
    if current.settings_dict["NAME"] == name:
        return
    _CONNECTIONS[current.settings_dict["NAME"]] = current
    wrapper = _CONNECTIONS.get(name)
    if wrapper is None:
        wrapper = current.__class__({**current.settings_dict, "NAME": name}, alias="default")
    connections["default"] = wrapper


def time_alternately(benches: list[tuple[str, Any]]) -> None:
    """Time the planned pages of each (database, PageBench) alternately, request by
    request: page i is warmed up at each size, then its timed requests take turns (one at
    one size, then one at the other, the order reversed each round), so that a change in
    the machine's speed during the page weighs on both sizes alike. Every bench must have
    planned the same pages in the same order."""
    plans = [bench.planned for _name, bench in benches]
    for _name, bench in benches:
        bench.planning = False
    for index in range(max(len(plan) for plan in plans)):
        running = []
        for name, bench in benches:
            if index < len(bench.planned):
                use_database(name)
                url, section, label, target, kw = bench.planned[index]
                running.append((name, bench.steps(url, section, label, target, **dict(kw))))
        turn = 0
        while running:
            order = running if turn % 2 == 0 else running[::-1]
            finished = []
            for name, steps in order:
                use_database(name)
                try:
                    next(steps)
                except StopIteration:
                    finished.append(name)
            running = [(name, steps) for name, steps in running if name not in finished]
            turn += 1
