"""The timed pages: All Contacts (pages, sorts, searches, filters), the Contact Profile,
the project's admin and a stock admin.

Everything is reached by URL and by the links the pages show (Next, Last page, Older),
so it works whether the list has numbered pages or cursor (keyset) pagination.
"""

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.test import Client

from bench.dataset import Dataset, Samples
from bench.timing import (
    Measurement,
    Plan,
    Steps,
    Target,
    anchors,
    find_link,
    measure_steps,
    run_steps,
)

LIST_URL = "/contacts/"
ADMIN_URL = "/admin/contacts/contact/"
STOCK_ADMIN_URL = "/stockadmin/contacts/contact/"
FAR_PAGE = 1000
WALK_BUDGET_SECONDS = 600

LIST_TARGET = Target(median_ms=50, p95_ms=150)
EXACT_TARGET = Target(median_ms=20, p95_ms=150)
BROAD_TARGET = Target(median_ms=200)
ADMIN_TARGET = Target(median_ms=200)
PROFILE_TARGET = Target(median_ms=100)
STOCK_RATIO_TARGET = 10.0
LIST_RESULTS = 'name="ids"'  # a row's checkbox: the list shows at least one contact
ADMIN_RESULTS = 'id="result_list"'


def with_params(url: str, **params: object) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update({k: str(v) for k, v in params.items()})
    return urlunsplit(parts._replace(query=urlencode(query)))


def page_html(client: Client, url: str) -> str:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url}: HTTP {response.status_code}")
    return response.content.decode()


@dataclass
class PageBench:
    client: Client  # a logged-in marketer
    admin_client: Client  # a logged-in superuser
    plan: Plan
    results: list[Measurement] = field(default_factory=list)
    pagination: str = ""  # "numbered" or "cursor", as read from the list's Next link
    # Planning (bench.sizes): the pages are listed, not timed, to be timed later
    # alternately with the same pages of another dataset.
    planning: bool = False
    planned: list[tuple] = field(default_factory=list)

    def time(self, url: str | None, section: str, label: str, target: Target | None, **kw):
        if self.planning:
            self.planned.append((url, section, label, target, kw))
            return None
        return run_steps(self.steps(url, section, label, target, **kw))

    def steps(
        self, url: str | None, section: str, label: str, target: Target | None, **kw
    ) -> Steps:
        """The timing of one page a step at a time (bench.timing.measure_steps); its
        result joins `results` when done."""
        client = kw.pop("client", self.client)
        kw.setdefault("expect", ADMIN_RESULTS if client is self.admin_client else LIST_RESULTS)
        if url is None:
            result = Measurement(section=section, label=label, url="", target=target)
            result.error = kw.get("note") or "no such page"
        else:
            result = yield from measure_steps(
                client, url, section=section, label=label, plan=self.plan, target=target, **kw
            )
        self.results.append(result)
        return result

    # -- reaching far pages ------------------------------------------------------------

    def far_page(self, url: str, number: int = FAR_PAGE) -> tuple[str | None, str]:
        """The URL of page `number` of a list, and how it was reached."""
        html = page_html(self.client, url)
        next_url = find_link(html, url, rel="next")
        if next_url is None:
            return None, "the list has a single page"
        added = {k for k, _ in parse_qsl(urlsplit(next_url).query)} - {
            k for k, _ in parse_qsl(urlsplit(url).query)
        }
        if added <= {"page"}:
            self.pagination = "numbered"
            return with_params(url, page=number), f"numbered pages: ?page={number}"
        self.pagination = "cursor"
        current, reached, started = next_url, 2, time.perf_counter()
        while reached < number:
            following = find_link(page_html(self.client, current), current, rel="next")
            if following is None:
                return current, f"cursor pagination: the list ends at page {reached:,}"
            current, reached = following, reached + 1
            if time.perf_counter() - started > WALK_BUDGET_SECONDS:
                return current, f"cursor pagination: stopped walking at page {reached:,}"
        return current, f"cursor pagination: followed {number - 1:,} Next links"

    def last_page(self, url: str) -> str | None:
        return find_link(page_html(self.client, url), url, name="Last page")

    def warm_up(self, rounds: int = 10) -> None:
        """Serve each kind of page a few times before timing anything: the first requests
        of a process compile templates and fill caches, and would otherwise be counted
        against whichever page happens to be measured first."""
        for _ in range(rounds):
            page_html(self.client, LIST_URL)
            page_html(self.admin_client, ADMIN_URL)
            page_html(self.admin_client, STOCK_ADMIN_URL)

    # -- the pages -----------------------------------------------------------------------

    def all_contacts(self, sorts: Iterable[str]) -> None:
        section = "All Contacts"
        self.time(LIST_URL, section, "first page", LIST_TARGET)
        far, how = self.far_page(LIST_URL)
        self.time(far, section, f"page {FAR_PAGE:,}", LIST_TARGET, note=how)
        self.time(self.last_page(LIST_URL), section, "last page", LIST_TARGET)
        for key in sorts:
            url = with_params(LIST_URL, sort=key)
            self.time(url, section, f"sort {key}: first page", LIST_TARGET)
            if self.pagination == "numbered":
                far_url, label = with_params(url, page=FAR_PAGE), f"page {FAR_PAGE:,}"
            else:
                last = self.last_page(url)
                if last is None:
                    raise RuntimeError(f"{url} shows no link to its last page")
                far_url, label = last, "last page"
            self.time(far_url, section, f"sort {key}: {label}", LIST_TARGET)

    def searches(self, s: Samples) -> None:
        section = "Search/filter"
        created = {"created_from": s.created_from, "created_to": s.created_to}
        cases: list[tuple[str, dict, Target]] = [
            ("exact email (q)", {"q": s.email}, EXACT_TARGET),
            ("exact mobile (q)", {"q": s.mobile}, EXACT_TARGET),
            ("exact Contact ID (q)", {"q": s.contact_id}, EXACT_TARGET),
            ("exact alias (alias)", {"alias": s.alias}, EXACT_TARGET),
            ("exact alias (q)", {"q": s.alias}, EXACT_TARGET),
            ("email prefix (email=)", {"email": s.email_prefix}, BROAD_TARGET),
            ("email beginning, no @ (q)", {"q": s.email_beginning}, LIST_TARGET),
            ("domain only (q=@domain)", {"q": f"@{s.domain}"}, LIST_TARGET),
            ("domain or address beginning (q=domain)", {"q": s.domain}, LIST_TARGET),
            ("domain only (email=@domain)", {"email": f"@{s.domain}"}, LIST_TARGET),
            ("name substring (name=, 4 letters)", {"name": s.name_part}, BROAD_TARGET),
            ("group (a seeded group)", {"group": s.group_id}, LIST_TARGET),
            ("created range, 1 month", created, LIST_TARGET),
        ]
        if s.idn_domain:
            label = "domain in Unicode (q=@domain)"
            cases.append((label, {"q": f"@{s.idn_domain}"}, LIST_TARGET))
        for label, params, target in cases:
            # An exact search must find the very contact; the others at least one row.
            expect = f'value="{s.contact_id}"' if label.startswith("exact") else LIST_RESULTS
            self.time(with_params(LIST_URL, **params), section, label, target, expect=expect)
        for label, params in (
            ("group (a seeded group): last page", {"group": s.group_id}),
            ("created range, 1 month: last page", created),
        ):
            self.time(self.last_page(with_params(LIST_URL, **params)), section, label, LIST_TARGET)

    def profile(self, dataset: Dataset) -> None:
        section = "Profile"
        events = f"{dataset.heavy_events:,} events"
        profile = f"/contacts/{dataset.profile_id}/"
        history = f"/contacts/{dataset.profile_id}/history/"
        tabs = 'id="tab-activity"'
        self.time(
            profile, section, f"Contact Profile, all tabs ({events})", PROFILE_TARGET, expect=tabs
        )
        self.time(history, section, f"Message History ({events})", PROFILE_TARGET, expect="")
        older = find_link(page_html(self.client, history), history, text="Older")
        self.time(older, section, "Message History, older page", PROFILE_TARGET, expect="")
        memberships = f"/contacts/{dataset.profile_id}/memberships/"
        self.time(memberships, section, "Memberships", PROFILE_TARGET, expect="")

    def admins(self, s: Samples) -> None:
        section = "Admin"
        admin = self.admin_client
        self.time(ADMIN_URL, section, "project admin: first page", ADMIN_TARGET, client=admin)
        self.time(
            with_params(ADMIN_URL, q=s.email),
            section,
            "project admin: exact email search",
            ADMIN_TARGET,
            client=admin,
        )
        last = self.admin_last_page(ADMIN_URL)
        far = min(FAR_PAGE, last or 1)
        self.time(
            with_params(ADMIN_URL, p=far),
            section,
            f"project admin: page {far:,}",
            ADMIN_TARGET,
            client=admin,
        )
        self.time(
            with_params(ADMIN_URL, p=last) if last else None,
            section,
            "project admin: last page",
            ADMIN_TARGET,
            client=admin,
        )
        self.time(
            with_params(ADMIN_URL, identifier_type__exact="mobile"),
            section,
            "project admin: identifier type filter",
            ADMIN_TARGET,
            client=admin,
        )
        self.time(STOCK_ADMIN_URL, section, "STOCK admin: first page", None, client=admin)

    def admin_last_page(self, url: str) -> int | None:
        """The highest ?p= among the admin paginator's links."""
        numbers = []
        for attrs, _text in anchors(page_html(self.admin_client, url)):
            query = dict(parse_qsl(urlsplit(attrs.get("href", "")).query))
            if query.get("p", "").isdigit():
                numbers.append(int(query["p"]))
        return max(numbers) if numbers else None

    def find(self, label: str) -> Measurement | None:
        return next((r for r in self.results if r.label == label), None)

    def stock_ratio(self) -> tuple[float | None, float | None]:
        """(stock admin / All Contacts first page, stock admin / project admin), by median."""
        stock = self.find("STOCK admin: first page")
        ours = self.find("first page")
        admin = self.find("project admin: first page")

        def ratio(a: Measurement | None, b: Measurement | None) -> float | None:
            if a is None or b is None or not a.median or not b.median:
                return None
            return a.median / b.median

        return ratio(stock, ours), ratio(stock, admin)
