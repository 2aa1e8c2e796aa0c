"""The bench times the two sizes of a page request by request (bench.sizes): each page
warmed up at both sizes, then one timed request at each size in turn, the order reversed
each round, each on its own database."""

from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from bench import sizes, timing
from bench.timing import Measurement, Plan, measure, measure_steps, run_steps
from tests.factories import ContactFactory


@dataclass
class FakeBench:
    """A PageBench that records its steps instead of requesting pages."""

    name: str
    log: list[tuple[str, str, str]]
    requests: int = 3
    planning: bool = True
    planned: list[tuple] = field(default_factory=list)
    results: list[str] = field(default_factory=list)

    def steps(self, url, section, label, target, **kw) -> Generator[None, None, str]:
        self.log.append((self.name, label, "warm-up"))
        yield
        for number in range(self.requests):
            self.log.append((self.name, label, f"request {number + 1}"))
            yield
        self.results.append(label)
        return label


@pytest.fixture
def switches(monkeypatch):
    """The database each step ran on."""
    current: list[str] = []
    monkeypatch.setattr(sizes, "use_database", current.append)
    return current


def test_requests_take_turns_between_the_sizes(switches):
    log: list[tuple[str, str, str]] = []
    small, large = FakeBench("small", log), FakeBench("large", log)
    for bench in (small, large):
        bench.planned = [(f"/p{i}/", "Section", f"page {i}", None, {}) for i in (1, 2)]

    sizes.time_alternately([("small", small), ("large", large)])

    page_1 = [(name, step) for name, label, step in log if label == "page 1"]
    assert page_1 == [
        ("small", "warm-up"),
        ("large", "warm-up"),
        ("large", "request 1"),
        ("small", "request 1"),
        ("small", "request 2"),
        ("large", "request 2"),
        ("large", "request 3"),
        ("small", "request 3"),
    ]
    # Page 2 starts when page 1 is done at both sizes.
    assert [label for _, label, _ in log] == ["page 1"] * 8 + ["page 2"] * 8
    assert small.results == large.results == ["page 1", "page 2"]
    assert not small.planning and not large.planning


def test_each_step_runs_on_its_own_database(switches):
    log: list[tuple[str, str, str]] = []
    small, large = FakeBench("small", log), FakeBench("large", log)
    for bench in (small, large):
        bench.planned = [("/p/", "Section", "page", None, {})]

    sizes.time_alternately([("small", small), ("large", large)])

    # Before each step (and each page's start) the bench's own database is chosen.
    steps = iter(switches[2:])  # the first two: the generators made for page 1
    for name, _label, _step in log:
        assert next(steps) == name


def test_a_page_missing_at_one_size_is_timed_at_the_other(switches):
    log: list[tuple[str, str, str]] = []
    small, large = FakeBench("small", log, requests=1), FakeBench("large", log, requests=1)
    small.planned = [("/a/", "S", "a", None, {})]
    large.planned = [("/a/", "S", "a", None, {}), ("/b/", "S", "b", None, {})]

    sizes.time_alternately([("small", small), ("large", large)])

    assert small.results == ["a"]
    assert large.results == ["a", "b"]


class CountingClient(Client):
    """Django's test client, counting its GETs."""

    gets = 0

    def get(self, *args: Any, **kwargs: Any) -> Any:
        self.gets += 1
        return super().get(*args, **kwargs)


@pytest.mark.django_db
def test_the_steps_of_a_measurement_pause_after_the_warm_up_and_each_request():
    client = CountingClient()
    steps = measure_steps(
        client, reverse(settings.LOGIN_URL), section="S", label="x", plan=Plan(requests=4, warmup=2)
    )
    next(steps)
    assert client.gets == 2  # the warm-up
    for expected in (3, 4, 5, 6):
        next(steps)
        assert client.gets == expected
    result = run_steps(steps)  # the query count: one more request
    assert isinstance(result, Measurement)
    assert len(result.samples_ms) == 4
    assert client.gets == 7
    assert result.status == 200 and not result.error


@pytest.mark.django_db
def test_a_page_without_the_expected_text_is_not_timed():
    client = CountingClient()
    steps = measure_steps(
        client,
        reverse(settings.LOGIN_URL),
        section="S",
        label="x",
        plan=Plan(3, 2),
        expect="<table",
    )
    result = run_steps(steps)
    assert result.error == "the page does not contain '<table'"
    assert result.samples_ms == []
    assert client.gets == 1


def test_the_count_shown_is_read_off_the_list():
    assert timing.shown_count('<form id="bulk-form" data-total-label="more than 1,000">') == (
        "more than 1,000"
    )
    assert timing.shown_count('<div data-total-label="Ann &amp; Bo">') == "Ann & Bo"
    assert timing.shown_count("<table id='result_list'>") == ""


@pytest.mark.django_db
def test_a_measurement_keeps_the_count_the_list_shows(marketer_client):
    ContactFactory.create_batch(3, last_name="Quist")
    berg = ContactFactory(last_name="Berg")
    result = measure(marketer_client, "/contacts/?q=quis", section="S", label="x", plan=Plan(2, 1))
    assert result.shown == "3" and result.as_dict()["shown"] == "3"
    profile = measure(
        marketer_client, f"/contacts/{berg.pk}/", section="S", label="y", plan=Plan(1, 1)
    )
    assert profile.status == 200 and profile.shown == ""


def test_the_table_of_both_sizes_puts_their_counts_side_by_side():
    first = Measurement("All Contacts", "first page", "/", samples_ms=[10.0], shown="about 1,000")
    search = Measurement("Search", "q=qu", "/?q=qu", samples_ms=[14.0], shown="more than 1,000")
    profile = Measurement("Profile", "all tabs", "/contacts/2/", samples_ms=[12.0])
    small = sizes.SmallRun(
        100,
        "bench_100",
        {
            ("All Contacts", "first page"): {"median_ms": 10.0, "shown": "about 100"},
            ("Search", "q=qu"): {"median_ms": 11.0, "shown": "712"},
            ("Profile", "all tabs"): {"median_ms": 12.0},
        },
        [],
    )
    table = sizes.render([first, search, profile], small, 1_000)
    assert "| Search | q=qu | 712 / more than 1,000 | 11.0 | 14.0 | 1.27 | 1.4 | yes |" in table
    assert "| Profile | all tabs |  | 12.0 | 12.0 | 1.00 | 1.2 | yes |" in table
    assert any(line.startswith("| Section | Page | Matches at 100 / 1,000 |") for line in table)
