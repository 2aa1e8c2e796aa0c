"""core.widgets' plain widgets write the markup Django's widget templates write, and fixed
choices act in a form field as the same list would."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from core.widgets import FixedChoices, PlainHiddenInput, PlainSelect

CHOICES = [
    ("", "---------"),
    ("delete_selected", "Delete selected contacts"),
    ('a"b', "<Quote> & 'apostrophe'"),
    ("Group", [("1", "One"), ("2", "Two")]),
    (3, "Three"),
]
ATTRS = [
    None,
    {"required": True, "disabled": False, "aria-describedby": "x_helptext"},
    {"class": "a b", "data-note": '"quoted"', "data-none": None},
]


@pytest.mark.parametrize("value", [None, "", "delete_selected", 'a"b', "2", 3, ["1", "3"]])
@pytest.mark.parametrize("attrs", ATTRS)
def test_plain_select_is_django_s_select(value, attrs):
    plain = PlainSelect(choices=CHOICES).render("action", value, attrs)
    stock = forms.Select(choices=CHOICES).render("action", value, attrs)
    assert plain == stock
    assert "<option" in plain


@pytest.mark.parametrize("value", [None, "", 0, "1", '<"&>'])
@pytest.mark.parametrize("attrs", ATTRS)
def test_plain_hidden_input_is_django_s(value, attrs):
    widget_attrs = {"class": "select-across"}
    plain = PlainHiddenInput(widget_attrs).render("select_across", value, attrs)
    stock = forms.HiddenInput(widget_attrs).render("select_across", value, attrs)
    assert plain == stock
    assert plain.startswith('<input type="hidden"')


def test_the_admin_list_renders_its_action_box_with_them(admin_client_role, monkeypatch, db):
    rendered = []
    real = PlainSelect.render

    def counted(self, name, *args, **kwargs):
        rendered.append(name)
        return real(self, name, *args, **kwargs)

    monkeypatch.setattr(PlainSelect, "render", counted)
    response = admin_client_role.get("/admin/contacts/contact/")
    assert response.status_code == 200
    assert rendered == ["action"]
    assert 'name="action"' in response.content.decode()


FLAT_CHOICES = [("", "Not set"), ("a", "A"), ('<b>"x"</b>', "<b> & x")]


def test_fixed_choices_are_taken_as_they_are():
    choices = FixedChoices(FLAT_CHOICES)
    field = forms.ChoiceField(choices=choices, required=False)
    assert field.choices is choices  # not normalised again
    assert field.widget.choices is choices
    assert list(field.choices) == FLAT_CHOICES
    assert len(choices) == 3


@pytest.mark.parametrize("value", ["", "a", '<b>"x"</b>', "b", "A", "<b> & x"])
def test_a_field_with_fixed_choices_validates_as_with_the_list(value):
    fixed = forms.ChoiceField(choices=FixedChoices(FLAT_CHOICES), required=False)
    plain = forms.ChoiceField(choices=FLAT_CHOICES, required=False)

    def outcome(field: forms.ChoiceField) -> object:
        try:
            return field.clean(value)
        except ValidationError as exc:
            return exc.messages

    assert outcome(fixed) == outcome(plain)


@pytest.mark.parametrize("value", [None, "", "a", '<b>"x"</b>'])
def test_a_select_with_fixed_choices_renders_as_with_the_list(value):
    fixed = forms.Select(choices=FixedChoices(FLAT_CHOICES)).render("x", value)
    assert fixed == forms.Select(choices=FLAT_CHOICES).render("x", value)
