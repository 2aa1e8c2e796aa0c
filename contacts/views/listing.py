"""All Contacts: one listing view (full page or the results partial for htmx) and bulk delete."""

from typing import NamedTuple

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from contacts import selectors
from contacts.filters import DEFAULT_SORT, SORTS, ContactFilter
from contacts.group_filter import ids_in
from contacts.links import list_url
from contacts.models import Contact
from contacts.pagination import KeysetPage, keyset_page, next_number, previous_number
from contacts.selection_forms import ContactSelectionForm
from contacts.services import bulk_deletion_dismiss, bulk_deletion_request, contacts_delete
from core.counts import PLAIN_COUNT_CAP, Total, count_in_parts, count_rows
from core.views import AppRequest, page_size, safe_next

# A filtered list says "of more than 1,000" beyond this: counting further costs in
# proportion to the matches, and those grow with the table (issue 11).
LIST_COUNT_CAP = PLAIN_COUNT_CAP


class Column(NamedTuple):
    key: str | None  # the sort parameter; None: not sortable
    label: str  # "{zone}" becomes the time zone of the times shown
    ascending: str = ""  # the order in words, for the table's caption
    descending: str = ""
    spoken: str = ""  # the column's name in the caption, when not its label


SORTABLE_COLUMNS = [
    Column("id", "ID", "oldest first", "newest first", spoken="Contact ID"),
    Column("email", "Email", "A to Z", "Z to A"),
    Column("mobile", "Mobile Number", "lowest first", "highest first"),
    Column(None, "Mobile App Alias"),
    Column("first_name", "First Name", "A to Z", "Z to A"),
    Column("last_name", "Last Name", "A to Z", "Z to A"),
    Column("created", "Created ({zone})", "oldest first", "newest first", spoken="Created"),
]


# What the rows show and sort by (contacts.rows): a row of the table reads no other field,
# and reading them as named tuples spares the database sending the others and Python
# building a Contact for each row.
LISTED_FIELDS = (
    "id",
    "email",
    "mobile_number",
    "app_alias",
    "first_name",
    "last_name",
    "created_at",
)


@require_safe
@permission_required("contacts.view_contact", raise_exception=True)
def contact_list(request: AppRequest) -> HttpResponse:
    filterset = ContactFilter(request.GET, queryset=Contact.objects.all())
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    per_page = page_size(request)
    valid = filterset.is_valid()
    filtered = not valid or any(v not in (None, "") for v in filterset.form.cleaned_data.values())
    contacts = filterset.qs if valid else Contact.objects.none()
    parts = filterset.count_parts() if valid else None
    known = filterset.known_total() if valid else None  # a group alone: its members read
    match_ids = None
    if known is not None:
        total = Total(known)
    elif parts is not None:  # a search: counted index by index
        total, match_ids = count_in_parts(parts, LIST_COUNT_CAP)
    else:
        source = filterset.count_source() if valid else None  # a group in a created range
        counted = contacts if source is None else source
        total = count_rows(counted, filtered=filtered, cap=LIST_COUNT_CAP)
    if match_ids is not None:
        # The count read every match (a thousand at most): the page is read by their ids,
        # not by testing the search on each match again.
        contacts = Contact.objects.filter(ids_in(match_ids))
    # The page number shown comes from the cursor (`page` in the URL is only for people).
    page = keyset_page(
        contacts,
        sort=sort,
        limit=per_page,
        after=request.GET.get("after", "")[:600],
        before=request.GET.get("before", "")[:600],
        last=request.GET.get("last") == "1",
        ids_first=valid and filterset.members_first and match_ids is None,
        fields=LISTED_FIELDS,
    )
    filter_query = request.GET.copy()
    for param in ("page", "after", "before", "last"):
        filter_query.pop(param, None)
    cursor = any(request.GET.get(param) for param in ("after", "before", "last"))
    if not page.rows and cursor and not request.htmx:
        # A page that no longer exists (its rows were deleted): the first page of the list.
        return redirect(list_url(filter_query.urlencode()))
    context = {
        "filter": filterset,
        "page": page,
        "total": total,
        "range": _range(page, per_page, total),
        "page_links": _page_links(request, page),
        "sort": sort,
        "per_page": per_page,
        "page_sizes": settings.PAGE_SIZES,
        "columns": _columns(request, sort),
        "caption": f"Contacts, sorted by {sort_in_words(sort)}",
        "order": sort_in_words(sort),
        "filter_query": filter_query.urlencode(),
        "max_id": selectors.contact_max_id(),
        "filtered": filtered,
        **_no_match_words(filterset),
        **_deletion_notices(request),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "contacts/_contact_list_results.html", context)
    return render(request, "contacts/contact_list.html", context)


# The filters that look for a text or number someone typed (a misspelling finds nothing);
# the others narrow the list by a choice or a date.
TYPED_FILTERS = ("q", "contact_id", "email", "mobile", "alias", "name")
NARROWING_FILTERS = ("identifier_type", "group", "created_from", "created_to")


def _no_match_words(filterset: ContactFilter) -> dict[str, object]:
    """What the list says when nothing matches: a typed search may be misspelt; choices
    and dates alone can only be widened."""
    data = filterset.form.cleaned_data if filterset.is_valid() else {}
    searched = any(data.get(name) not in (None, "") for name in TYPED_FILTERS)
    narrowing = [
        str(filterset.filters[name].label)
        for name in NARROWING_FILTERS
        if data.get(name) not in (None, "")
    ]
    return {"searched": searched, "narrowing": ", ".join(narrowing)}


def _page_links(request: AppRequest, page: KeysetPage) -> list[dict[str, str | None]]:
    """First, Previous, Next and Last: cursors, not page numbers, decide what comes."""

    def url(number: int | None = None, **changes: object) -> str:
        params = request.GET.copy()
        for name in ("after", "before", "last", "page"):
            params.pop(name, None)
        if number not in (None, 1):
            changes["page"] = number  # for people reading the URL; the cursor decides
        params.update({k: str(v) for k, v in changes.items() if v is not None})
        return f"?{params.urlencode()}"

    number = page.number
    has_previous = page.previous_cursor is not None
    has_next = page.next_cursor is not None
    return [
        {
            "text": "«",
            "spoken": "First page",
            "end": "first",
            "url": url() if has_previous else None,
        },
        {
            "text": "Previous",
            "rel": "prev",
            "url": url(previous_number(number), before=page.previous_cursor)
            if has_previous
            else None,
        },
        {
            "text": "Next",
            "rel": "next",
            "url": url(next_number(number), after=page.next_cursor) if has_next else None,
        },
        {
            "text": "»",
            "spoken": "Last page",
            "end": "last",
            "url": url(last=1) if has_next else None,
        },
    ]


def _range(page: KeysetPage, per_page: int, total: Total) -> str:
    """The positions of the page's rows: from what the page shows where it can (nothing
    before it: from 1; nothing after it and an exact total: up to the total), else from
    its signed page number, never past an exact total."""
    count = len(page.rows)
    if not count:
        return ""
    exact = total.exact and not total.capped
    if page.previous_cursor is None:
        start = 1
    elif exact and page.next_cursor is None:
        start = max(1, total.value - count + 1)
    elif page.number > 0:
        start = (page.number - 1) * per_page + 1
    elif exact:
        start = total.value + (page.number + 1) * per_page - count + 1
    else:
        return f"{count:,} rows, page {-page.number} from the end"
    if exact:
        start = max(1, min(start, total.value - count + 1))
    return f"{start:,}–{start + count - 1:,}"


def _columns(request: HttpRequest, current: str) -> list[dict[str, object]]:
    """The table's headers; a sortable one links to the list sorted by it from page one
    (the query of `{% querystring sort=... page=None after=None before=None last=None %}`,
    built here: as a tag per link it was a copy of the query each)."""
    params = request.GET.copy()
    for name in ("page", "after", "before", "last"):
        params.pop(name, None)
    zone = timezone.get_current_timezone_name()
    columns: list[dict[str, object]] = []
    for column in SORTABLE_COLUMNS:
        label = column.label.format(zone=zone)
        key = column.key
        if key is None:
            columns.append({"label": label, "sortable": False})
            continue
        direction = {key: "ascending", f"-{key}": "descending"}.get(current)
        # A sort already in the query keeps its place in it, as with the tag.
        params["sort"] = f"-{key}" if current == key else key
        url = f"?{params.urlencode()}"
        columns.append({"label": label, "sortable": True, "direction": direction, "url": url})
    return columns


def sort_in_words(sort: str) -> str:
    """The order for the caption in words: "Contact ID, newest first" for "-id"."""
    key = sort.removeprefix("-")
    column = next(c for c in SORTABLE_COLUMNS if c.key == key)
    order = column.descending if sort.startswith("-") else column.ascending
    return f"{column.spoken or column.label}, {order}"


@require_POST
@permission_required("contacts.delete_contact", raise_exception=True)
def contact_bulk_delete(request: AppRequest) -> HttpResponse:
    form = ContactSelectionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(safe_next(request, list_url(request.POST.get("filter_query", ""))))
    selection = form.selection()
    # The page the user was on (filters, sort, page size, page); the list shows its first
    # page if that one is empty afterwards.
    back = safe_next(request, list_url(form.cleaned_data["filter_query"]))
    if not form.cleaned_data["confirmed"]:
        return render(
            request,
            "contacts/contact_bulk_delete_confirm.html",
            {"form": form, "count": selection.count(), "back": back, "next": back},
        )
    data = form.cleaned_data
    if data["select_all"]:
        total = selection.count()
        if total > settings.CONTACTS_SYNC_DELETE_LIMIT:
            # A repeat of a deletion still under way gives that one (and its count).
            deletion = bulk_deletion_request(
                actor=request.user,
                filter_query=data["filter_query"],
                max_contact_id=data["max_id"],
                total=total,
            )
            messages.success(
                request,
                f"Deleting {deletion.progress_total:,} contacts in the background. "
                "The progress shows above All Contacts.",
            )
            return redirect(back)
    deleted = contacts_delete(actor=request.user, contacts=selection)
    if deleted:
        noun = "contact" if deleted == 1 else "contacts"
        messages.success(request, f"{deleted:,} {noun} deleted.")
    else:
        messages.warning(request, "The selected contacts no longer exist; nothing was deleted.")
    return redirect(back)


@require_safe
@permission_required("contacts.delete_contact", raise_exception=True)
def deletion_progress(request: AppRequest) -> HttpResponse:
    """The banner of this user's background deletions (polled while one runs)."""
    return render(request, "contacts/_deletions.html", _deletion_notices(request))


@require_POST
@permission_required("contacts.delete_contact", raise_exception=True)
def deletion_dismiss(request: AppRequest, deletion_id: int) -> HttpResponse:
    """Close the notice of an ended deletion: htmx gets the banner without it."""
    bulk_deletion_dismiss(actor=request.user, deletion_id=deletion_id)
    if request.htmx:
        return render(request, "contacts/_deletions.html", _deletion_notices(request))
    return redirect("contacts:list")


def _deletion_notices(request: AppRequest) -> dict[str, object]:
    deletions = selectors.bulk_deletions_recent(user=request.user)
    # The banner polls while one of them runs, and only then.
    return {"deletions": deletions, "deletions_running": any(d.is_active for d in deletions)}
