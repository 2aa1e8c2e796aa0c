"""Bootstrap form fields written in Python, for the two hottest forms only.

Every other form of the app is rendered by crispy (Bootstrap 5 pack). The Contact Profile
and the All Contacts filter bar render on every request of the two pages people use most,
and crispy's templates (one per field, per widget and per option) made them slower: the
profile's fields took about twice as long and the filter bar three times as long
(docs/performance.md, "Rendering"). So these two write the same markup here: a label, the
control with Django's own attributes (the widget's, plus required, disabled, aria-invalid
and aria-describedby as `BoundField.build_widget_attrs` sets them), the error and the help
text. A widget this module does not know is rendered by Django.
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.widgets import Input
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from core.widgets import FastSelect
from core.widgets import text_html as _esc


def field_group(
    field: BoundField, *, wrapper_class: str = "mb-3", show_errors: bool = True
) -> SafeString:
    """Label, control, error and help text of a field in a <div>, as crispy lays them out.

    `show_errors=False` leaves out the error state: for a form that is not rendered again
    with its results (the filter bar), which say what is wrong.
    """
    error = help_text = ""
    if show_errors and field.errors:
        error = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.auto_id,
            " ".join(str(message) for message in field.errors),
        )
    if field.help_text:
        help_text = (
            f'<div id="{_esc(field.auto_id)}_helptext" class="form-text">'
            f"{_esc(field.help_text)}</div>"
        )
    label = (
        f'<label class="form-label" for="{_esc(field.id_for_label)}">{_esc(field.label)}</label>'
    )
    inner = f"{label}{control(field, show_errors=show_errors)}{error}{help_text}"
    return mark_safe(f'<div class="{_esc(wrapper_class)}">{inner}</div>')  # noqa: S308 (escaped)


def control(field: BoundField, *, show_errors: bool = True) -> SafeString:
    """The field's <input>, <select> or <textarea> with Bootstrap's classes."""
    widget = field.field.widget
    has_errors = show_errors and bool(field.errors)
    css = _css_class(widget) + (" is-invalid" if has_errors else "")
    attrs = field.build_widget_attrs({"class": css}, widget)
    # Django's error state follows the form's errors; here it follows show_errors.
    attrs.pop("aria-invalid", None)
    attrs.pop("aria-describedby", None)
    described = [f"{field.auto_id}_helptext"] if field.help_text else []
    if has_errors:
        attrs["aria-invalid"] = "true"
        described.append(f"{field.auto_id}_error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if isinstance(
        widget, (forms.CheckboxInput, forms.FileInput, forms.MultipleHiddenInput, forms.MultiWidget)
    ):
        return field.as_widget(attrs=attrs)
    if field.field.localize:
        widget.is_localized = True
    if field.auto_id and "id" not in widget.attrs:
        attrs["id"] = field.auto_id
    value = field.value()
    if isinstance(widget, FastSelect):  # renders its cached options itself
        return SafeString(widget.render(field.html_name, value, attrs))
    attrs = widget.build_attrs(widget.attrs, {"name": field.html_name, **attrs})
    if isinstance(widget, forms.Select) and not widget.allow_multiple_selected:
        return _select(attrs, widget.choices, widget.format_value(value))
    if isinstance(widget, forms.Textarea):
        text = widget.format_value(value) or ""
        return mark_safe(f"<textarea{_flatatt(attrs)}>\n{_esc(text)}</textarea>")  # noqa: S308
    if isinstance(widget, Input):
        shown = widget.format_value(value)
        if shown is not None:
            attrs["value"] = shown
        return mark_safe(f'<input type="{_esc(widget.input_type)}"{_flatatt(attrs)}>')  # noqa: S308
    return field.as_widget(attrs=attrs)


def _flatatt(attrs: dict[str, Any]) -> str:
    """django.forms.utils.flatatt (same order, same escaping), without format_html per
    attribute: most of a control's time."""
    pairs = sorted((k, v) for k, v in attrs.items() if not isinstance(v, bool) and v is not None)
    flags = sorted(k for k, v in attrs.items() if v is True)
    return "".join(f' {_esc(k)}="{_esc(v)}"' for k, v in pairs) + "".join(
        f" {_esc(k)}" for k in flags
    )


def _css_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.Select):
        return "form-select"
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    return "form-control"


def _select(attrs: dict[str, Any], choices: Iterable[Any], selected: list[str]) -> SafeString:
    options = _options(choices, selected[0] if selected else "")
    return mark_safe(f"<select{_flatatt(attrs)}>{options}</select>")  # noqa: S308 (escaped)


def _options(choices: Iterable[Any], chosen: str) -> str:
    """The <option>s (and groups of them), every key and label escaped."""
    parts = []
    for key, label in choices:
        if isinstance(label, (list, tuple)):
            inner = _options(label, chosen)
            parts.append(f'<optgroup label="{_esc(key)}">{inner}</optgroup>')
        else:
            selected = " selected" if str(key) == chosen else ""
            parts.append(f'<option value="{_esc(key)}"{selected}>{_esc(label)}</option>')
    return "".join(parts)
