"""The pages that must cost the same at any table size (issue 11): sorts within a small
and a large group, short and long searches, every filter, every admin column sort on its
first, middle and last page, and the admin search with short terms.

Their labels name no sample value, so that the same page can be found in the run on the
smaller database and the two medians compared (bench.sizes).
"""

from bench.dataset import Samples
from bench.pages import ADMIN_URL, LIST_TARGET, LIST_URL, PageBench, with_params
from bench.timing import Target

# Letters that begin (almost) no name, address or domain of the demo data.
RARE_TERMS = ("q", "qx", "qxj", "qxjzvw")
TERM_LENGTHS = (1, 2, 3, 6)
# list_display of contacts.admin.ContactAdmin, 1-based as in the admin's ?o= parameter.
ADMIN_COLUMNS = {
    1: "ID",
    2: "type",
    3: "email",
    4: "mobile",
    5: "first name",
    6: "last name",
    7: "created",
}
ADMIN_TARGET = Target(median_ms=200)


def group_sorts(bench: PageBench, s: Samples, sorts: list[str]) -> None:
    """Every sort, both directions, first and last page, within a small and a large group."""
    groups = (
        ("small group", s.small_group_id),
        ("large group", s.large_group_id),
    )
    for name, group_id in groups:
        section = f"Sort in {name}"
        for key in sorts:
            url = with_params(LIST_URL, group=group_id, sort=key)
            bench.time(url, section, f"{name}, sort {key}: first page", LIST_TARGET)
            bench.time(bench.last_page(url), section, f"{name}, sort {key}: last page", LIST_TARGET)


def short_searches(bench: PageBench, s: Samples) -> None:
    """The search box and the Name filter with 1, 2, 3 and 6 letters, matching or not."""
    section = "Search by length"
    word = (s.common_last_name or s.last_name).lower()
    for length, rare in zip(TERM_LENGTHS, RARE_TERMS, strict=True):
        term = word[:length]
        for field in ("q", "name"):
            url = with_params(LIST_URL, **{field: term})
            label = f"{field}=, {length} letter{'s' if length > 1 else ''}"
            bench.time(url, section, f"{label}, matching", LIST_TARGET)
            url = with_params(LIST_URL, **{field: rare})
            bench.time(url, section, f"{label}, rare or no match", LIST_TARGET, expect="")


def every_filter(bench: PageBench, s: Samples) -> None:
    """Each filter of All Contacts alone, and a group with a created range."""
    section = "Filters"
    created = {"created_from": s.created_from, "created_to": s.created_to}
    cases: list[tuple[str, dict[str, object]]] = [
        ("identifier type (mobile)", {"identifier_type": "mobile"}),
        ("mobile beginning", {"mobile": s.mobile[:6]}),
        ("Contact ID", {"contact_id": s.contact_id}),
        ("small group", {"group": s.small_group_id}),
        ("large group", {"group": s.large_group_id}),
        ("small group + created range", {"group": s.small_group_id, **created}),
        ("large group + created range", {"group": s.large_group_id, **created}),
    ]
    for label, params in cases:
        bench.time(with_params(LIST_URL, **params), section, label, LIST_TARGET)


def admin_pages(bench: PageBench, s: Samples) -> None:
    """Every sortable column of the project admin: page 1, the middle and the last page;
    and its search with one and two letters."""
    section = "Admin sorts"
    admin = bench.admin_client
    for column, name in ADMIN_COLUMNS.items():
        url = with_params(ADMIN_URL, o=column)
        bench.time(url, section, f"sort by {name}: page 1", ADMIN_TARGET, client=admin)
        last = bench.admin_last_page(url) or 1
        for label, number in (("middle page", max(1, last // 2)), ("last page", last)):
            bench.time(
                with_params(url, p=number),
                section,
                f"sort by {name}: {label}",
                ADMIN_TARGET,
                client=admin,
            )
    word = (s.common_last_name or s.last_name).lower()
    for term, label in ((word[:1], "1 letter"), (word[:2], "2 letters"), ("qx", "2 rare")):
        bench.time(
            with_params(ADMIN_URL, q=term),
            section,
            f"search, {label}",
            ADMIN_TARGET,
            client=admin,
            expect="",
        )


def first_page_again(bench: PageBench) -> None:
    """The reference page once more, after all the others (bench.sizes takes the mean)."""
    bench.time(LIST_URL, "All Contacts", "first page, again after the others", LIST_TARGET)
