"""core.controls writes the controls of the two hottest forms in Python: the same elements
and attributes Django's widget templates write, with Bootstrap's classes."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe

from core.controls import _flatatt, control, field_group
from core.widgets import FastSelect, IsoDateField

CHOICES = [("", "—"), ("a", "Apples & pears"), ("b", "<b>Bold</b>")]


class SampleForm(forms.Form):
    name = forms.CharField(max_length=20, help_text="As on the card")
    kind = forms.ChoiceField(choices=CHOICES)
    fruit = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(
        choices=[("", "—"), ("Fruit", [("a", "Apple"), ("p", "Pear")])], required=False
    )
    country = forms.ChoiceField(
        choices=CHOICES, required=False, widget=FastSelect(cache_key="test-controls")
    )
    count = forms.IntegerField(min_value=0, max_value=99, required=False)
    born = IsoDateField(required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    locked = forms.CharField(disabled=True, required=False)


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, sorted(attrs)))

    def handle_data(self, data):
        if data.strip():
            self.found.append(("text", data.strip()))


def _elements(html: str) -> list:
    parser = _Elements()
    parser.feed(html)
    return parser.found


def _css(field) -> str:
    kind = "form-select" if isinstance(field.field.widget, forms.Select) else "form-control"
    return kind + (" is-invalid" if field.errors else "")


BOUND = {
    "name": "<Ann>",
    "kind": "b",
    "grouped": "p",
    "country": "a",
    "count": "-1",
    "born": "31.12.2000",
    "note": "two\nlines & <tags>",
}


@pytest.mark.parametrize("data", [None, BOUND], ids=["unbound", "bound"])
def test_every_control_is_what_django_writes(data):
    form = SampleForm(data, initial={"born": dt.date(2000, 12, 31), "locked": "fixed"})
    if data:
        assert not form.is_valid()
    for field in form:
        django = field.as_widget(attrs={"class": _css(field)})
        assert _elements(str(control(field))) == _elements(django), field.name


def test_a_field_group_says_what_is_wrong_next_to_the_field():
    field = SampleForm({"name": "x" * 21})["name"]
    html = str(field_group(field))
    assert html.startswith('<div class="mb-3"><label class="form-label" for="id_name">Name</label>')
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'aria-invalid="true"' in html and "is-invalid" in html
    assert '<div id="id_name_error" class="invalid-feedback">Ensure this value' in html
    assert '<div id="id_name_helptext" class="form-text">As on the card</div>' in html


def test_without_errors_shown_a_field_refers_to_no_error():
    field = SampleForm({"name": "x" * 21})["name"]
    html = str(field_group(field, wrapper_class="col-6", show_errors=False))
    assert html.startswith('<div class="col-6">')
    assert "error" not in html and "invalid" not in html
    assert 'aria-describedby="id_name_helptext"' in html


def test_a_widget_it_does_not_know_is_rendered_by_django():
    class CheckForm(forms.Form):
        agreed = forms.BooleanField()

    html = str(control(CheckForm({"agreed": "on"})["agreed"]))
    assert _elements(html) == [
        (
            "input",
            [
                ("checked", None),
                ("class", "form-check-input"),
                ("id", "id_agreed"),
                ("name", "agreed"),
                ("required", None),
                ("type", "checkbox"),
            ],
        )
    ]


@pytest.mark.parametrize(
    "attrs",
    [
        {},
        {"class": "form-control", "id": "id_q", "name": "q", "maxlength": 254},
        {"required": True, "disabled": False, "title": None, "value": 'a "b" & <c>'},
        {"aria-describedby": "x_helptext", "placeholder": mark_safe("<i>safe</i>"), "z": 0},
    ],
)
def test_attributes_are_written_as_django_writes_them(attrs):
    assert _flatatt(attrs) == flatatt(attrs)
