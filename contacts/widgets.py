from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

_OPTIONS_HTML: dict[str, str] = {}


class FastSelect(forms.Select):
    """A select of a long, fixed list of choices (countries, languages, time zones).

    Its options are rendered once per process and reused: with a template per option
    these lists made the Contact Profile several times slower to render.
    """

    def __init__(self, *args, cache_key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.cache_key = cache_key

    def render(self, name, value, attrs=None, renderer=None):
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
