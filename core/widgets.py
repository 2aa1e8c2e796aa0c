"""Form widgets and fields that the forms of the app share."""

import html
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

_OPTIONS_HTML: dict[str, str] = {}

DATE_HINT = "YYYY-MM-DD"
# HTML's "valid floating-point number", the only value <input type=number> keeps.
NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


class FixedChoices(BaseChoiceIterator):
    """Choices, already (value, label) pairs, that a form field takes as they are.

    Django normalises a plain list again for every field made with it, a function call per
    choice (each re-reading an import): for the profile's custom attributes, made per
    request, and its thousand countries, languages and time zones, that was about 0.6 ms
    of each Contact Profile.
    """

    def __init__(self, choices: Iterable[tuple[str, str]]) -> None:
        self.choices = list(choices)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)


class IsoDateInput(forms.DateInput):
    """A date typed as YYYY-MM-DD, the format every table of the app shows.

    Not the native <input type=date>: it shows the browser's locale (mm/dd/yyyy in one
    browser, dd.mm.yyyy in the next), so the same day would read differently in a filter and
    in the table under it. A text box with the format written beside it reads the same
    everywhere and takes a pasted ISO date.
    """

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {"placeholder": DATE_HINT, "autocomplete": "off", "spellcheck": "false"}
        super().__init__(attrs={**defaults, **(attrs or {})})


class IsoDateField(forms.DateField):
    """A date field that says which format it expects (config/formats reads ISO only)."""

    widget = IsoDateInput
    default_error_messages = {"invalid": "Enter the date as YYYY-MM-DD, e.g. 2025-03-31."}

    def __init__(self, **kwargs: Any) -> None:
        # A model field passes its own help text, often empty.
        kwargs["help_text"] = kwargs.get("help_text") or f"Format: {DATE_HINT}"
        super().__init__(**kwargs)


class NumberValueInput(forms.NumberInput):
    """A number input whose value is written only when it is a number. A browser empties
    any other value (`?contact_id=abc`) and logs that it "cannot be parsed"; the field's
    error says what was wrong."""

    def format_value(self, value: Any) -> str | None:
        shown = super().format_value(value)
        text = "" if shown is None else str(shown).strip()
        return text if NUMBER.fullmatch(text) else None


class NumberTextInput(forms.TextInput):
    """A number typed in a text box, for a form that saves it. <input type=number> submits
    an empty value for text it cannot read ("--5", "1e999") and some browsers read "12,5"
    as 125: a typo then removed the stored value without a word. A text box hands the
    server what was typed, and the field's rule says what is wrong; `inputmode` still
    brings up a keypad on a phone (`whole`: digits only)."""

    def __init__(self, attrs: dict[str, Any] | None = None, *, whole: bool = False) -> None:
        defaults = {
            "inputmode": "numeric" if whole else "decimal",
            "autocomplete": "off",
            "spellcheck": "false",
        }
        super().__init__(attrs={**defaults, **(attrs or {})})


class RuleIntegerField(forms.IntegerField):
    """A whole number checked by one rule: `rule` takes the text and returns the number or
    raises ValidationError in the product's words (Django's min/max messages never show;
    min_value and max_value still give the input its min and max)."""

    widget = NumberValueInput

    def __init__(self, *, rule: Callable[[str], int], **kwargs: Any) -> None:
        self.rule = rule
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        return self.rule(str(value))


class FastSelect(forms.Select):
    """A select of a long, fixed list of choices (countries, languages, time zones).

    Its options are rendered once per process and reused: with a template per option
    these lists made the Contact Profile several times slower to render.
    """

    def __init__(self, *args: Any, cache_key: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cache_key = cache_key
        # Options of this form only, after the cached ones (a stored value no longer offered).
        self.extra_choices: list[tuple[str, str]] = []

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        options = _OPTIONS_HTML.get(self.cache_key)
        if options is None:
            options = format_html_join(
                "", '<option value="{}">{}</option>', ((key, label) for key, label in self.choices)
            )
            _OPTIONS_HTML[self.cache_key] = options
        if self.extra_choices:
            options += format_html_join("", '<option value="{}">{}</option>', self.extra_choices)
        if value not in (None, ""):
            marker = f'<option value="{escape(value)}">'
            options = options.replace(marker, marker[:-1] + " selected>", 1)
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}</select>", flatatt(final_attrs), mark_safe(options))  # noqa: S308


class PlainSelect(forms.Select):
    """Django's <select>, its markup written here rather than by templates: Django renders
    an include per option and per set of attributes (the admin's action box was a tenth of
    an admin list's rendering). tests/core/test_widgets.py and test_admin_rows.py compare them."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{text_html(widget["name"])}"{html_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{text_html(group_name)}">')
            for option in options:
                value, extra = text_html(option["value"]), html_attrs(option["attrs"])
                parts.append(
                    f'\n  <option value="{value}"{extra}>{text_html(option["label"])}</option>\n'
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every part escaped)


class PlainHiddenInput(forms.HiddenInput):
    """Django's hidden <input>, written here (see PlainSelect)."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else f' value="{text_html(widget["value"])}"'
        return mark_safe(  # noqa: S308 (every part escaped)
            f'<input type="{text_html(widget["type"])}" name="{text_html(widget["name"])}"{shown}'
            f"{html_attrs(widget['attrs'])}>"
        )


def html_attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html: in order, False left out, True as a bare name."""
    return "".join(
        f" {text_html(key)}" if value is True else f' {text_html(key)}="{text_html(value)}"'
        for key, value in attrs.items()
        if value is not False
    )


def text_html(value: Any) -> str:
    """What a template's {{ value }} writes: escaped, unless it is already safe
    (conditional_escape without its lazy-text wrapper, a few microseconds a call)."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))
