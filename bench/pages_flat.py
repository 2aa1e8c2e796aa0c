"""The pages that must cost the same at any table size (issue 11): sorts within a small
and a large group, short and long searches, every filter, every admin column sort on its
first, middle and last page, and the admin search with short terms; the admin's lists of
the tables that grow with the contacts (events, memberships, values, related data rows),
first page and each sort they offer.

Their labels name no sample value, so that the same page can be found in the run on the
smaller database and the two medians compared (bench.sizes).
"""

import re

from bench.dataset import Samples
from bench.pages import ADMIN_URL, LIST_TARGET, LIST_URL, PageBench, page_html, with_params
from bench.timing import Target, anchors

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
# The admin's lists of the tables with several rows per contact (contacts.admin).
DATA_LISTS = {
    "event": "events",
    "membership": "memberships",
    "attributevalue": "custom attribute values",
    "memberattributevalue": "member attribute values",
    "relatedrecord": "related data rows",
    "appdata": "mobile app data",
}


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


def data_admin_pages(bench: PageBench) -> None:
    """Each list's first page, every sort its headers offer (both directions), and the
    related data rows filtered by their first table."""
    section = "Admin data lists"
    admin = bench.admin_client
    for model, label in DATA_LISTS.items():
        url = f"/admin/contacts/{model}/"
        bench.time(url, section, f"{label}: first page", ADMIN_TARGET, client=admin)
        links = [attrs.get("href", "") for attrs, _ in anchors(page_html(admin, url))]
        offered = sorted({int(m.group(1)) for h in links if (m := re.match(r"\?o=-?(\d+)", h))})
        for column in offered:
            for sign, direction in (("", "ascending"), ("-", "descending")):
                bench.time(
                    with_params(url, o=f"{sign}{column}"),
                    section,
                    f"{label}: sort by column {column}, {direction}",
                    ADMIN_TARGET,
                    client=admin,
                )
        if model == "relatedrecord":
            table = next((h for h in links if h.startswith("?table_name=")), None)
            if table is None:
                raise RuntimeError("The related data rows offer no filter by table.")
            bench.time(url + table, section, f"{label}: one table", ADMIN_TARGET, client=admin)


def first_page_again(bench: PageBench) -> None:
    """The reference page once more, after all the others (bench.sizes takes the mean)."""
    bench.time(LIST_URL, "All Contacts", "first page, again after the others", LIST_TARGET)
