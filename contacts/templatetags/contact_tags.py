from collections.abc import Iterable

from django import forms, template
from django.forms import BoundField
from django.forms.utils import flatatt
from django.template import Context
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from contacts import rows
from contacts.models import Contact
from contacts.validation import display_email as _display_email

register = template.Library()


@register.simple_tag(takes_context=True)
def query(context: Context, **changes: object) -> str:
    """The current query string with some parameters replaced (None removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def display_email(value: str | None) -> str:
    """An email address with an internationalised domain in Unicode (stored as IDNA)."""
    return _display_email(value)


@register.filter
def bootstrap_widget(field: BoundField) -> SafeString:
    """A field's widget with Bootstrap classes and its error and help text wired for
    screen readers; a light stand-in for crispy on the hottest form (the profile)."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    attrs: dict[str, str | bool] = {"class": css + (" is-invalid" if field.errors else "")}
    described = [f"{field.auto_id}_helptext"] if field.help_text else []
    if field.errors:
        attrs["aria-invalid"] = "true"
        described.append(f"{field.auto_id}_error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


_HINT_ATTRS = ("placeholder", "autocomplete", "spellcheck")


@register.simple_tag
def plain_control(field: BoundField, input_type: str = "") -> SafeString:
    """A filter control built in Python: the All Contacts filter renders on every list
    request, and Django's per-widget templates were a fifth of its time. The type is the
    widget's unless given, and so are its hints (not its min/max: the server checks those)."""
    widget = field.field.widget
    attrs = {key: widget.attrs[key] for key in _HINT_ATTRS if key in widget.attrs}
    attrs.update({"name": field.html_name, "id": field.auto_id})
    if field.help_text:
        attrs["aria-describedby"] = f"{field.auto_id}_helptext"
    value = field.value()
    if isinstance(widget, forms.Select):
        selected = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) == selected else "", label)  # noqa: S308
                for key, label in widget.choices  # the field's choices (ChoiceField sets them)
            ),
        )
        return format_html('<select class="form-select"{}>{}</select>', flatatt(attrs), options)
    input_type = input_type or getattr(widget, "input_type", "text")
    attrs.update({"type": input_type, "value": "" if value is None else value})
    max_length = getattr(field.field, "max_length", None)
    if max_length:
        attrs["maxlength"] = max_length
    return format_html('<input class="form-control"{}>', flatatt(attrs))


@register.filter
def breakable(address: str | None) -> SafeString:
    """An address that wraps at its parts on a narrow screen (see rows.breakable_address)."""
    return mark_safe(rows.breakable_address(address or ""))  # noqa: S308 (escaped there)


@register.simple_tag(takes_context=True)
def contact_rows(context: Context, contacts: Iterable[Contact]) -> SafeString:
    request = context["request"]
    return rows.contact_rows(contacts, user=request.user, back_url=request.get_full_path())
