"""The All Contacts filter's form: one class per process, and the group options read with
SQL written out; the filter bar's markup is what django-filters' own field gave."""

import django_filters
import pytest
from django import forms
from django.http import QueryDict

from contacts.filters import ContactFilter
from contacts.models import Contact, Group
from core.collation import in_reading_order
from core.controls import field_group
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db

NAMES = ['<script>alert("x")</script>', "O'Brien & Sons", "Zebra", "alpha", "Ärzte"]


class StockGroupFilter(ContactFilter):
    """ContactFilter with django-filters' own group filter (what it had before)."""

    group = django_filters.ModelChoiceFilter(  # type: ignore[assignment]
        queryset=Group.objects.order_by(in_reading_order("name")),
        method="filter_group",
        label="Group",
        empty_label="Any group",
        error_messages=ContactFilter.base_filters["group"].extra["error_messages"],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():  # as ContactFilter's form class does
            for attr in ("min", "max", "step"):
                field.widget.attrs.pop(attr, None)

    def get_form_class(self):
        return django_filters.FilterSet.get_form_class(self)


def _bar(filterset: ContactFilter) -> str:
    return "".join(
        field_group(filterset.form[name], wrapper_class="col", show_errors=False)
        for name in filterset.form.fields
    )


@pytest.mark.parametrize(
    "query", ["", "group={chosen}", "group={chosen}&q=%22%3E%3Cb%3E", "group=999999&created_to=x"]
)
def test_the_filter_bar_is_that_of_the_stock_filter(query):
    groups = [GroupFactory(name=name) for name in NAMES]
    data = QueryDict(query.format(chosen=groups[1].pk))
    ours = ContactFilter(data, queryset=Contact.objects.all())
    stock = StockGroupFilter(data, queryset=Contact.objects.all())
    assert ours.is_valid() == stock.is_valid()
    assert ours.errors == stock.errors
    assert _bar(ours) == _bar(stock)
    html = _bar(ours)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<script>" not in html
    if "group=" in query and ours.is_valid():
        assert f'<option value="{groups[1].pk}" selected>O&#x27;Brien &amp; Sons</option>' in html


def test_a_chosen_group_filters_by_its_queryset():
    group = GroupFactory(name="Members")
    filterset = ContactFilter(QueryDict(f"group={group.pk}"), queryset=Contact.objects.all())
    assert filterset.is_valid()
    assert filterset.form.cleaned_data["group"] == group


def _state(form: forms.Form) -> list[tuple[str, dict, dict]]:
    """Each field's and widget's own attributes (an object other than plain data by its
    identity: a queryset's repr would read the database)."""

    def plain(values: dict) -> dict:
        kept = (str, int, float, bool, type(None), dict, list, tuple, set)
        return {k: repr(v) if isinstance(v, kept) else id(v) for k, v in values.items()}

    return [
        (name, plain({**vars(field), "widget": None}), plain({**vars(field.widget)}))
        for name, field in form.fields.items()
    ]


def test_filtersets_share_the_fields_and_no_form_changes_them():
    first = ContactFilter(QueryDict("q=a"), queryset=Contact.objects.all())
    second = ContactFilter(QueryDict("q=b"), queryset=Contact.objects.all())
    assert type(first.form) is type(second.form)
    assert first.form.fields["q"] is second.form.fields["q"]
    before = _state(first.form)
    GroupFactory(name="Members")
    for query in ("", "q=x&group=1&created_from=bad", "contact_id=-1&created_to=2025-13-01"):
        filterset = ContactFilter(QueryDict(query), queryset=Contact.objects.all())
        filterset.is_valid()
        filterset.qs  # noqa: B018
        _bar(filterset)
        field_group(filterset.form["contact_id"], show_errors=True)
    assert _state(ContactFilter().form) == before
    # A filterset's filters are its own: their methods run on it, not on another one.
    assert all(getattr(f, "parent", None) is first for f in first.filters.values())
    assert first.filters["q"] is not second.filters["q"]
    first.qs  # noqa: B018
    assert first.searches and not second.searches
    # Each form still reads the groups of now, not those of when the class was built.
    GroupFactory(name="Later")
    field = ContactFilter().form.fields["group"]
    assert isinstance(field, forms.ModelChoiceField)
    options = [label for _, label in field.iterator(field)]
    assert "Later" in options
