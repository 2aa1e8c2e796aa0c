"""The rows of a read-only admin list: Django's markup, with the per-column work done once.

Django's admin (admin_list.items_for_result) works out every cell's classes, empty text
and link row by row, and reverses each row's change URL and merges the list's filters
into it (a URL resolve per row): at 50 rows that was most of the page's time. Here that
is worked out once per page; each cell still gets its value and text from Django's own
functions. The markup is the same (tests/core/test_admin_rows.py compares it).
"""

import datetime
import html
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    items_for_result,
    result_headers,
    result_hidden_fields,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Where the object id goes in the change URL reversed once per page (as contacts.rows).
ID_SLOT = "9" * 18


@dataclass(frozen=True)
class _Column:
    name: Any  # a list_display entry: a field or method name, or a callable
    css: str  # the "field-..." class
    tag: str  # "th" or "td" for the link column, "" for the others
    read: Callable[[Any], tuple[Any, Any, Any]]  # lookup_field for this column
    choices: dict[Any, Any] | None  # a field's choices: display_for_field's lookup
    text: bool  # a text field: display_for_field shows its value as it is


def result_list(cl: ChangeList) -> dict[str, Any]:
    """The context of admin/change_list_results.html, as admin_list.result_list makes it."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": list(results(cl)),
    }


def results(cl: ChangeList) -> Iterator[ResultList]:
    """What admin_list.results yields, for every list; Django's own for the lists this
    does not cover (editable, popup, a pk that is not an integer)."""
    if cl.formset or cl.is_popup or cl.to_field or not _integer_pk(cl):
        for result in cl.result_list:
            yield ResultList(None, items_for_result(cl, result, None))
        return
    columns = _columns(cl)
    link = _change_url(cl)
    empty = cl.model_admin.get_empty_value_display()
    for result in cl.result_list:
        url = f"{link[0]}{result.pk}{link[1]}" if link else ""
        # One item of the row's cells joined: the template writes its items with nothing
        # between them, and a loop over each cell was a tenth of the list's rendering.
        cells = "".join([_cell(cl, column, result, url, empty) for column in columns])
        yield ResultList(None, [mark_safe(cells)])  # noqa: S308 (each cell is escaped)


def _integer_pk(cl: ChangeList) -> bool:
    pk: Any = cl.lookup_opts.pk
    if pk.is_relation:  # a one-to-one key (the mobile app data's contact): its target's
        pk = pk.target_field
    return isinstance(pk, models.IntegerField)


def _columns(cl: ChangeList) -> list[_Column]:
    links: Any = cl.list_display_links  # None: no link column
    columns, first = [], True
    for index, name in enumerate(cl.list_display):
        if links is None:
            linked = False
        elif first and not links:
            linked = True
        else:
            linked = name in links
        tag = ""
        if linked:
            tag, first = ("th" if first else "td"), False
        read, field = _reader(cl, name)
        choices = _choices(field)
        text = (
            isinstance(field, (models.CharField, models.TextField))
            and not isinstance(field, models.URLField)  # shown as a link
            and choices is None
        )
        columns.append(_Column(name, f"field-{_class_name(name, index)}", tag, read, choices, text))
    return columns


def _reader(cl: ChangeList, name: Any) -> tuple[Callable[[Any], tuple[Any, Any, Any]], Any]:
    """lookup_field(name, row, model_admin) for every row, with what depends only on the
    column (which field, which method) worked out once: per cell it was a fifth of the
    rows' time. The field (None for a method) comes with it."""
    model_admin = cl.model_admin
    try:
        field = _non_gfk_field(cl.lookup_opts, name)
    except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
        if callable(name):
            return (lambda row: (None, name, name(row))), None
        if hasattr(model_admin, name) and name != "__str__":
            method = getattr(model_admin, name)
            return (lambda row: (None, method, method(row))), None
        return (lambda row: lookup_field(name, row, model_admin)), None
    return (lambda row: (field, None, getattr(row, name))), field


def _non_gfk_field(opts: Any, name: Any) -> Any:
    """The field lookup_field reads a column's value from (admin.utils._get_non_gfk_field):
    not a generic or reverse relation, nor a foreign key by its column name."""
    field = opts.get_field(name)
    if field.is_relation and ((field.many_to_one and not field.related_model) or field.one_to_many):
        raise FieldDoesNotExist
    if field.is_relation and not field.many_to_many and getattr(field, "attname", None) == name:
        raise FieldIsAForeignKeyColumnName
    return field


def _choices(field: Any) -> dict[Any, Any] | None:
    """display_for_field's choices as one dict (it builds one per cell)."""
    if field is None or not getattr(field, "flatchoices", None):
        return None
    try:
        return dict(field.flatchoices)
    except TypeError:  # list-like choices: display_for_field makes them hashable per cell
        return None


def _class_name(name: Any, index: int) -> str:
    """admin_list._coerce_field_name: a callable's name (lambda + position for a lambda)."""
    if callable(name):
        return f"lambda{index}" if name.__name__ == "<lambda>" else str(name.__name__)
    return str(name)


def _change_url(cl: ChangeList) -> tuple[str, str] | None:
    """The escaped change URL with the list's filters, before and after the object id."""
    try:
        url = cl.url_for_result(cast(Any, _Slot()))
    except NoReverseMatch:  # no change page: Django shows the text without a link
        return None
    url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)
    before, _, after = escape(url).partition(ID_SLOT)
    return before, after


class _Slot:
    """Stands in for a row in ChangeList.url_for_result."""

    def __getattr__(self, name: str) -> str:
        return ID_SLOT


def _cell(cl: ChangeList, column: _Column, result: Any, url: str, empty: Any) -> SafeString:
    """One cell, as items_for_result makes it."""
    classes = [column.css]
    try:
        f, attr, value = column.read(result)
    except ObjectDoesNotExist:
        text = empty
    else:
        empty = getattr(attr, "empty_value_display", empty)
        if isinstance(value, str) and value.strip() == "":
            value = ""
        if f is None or f.auto_created:
            if column.name == "action_checkbox":
                classes = ["action-checkbox"]
            boolean = getattr(attr, "boolean", False)
            if isinstance(attr, property) and hasattr(attr, "fget"):
                boolean = getattr(attr.fget, "boolean", False)
            if type(value) is int and not boolean and not settings.USE_THOUSAND_SEPARATOR:
                text = str(value)  # what number_format gives an int without grouping
            else:
                text = display_for_value(value, empty, boolean)
            if isinstance(value, (datetime.date, datetime.time)):
                classes.append("nowrap")
        else:
            if isinstance(f.remote_field, models.ManyToOneRel):
                related = getattr(result, f.name)
                text = empty if related is None else related
            elif column.choices is not None:  # display_for_field looks at choices first
                text = column.choices.get(value, empty)
            elif column.text:  # display_for_field: empty, or display_for_value's str()
                text = empty if value in f.empty_values else str(value)
            elif isinstance(f, models.DateTimeField) and _aware(value):
                text = _date_time(timezone.localtime(value))  # as template_localtime (USE_TZ)
            else:
                text = display_for_field(value, f, empty, avoid_link=bool(column.tag))
            if isinstance(f, (models.DateField, models.TimeField, models.ForeignKey)):
                classes.append("nowrap")
    css = classes[0] if len(classes) == 1 else " ".join(classes)
    content = _escaped(text)
    if column.tag:
        if url:
            content = f'<a href="{url}">{content}</a>'
        tag = column.tag
    else:
        tag = "td"
    return SafeString(f'<{tag} class="{css}">{content}</{tag}>')


def _escaped(text: Any) -> str:
    """conditional_escape(text), without its wrapper for lazy text (a tenth of a cell)."""
    if hasattr(text, "__html__"):
        return str(text.__html__())
    return html.escape(str(text))


def _aware(value: object) -> bool:
    return isinstance(value, datetime.datetime) and value.tzinfo is not None


def _date_time(at: datetime.datetime) -> str:
    """display_for_field of a time: DATETIME_FORMAT of config/formats ("Y-m-d H:i T"),
    written out; Django's date formatting of every row was a fifth of a list's time."""
    return f"{at.year:04d}-{at.month:02d}-{at.day:02d} {at.hour:02d}:{at.minute:02d} {at.tzname()}"
