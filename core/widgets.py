"""Form widgets and fields that the forms of the app share."""

from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.forms.utils import flatatt
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

_OPTIONS_HTML: dict[str, str] = {}

DATE_HINT = "YYYY-MM-DD"


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


class FastSelect(forms.Select):
    """A select of a long, fixed list of choices (countries, languages, time zones).

    Its options are rendered once per process and reused: with a template per option
    these lists made the Contact Profile several times slower to render.
    """

    def __init__(self, *args: Any, cache_key: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cache_key = cache_key

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
        if value not in (None, ""):
            marker = f'<option value="{escape(value)}">'
            options = options.replace(marker, marker[:-1] + " selected>", 1)
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}</select>", flatatt(final_attrs), mark_safe(options))  # noqa: S308
