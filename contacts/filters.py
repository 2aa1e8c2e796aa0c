import copy
import datetime as dt
import re
from collections import OrderedDict
from collections.abc import Iterator
from functools import cache
from typing import Any

import django_filters
from django import forms
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

from contacts.created_range import created_ids, created_range
from contacts.group_filter import in_group, members_in_created_range
from contacts.models import Contact, Group, IdentifierType, Membership
from contacts.search import (
    ALIAS_HELP,
    SEARCH_HELP,
    SEARCH_PLACEHOLDER,
    Search,
    alias_is,
    email_conditions,
    mobile_matches,
    name_search,
    search_for,
)
from contacts.validation import CONTACT_ID_MAX, parse_contact_id
from core import raw_rows
from core.collation import in_reading_order, in_reading_order_sql
from core.counts import Parts
from core.widgets import IsoDateField, RuleIntegerField

# The sort parameters of All Contacts ("-" descends); contacts.pagination pages them.
SORTS = [
    f"{direction}{key}"
    for key in ("id", "email", "mobile", "first_name", "last_name", "created")
    for direction in ("", "-")
]
DEFAULT_SORT = "-id"


class IsoDateFilter(django_filters.DateFilter):
    field_class = IsoDateField


class ContactFilterForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("created_from"), data.get("created_to")
        if start and end and start > end:
            # Said, not silently "No contacts match": the dates are likely swapped.
            self.add_error(
                "created_to",
                f"“Created to” ({end:%Y-%m-%d}) is before “Created from” ({start:%Y-%m-%d}): "
                "no contact can match. Swap the dates.",
            )
        return data


class GroupChoices(django_filters.fields.ModelChoiceIterator):  # type: ignore[type-arg]
    """The group filter's options, (id, name) read with SQL written out: every All
    Contacts page renders them, and building the groups through the ORM cost several
    times the query. Only the options: a chosen group is still checked by the queryset."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        field: Any = self.field  # django-filters' field: an empty and a null choice
        if field.empty_label is not None:
            yield ("", field.empty_label)
        if field.null_label is not None:
            yield (field.null_value, field.null_label)
        yield from group_options()


class GroupChoiceField(django_filters.fields.ModelChoiceField):
    iterator = GroupChoices


class GroupFilter(django_filters.ModelChoiceFilter):
    field_class = GroupChoiceField


def group_options() -> list[tuple[int, str]]:
    """Every group's id and name, by name (the group filter's queryset)."""
    return raw_rows.select_values(Group, _group_options_sql())


@cache
def _group_options_sql() -> str:
    pk, name = raw_rows.column(Group, "id"), raw_rows.column(Group, "name")
    order = in_reading_order_sql(name)
    return f"SELECT {pk}, {name} FROM {raw_rows.table(Group)} ORDER BY {order} ASC"  # noqa: S608


class ContactIdFilter(django_filters.NumberFilter):
    """A Contact ID, checked by its rule (contacts.validation.parse_contact_id)."""

    field_class = RuleIntegerField  # type: ignore[assignment]  # ids are whole numbers

    def get_max_validator(self) -> None:
        return None  # the rule has the bound


class ContactFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label="Search",
        max_length=254,
        widget=forms.SearchInput(attrs={"placeholder": SEARCH_PLACEHOLDER}),
        help_text=SEARCH_HELP,
    )
    contact_id = ContactIdFilter(
        field_name="id",
        label="ID",
        rule=parse_contact_id,
        min_value=1,
        max_value=CONTACT_ID_MAX,
    )
    email = django_filters.CharFilter(
        method="filter_email",
        label="Email",
        max_length=254,
        help_text="The beginning of an address or of its domain (@example.com: the domain only)",
    )
    mobile = django_filters.CharFilter(method="filter_mobile", label="Mobile Number", max_length=40)
    alias = django_filters.CharFilter(
        method="filter_alias", label="Mobile App Alias", max_length=2000, help_text=ALIAS_HELP
    )
    name = django_filters.CharFilter(
        method="filter_name",
        label="Name",
        max_length=255,
        help_text=(
            "Part of a first or last name, or a full name; with 1 or 2 letters, "
            "the beginning of a name"
        ),
    )
    # A choice filter's value comes from a link as often as from its list (a bookmark, a
    # group deleted since): its error says what to do, not Django's "Select a valid choice".
    identifier_type = django_filters.ChoiceFilter(
        choices=IdentifierType.choices,
        label="Identifier type",
        empty_label="Any",
        error_messages={"invalid_choice": "Choose an identifier type from the list."},
    )
    group = GroupFilter(
        queryset=Group.objects.order_by(in_reading_order("name")),
        method="filter_group",
        label="Group",
        empty_label="Any group",
        error_messages={
            "invalid_choice": (
                "This group no longer exists or was never there: choose one from the list."
            )
        },
    )
    created_from = IsoDateFilter(method="filter_created_from", label="Created from")
    created_to = IsoDateFilter(method="filter_created_to", label="Created to")

    # Whether the group filter reads the members first (contacts.pagination: ids first).
    members_first = False
    group_members: int | None = None  # how many it read, then
    # A group in a created range, alone: its members in the range, counted for the list.
    range_members: "QuerySet[Membership] | None" = None

    class Meta:
        model = Contact
        fields: list[str] = []
        form = ContactFilterForm

    def __init__(
        self,
        data: QueryDict | dict[str, Any] | None = None,
        queryset: QuerySet[Contact] | None = None,
        *,
        request: HttpRequest | None = None,
        prefix: str | None = None,
    ) -> None:
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.searches: list[Search] = []  # the text searches, as their filters run
        self.unsearched = Contact.objects.none()  # the other filters' contacts

    def get_form_class(self) -> type[forms.Form]:
        return _form_class(type(self))

    def filter_search(
        self, queryset: QuerySet[Contact], name: str, value: str
    ) -> QuerySet[Contact]:
        value = value.strip()
        return self._search(queryset, search_for(value)) if value else queryset

    def filter_email(self, queryset: QuerySet[Contact], name: str, value: str) -> QuerySet[Contact]:
        value = value.strip()
        return self._search(queryset, Search(email_conditions(value))) if value else queryset

    def _search(self, queryset: QuerySet[Contact], search: Search) -> QuerySet[Contact]:
        self.searches.append(search)  # applied by filter_queryset
        return queryset

    def count_parts(self) -> Parts | None:
        """The matches in parts for core.counts (read index by index, in index order), when
        a text search's first conditions are ranges of b-tree indexes."""
        self.qs  # noqa: B018  (runs the filters: they record their searches)
        for search in self.searches:
            others = [other.condition() for other in self.searches if other is not search]
            parts = search.parts(self.unsearched.filter(*others))
            if parts is not None:
                return parts
        return None

    def filter_mobile(
        self, queryset: QuerySet[Contact], name: str, value: str
    ) -> QuerySet[Contact]:
        return queryset.filter(mobile_matches(value))

    def filter_alias(self, queryset: QuerySet[Contact], name: str, value: str) -> QuerySet[Contact]:
        return queryset.filter(alias_is(value.strip())) if value.strip() else queryset

    def filter_name(self, queryset: QuerySet[Contact], name: str, value: str) -> QuerySet[Contact]:
        value = value.strip()
        return self._search(queryset, name_search(value)) if value else queryset

    def filter_group(
        self, queryset: QuerySet[Contact], name: str, value: Group
    ) -> QuerySet[Contact]:
        return queryset  # in filter_queryset, with the ids of the created range if any

    def filter_created_from(
        self, queryset: QuerySet[Contact], name: str, value: dt.date
    ) -> QuerySet[Contact]:
        return queryset  # in filter_queryset, once for both dates

    def filter_created_to(
        self, queryset: QuerySet[Contact], name: str, value: dt.date
    ) -> QuerySet[Contact]:
        return queryset  # in filter_queryset, once for both dates

    def filter_queryset(self, queryset: QuerySet[Contact]) -> QuerySet[Contact]:
        self.searches = []
        self.range_members = None
        # The text searches last: count_parts counts their matches among the others'.
        self.unsearched = self._filter_unsearched(queryset)
        queryset = self.unsearched
        for search in self.searches:
            queryset = queryset.filter(search.condition())
        return queryset

    def _filter_unsearched(self, queryset: QuerySet[Contact]) -> QuerySet[Contact]:
        queryset = super().filter_queryset(queryset)  # the text searches only recorded
        data = self.form.cleaned_data
        start, end = data.get("created_from"), data.get("created_to")
        ids = None
        if start or end:
            # With the id range of the created range, the newest-first scan starts at its
            # newest contact (contacts.created_range).
            ids = created_ids(start, end)
            if ids is None:
                return queryset.none()
            queryset = queryset.filter(created_range(start, end), id__range=ids)
        if data.get("group"):
            group = in_group(data["group"], ids=ids)
            self.members_first, self.group_members = group.members_first, group.members
            if (
                ids is not None
                and connection.vendor == "postgresql"
                and self._group_and_range_alone()
            ):
                self.range_members = members_in_created_range(
                    data["group"], ids=ids, contacts=queryset
                )
            queryset = queryset.filter(group.condition)
        return queryset

    def _group_and_range_alone(self) -> bool:
        filters = {"group", "created_from", "created_to"}
        return all(v in (None, "") for k, v in self.form.cleaned_data.items() if k not in filters)

    def count_source(self) -> QuerySet[Any] | None:
        """Rows that are as many as the matches and cheaper to count, when there are: a
        group and a created range alone are counted member first (members_in_created_range)."""
        self.qs  # noqa: B018  (runs the filters)
        return self.range_members

    def known_total(self) -> int | None:
        """The number of matches, when the filter has read it on the way: a group alone,
        whose members it read first (each membership names one contact, once), so that
        All Contacts need not count them again."""
        others = (v for k, v in self.form.cleaned_data.items() if k != "group")
        return self.group_members if all(v in (None, "") for v in others) else None


@cache
def _form_class(filterset: type[ContactFilter]) -> type[forms.Form]:
    """The filter's form class, built once per process. django-filters builds it (and a
    field per filter) for every filterset, a request of All Contacts each."""
    filters = copy.deepcopy(filterset.base_filters)
    fields = {name: filter_.field for name, filter_ in filters.items()}
    for field in fields.values():
        # The server checks the ranges and says what is wrong above the results; the
        # browser's own check would stop the search with a bubble instead.
        for attr in ("min", "max", "step"):
            field.widget.attrs.pop(attr, None)
    form: type[forms.Form] = filterset._meta.form  # type: ignore[attr-defined]
    form_class: type[forms.Form] = type(f"{filterset.__name__}Form", (form,), fields)
    form_class.base_fields = _SharedFields(form_class.base_fields)
    return form_class


class _SharedFields(dict[str, forms.Field]):
    """The filter form's fields, which every form shares instead of deep-copying them
    (Django's BaseForm copies each field and widget per form: 0.2 ms of every All Contacts
    request). A form of the filter bar only reads its fields: nothing sets a field's or a
    widget's attributes after _form_class (tests/contacts/test_filter_form.py)."""

    def __deepcopy__(self, memo: dict[int, object]) -> dict[str, forms.Field]:
        return dict(self)


class _FilterCopies(OrderedDict[str, django_filters.Filter]):
    """ContactFilter's filters, copied for each filterset with copy.copy instead of
    deepcopy (django-filters deep-copies them per filterset: 0.3 ms of every All Contacts
    request). What a filter holds per filterset (its parent and model) is set on the copy,
    its method is bound to the copy; the rest is never changed after the class is built."""

    def __deepcopy__(self, memo: dict[int, object]) -> dict[str, django_filters.Filter]:
        copies = {}
        for name, filter_ in self.items():
            clone = copy.copy(filter_)
            if filter_.method is not None:
                clone.method = filter_.method  # a FilterMethod that calls the copy's parent
            copies[name] = clone
        return copies


ContactFilter.base_filters = _FilterCopies(ContactFilter.base_filters)


# The values of a contact that name the person when they appear in a stored filter (a
# search term, an address); not e.g. a country code, which names nobody.
NAMING_FIELDS = (
    "email",
    "mobile_number",
    "app_alias",
    "external_id",
    "first_name",
    "last_name",
    "nickname",
)


def naming_texts(contact: Contact) -> list[str]:
    """The contact's naming values, lower case; a mobile number also without its "+"."""
    texts = []
    for field in NAMING_FIELDS:
        value = (getattr(contact, field) or "").strip().lower()
        if value:
            texts.append(value)
            if value.startswith("+"):
                texts.append(value[1:])
    return texts


def filter_names(filter_query: str, texts: list[str]) -> bool:
    """Whether a stored filter holds one of these texts, as a whole value or whole words.

    Whole words only: deleting "Li" must not touch a filter "name=Oliver". Every
    parameter counts, known or not: a stored query string is whatever was submitted.
    """
    if not filter_query or not texts:
        return False
    data = QueryDict(filter_query)
    typed = [text.lower() for key, values in data.lists() for text in (key, *values)]
    return any(
        re.search(rf"(?<!\w){re.escape(text)}(?!\w)", value) for value in typed for text in texts
    )
