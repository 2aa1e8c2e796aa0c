"""The sort headers and the pager of the All Contacts table, built in Python.

Both are loops of small conditions (seven headers; four links, the current page and a
form that carries the filter): as template loops they cost the list about as much as
its 25 rows. The markup is the template's (tests/contacts/test_list_markup.py compares
them, hostile query values included).
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import QueryDict
from django.utils.safestring import SafeString, mark_safe

from contacts.rows import esc

SORT_ICONS = {
    "ascending": '<i class="bi bi-caret-up-fill" aria-hidden="true"></i> ',
    "descending": '<i class="bi bi-caret-down-fill" aria-hidden="true"></i> ',
}
HTMX_TARGET = 'hx-target="#results" hx-push-url="true"'
# The parameters the page-size form leaves out: a key found in this text (the template's
# `key not in "..."`, a test of a substring) is not carried.
NOT_CARRIED = "per_page page after before last"


def sort_headers(columns: Iterable[dict[str, Any]]) -> SafeString:
    """A <th> per column (listing._columns): a sortable one links to its sort."""
    cells = []
    for column in columns:
        direction = column.get("direction")
        sort = f' aria-sort="{esc(direction)}"' if direction else ""
        label = esc(column["label"])
        if column["sortable"]:
            url = esc(column["url"])
            icon = SORT_ICONS.get(direction or "", "")
            inner = (
                f'<a href="{url}" hx-get="{url}" {HTMX_TARGET} class="sort-link"> {label} '
                f'{icon}<span class="visually-hidden">, sort</span> </a>'
            )
        else:
            inner = label
        cells.append(f'<th scope="col"{sort}>{inner}</th>')
    return mark_safe("".join(cells))  # noqa: S308 (escaped above)


def pager(
    *,
    links: Sequence[dict[str, str | None]],
    number: int,
    shown: str,
    total: object,
    query: QueryDict,
    list_url: str,
    page_sizes: Iterable[int],
    per_page: int,
) -> SafeString:
    """The range shown, First / Previous / current / Next / Last, and the page size."""
    items = [_page_item(link) for link in links]
    if len(items) >= 2:  # after Previous
        items.insert(2, f'<li class="page-item active" aria-current="page">{_current(number)}</li>')
    hidden = "".join(
        f'<input type="hidden" name="{esc(key)}" value="{esc(value)}">'
        for key, values in query.lists()
        if key not in NOT_CARRIED
        for value in values
    )
    options = "".join(
        f'<option value="{size}" {"selected" if size == per_page else ""}>{size}</option>'
        for size in page_sizes
    )
    url = esc(list_url)
    return mark_safe(  # noqa: S308 (escaped above)
        '<nav class="d-flex flex-wrap align-items-center gap-3" aria-label="Pages">'
        f'<span class="text-secondary" data-range data-focus-fallback tabindex="-1">'
        f"{esc(shown)} of {esc(total)}</span>"
        f'<ul class="pagination mb-0">{"".join(items)}</ul>'
        f'<form method="get" class="d-flex align-items-center gap-2" hx-get="{url}" '
        f'{HTMX_TARGET} hx-trigger="change">{hidden}'
        '<label for="per-page" class="text-nowrap">Rows per page</label>'
        '<select id="per-page" name="per_page" class="form-select form-select-sm w-auto">'
        f"{options}</select>"
        '<noscript><button type="submit" class="btn btn-sm btn-secondary">Apply</button>'
        "</noscript></form></nav>"
    )


def _page_item(link: dict[str, str | None]) -> str:
    """A pager link. A sign ("«") is hidden from assistive technology and its words
    ("First page") are visually hidden: an aria-label is not allowed on the span of a
    disabled link, and on a link it would be a name that differs from what is seen."""
    text = esc(link["text"])
    if link.get("spoken"):
        text = (
            f'<span aria-hidden="true">{text}</span>'
            f'<span class="visually-hidden">{esc(link["spoken"])}</span>'
        )
    url = link.get("url")
    if not url:
        return f'<li class="page-item disabled"><span class="page-link">{text}</span></li>'
    rel = f' rel="{esc(link["rel"])}"' if link.get("rel") else ""
    end = f' data-pager-end="{esc(link["end"])}"' if link.get("end") else ""
    href = esc(url)
    return (
        f'<li class="page-item"><a class="page-link" href="{href}" hx-get="{href}" '
        f"{HTMX_TARGET}{rel}{end}>{text}</a></li>"
    )


def _current(number: int) -> str:
    """The current page: counted from the start, or (cursor pages) from the end."""
    if number > 0:
        text = f"Page {esc(intcomma(number))}"
    elif number == -1:
        text = "Last page"
    else:
        text = f"Page {str(number)[1:]} from the end"  # without its minus sign
    return f'<span class="page-link">{text}</span>'
