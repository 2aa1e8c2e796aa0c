"""Admin bases every app uses, and the admin of core's own tables.

Every list skips the full-table count and deep OFFSETs, so the pages stay usable at
millions of rows; data changes only through the services (they write the audit log).
"""

import math
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME, ActionForm
from django.contrib.admin.views.main import ORDER_VAR, SEARCH_VAR, ChangeList
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import F, Model, OrderBy, QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import pluralize
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from core.counts import COUNT_CAP, PLAIN_COUNT_CAP, Parts, Total, count_rows
from core.models import AuditEntry, Notification
from core.notifications import notifications_give_up
from core.widgets import PlainHiddenInput, PlainSelect


class EstimatedCountPaginator(Paginator[Any]):
    """Counts like All Contacts: estimated for a big unfiltered table, capped when filtered
    (a search lower: ReadOnlyAdmin.get_paginator), shown as "more than ..." when capped.

    Bounded: only the first MAX_ROWS rows of any order are paged, or as many as a capped
    count (a later page number shows the last of those pages), so the deepest page costs
    what page 200 does at any table size. The other rows are reached by sorting the other
    way round, filtering or searching.
    """

    DEFERRED_JOIN_AFTER = 1_000
    MAX_ROWS = 10_000
    object_list: QuerySet[Any]  # the admin pages a queryset
    count_cap = COUNT_CAP
    count_parts: Parts | None = None  # the same rows in parts (core.counts.count_rows)

    @cached_property
    def total(self) -> Total:
        queryset = self.object_list
        filtered = bool(queryset.query.where)
        return count_rows(queryset, filtered=filtered, cap=self.count_cap, parts=self.count_parts)

    @cached_property
    def count(self) -> int:
        return self.total.value  # when capped, the cap: only that many rows are paged

    @cached_property
    def num_pages(self) -> int:
        return min(super().num_pages, math.ceil(self.MAX_ROWS / self.per_page))

    @property
    def bounded(self) -> bool:
        """Whether rows beyond the last page exist (they are not paged)."""
        return self.total.capped or self.count > self.num_pages * self.per_page

    def validate_number(self, number: Any) -> int:
        """A page number from the URL; one past the last page shows the last page."""
        try:
            return super().validate_number(number)
        except EmptyPage:
            if int(number) < 1:
                raise
            return self.num_pages

    def page(self, number: int | str) -> Page[Any]:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom < self.DEFERRED_JOIN_AFTER:
            return super().page(number)
        # Deep pages: skip the offset over the primary key alone (an index-only scan),
        # then fetch just the rows of this page.
        ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        position = {pk: index for index, pk in enumerate(ids)}
        rows = sorted(self.object_list.filter(pk__in=ids), key=lambda row: position[row.pk])
        return Page(rows, number, self)


class CountAbove(int):
    """A capped count, for the admin's arithmetic (pages, "Select all"); wherever a
    template shows it, it reads "more than 1,000"."""

    def __str__(self) -> str:
        return str(Total(int(self), capped=True))


class IndexOrderChangeList(ChangeList):
    """The admin's list with a tie-break in the direction of its sort.

    Django breaks ties by "-pk" whatever the sort: "first_name, -id" cannot be read
    from the index (first_name, id) and the planner sorts the whole table.
    "first_name, id" walks the index; a page number past the bounded paginator's last
    page shows its last page. A sort by a column the list does not offer to sort by
    (`sortable_by`) is ignored: Django hides that header's link but still sorts by
    `?o=`, and on a big table such a sort reads all of it.
    """

    def get_ordering(self, request: HttpRequest, queryset: QuerySet[Any]) -> list[Any]:
        self._drop_unoffered_sorts()
        ordering = list(super().get_ordering(request, queryset))
        if len(ordering) > 1 and ordering[-1] == "-pk" and _ascending(ordering[0]):
            ordering[-1] = "pk"
        return ordering

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        if self.multi_page and not self.show_all:
            self.page_num = self.paginator.validate_number(self.page_num)
        total = getattr(self.paginator, "total", None)
        if isinstance(total, Total) and total.capped:
            self.result_count = CountAbove(self.result_count)

    def get_ordering_field(self, field_name: Any) -> Any:
        """A foreign key's column by its column name ("contact_id") sorts by that column:
        Django sorts by the related model's own ordering, which for "-id" runs the other
        way from the arrow and joins the related table."""
        if isinstance(field_name, str):
            try:
                field = self.lookup_opts.get_field(field_name)
            except FieldDoesNotExist:
                pass
            else:
                if field.is_relation and getattr(field, "attname", None) == field_name:
                    return field_name
        return super().get_ordering_field(field_name)

    def _drop_unoffered_sorts(self) -> None:
        """Keep the parts of `?o=` (such as "-2.3") that name a sortable column."""
        given = self.params.get(ORDER_VAR)
        if not given or self.sortable_by is None:
            return
        kept = []
        for part in str(given).split("."):
            try:
                name = self.list_display[int(part.removeprefix("-"))]
            except (IndexError, ValueError):
                continue
            if name in self.sortable_by:
                kept.append(part)
        if kept:
            self.params[ORDER_VAR] = ".".join(kept)
        else:
            del self.params[ORDER_VAR]


def _ascending(part: object) -> bool:
    if isinstance(part, str):
        return not part.startswith("-")
    if isinstance(part, OrderBy):
        return not part.descending
    return isinstance(part, F)


_M = TypeVar("_M", bound=Model)

# The rows of each admin request before its search (ReadOnlyAdmin.get_search_results): a
# search counted in parts counts each part among them. Among the searched rows instead,
# each part would test the whole search again: planned and run once for every part, a
# third of an admin search's count.
_UNSEARCHED: "WeakKeyDictionary[HttpRequest, QuerySet[Any]]" = WeakKeyDictionary()


class PlainActionForm(ActionForm):
    """Django's action box, its two widgets written in Python (core.widgets)."""

    action = forms.ChoiceField(label=ActionForm.base_fields["action"].label, widget=PlainSelect)
    select_across = forms.BooleanField(
        label="",
        required=False,
        initial=0,
        widget=PlainHiddenInput({"class": "select-across"}),
    )


class ReadOnlyAdmin(admin.ModelAdmin[_M]):
    """Contact data changes only through the app's services (they write the audit log)."""

    show_full_result_count = False
    list_per_page = 50  # as the contacts' list: a page of a big table reads quickly
    # "Show counts" counts every filter choice over the whole table: at 1,000,000
    # contacts the memberships' took 2.7 s and the events' 3.5 s.
    show_facets = admin.ShowFacets.NEVER
    paginator = EstimatedCountPaginator
    change_list_template = "admin/readonly_change_list.html"  # rows by core.admin_rows
    action_form = PlainActionForm

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return IndexOrderChangeList

    def get_paginator(
        self,
        request: HttpRequest,
        queryset: QuerySet[_M],
        per_page: int,
        orphans: int = 0,
        allow_empty_first_page: bool = True,
    ) -> Paginator[_M]:
        paginator = super().get_paginator(
            request, queryset, per_page, orphans, allow_empty_first_page
        )
        term = request.GET.get(SEARCH_VAR, "")
        if term.strip() and isinstance(paginator, EstimatedCountPaginator):
            # A search counts to "more than 1,000" (its first 20 pages are paged): a short
            # term matches a share of every contact, and a larger cap reads a share of
            # the table that grows with it.
            paginator.count_cap = PLAIN_COUNT_CAP
            unsearched = _UNSEARCHED.pop(request, None)
            if unsearched is not None and unsearched.model is queryset.model:
                paginator.count_parts = self.search_parts(unsearched, term)
        return paginator

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[_M], search_term: str
    ) -> tuple[QuerySet[_M], bool]:
        _UNSEARCHED[request] = queryset
        return self.search_results(request, queryset, search_term)

    def search_results(
        self, request: HttpRequest, queryset: QuerySet[_M], search_term: str
    ) -> tuple[QuerySet[_M], bool]:
        """The rows of `queryset` that the search box finds (Django's get_search_results,
        which this admin wraps), and whether they may hold duplicates."""
        return super().get_search_results(request, queryset, search_term)

    def search_parts(self, queryset: QuerySet[_M], term: str) -> Parts | None:
        """The rows of `queryset` (the rows before the search) that the search finds, in
        parts for core.counts, if the search has them."""
        return None

    def action_checkbox(self, obj: _M) -> SafeString:
        """Django's row check box, written out: rendering it through the form widget
        templates took about 40% of a 50-row list's time."""
        label = gettext("Select this object for an action - {}").replace("{}", escape(str(obj)), 1)
        pk = escape(str(obj.pk))
        return mark_safe(  # noqa: S308 (escaped above; format_html per row cost more)
            f'<input type="checkbox" name="{ACTION_CHECKBOX_NAME}" value="{pk}" '
            f'class="action-select" aria-label="{label}">'
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin[AuditEntry]):
    list_display = ["at", "actor", "action", "contact_id"]
    list_filter = ["action"]
    search_fields = ["=contact_id"]
    raw_id_fields = ["actor"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin[Notification]):
    """System mail: an admin may stop the retries of a mail that cannot be delivered."""

    list_display = ["id", "kind", "object_id", "recipient", "state", "attempt", "next_attempt_at"]
    list_filter = ["status", "kind"]
    search_fields = ["=object_id", "recipient__username"]
    raw_id_fields = ["recipient"]
    actions = ["give_up_sending"]

    @admin.display(description="State", ordering="status")
    def state(self, obj: Notification) -> str:
        return obj.state_label

    def has_give_up_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("core.change_notification")

    @admin.action(description="Give up sending", permissions=["give_up"])
    def give_up_sending(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        ids = list(queryset.order_by().values_list("pk", flat=True))
        given_up = notifications_give_up(actor=request.user, ids=ids)
        left = len(ids) - given_up
        note = f" {left:,} already sent or given up: left as they were." if left else ""
        self.message_user(
            request, f"Gave up sending {given_up:,} email{pluralize(given_up)}: never sent.{note}"
        )
