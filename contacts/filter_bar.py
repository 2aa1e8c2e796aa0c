"""The fields of the All Contacts filter bar, kept per values.

Its ten fields, written by core.controls, cost about a millisecond a request: a seventh of
the list's time outside SQL. The same values write the same markup, so the fields are
kept per values (at most 256 sets); the group field is written each time, because its
options are the groups of the moment. tests/contacts/test_filter_bar.py compares the
markup with the template it replaces.
"""

from django import forms
from django.utils.safestring import SafeString, mark_safe

from core.controls import field_group
from core.kept import keep

BEFORE_GROUP = (("q", "col-12 col-lg-4"), ("identifier_type", "col-6 col-lg-2"))
GROUP = ("group", "col-6 col-lg-2")
AFTER_GROUP = (("created_from", "col-6 col-lg-2"), ("created_to", "col-6 col-lg-2"))
MORE_FILTERS = (
    ("contact_id", "col-6 col-lg-2"),
    ("email", "col-6 col-lg-3"),
    ("mobile", "col-6 col-lg-2"),
    ("alias", "col-6 col-lg-3"),
    ("name", "col-6 col-lg-2"),
)
_KEPT_AT_MOST = 256
_KEPT: dict[tuple[object, ...], tuple[str, str]] = {}


def filter_fields(form: forms.Form) -> SafeString:
    """The bar's two rows of fields ("More filters" open when one of those is filled)."""
    key = _values(form)
    kept = _KEPT.get(key)
    if kept is None:
        kept = keep(_KEPT, key, _write(form), at_most=_KEPT_AT_MOST)
    before, after = kept
    group = field_group(form[GROUP[0]], wrapper_class=GROUP[1], show_errors=False)
    return mark_safe(f"{before}{group}{after}")  # noqa: S308 (written by core.controls)


def _values(form: forms.Form) -> tuple[object, ...]:
    """What the fields show: each field's value in the query (its widget reads that one
    value), and whether the form is bound at all."""
    names = [name for name, _css in (*BEFORE_GROUP, *AFTER_GROUP, *MORE_FILTERS)]
    data = form.data
    return (form.is_bound, *(data.get(form.add_prefix(name)) for name in names))


def _write(form: forms.Form) -> tuple[str, str]:
    def fields(names: tuple[tuple[str, str], ...], indent: str) -> str:
        return "".join(
            f"{indent}{field_group(form[name], wrapper_class=css, show_errors=False)}\n"
            for name, css in names
        )

    opened = "open" if any(form[name].value() for name, _css in MORE_FILTERS) else ""
    before = f'<div class="row g-2">\n{fields(BEFORE_GROUP, "    ")}    '
    after = (
        f"\n{fields(AFTER_GROUP, '    ')}  </div>\n"
        f'  <details class="mt-2" {opened}>\n'
        "    <summary>More filters</summary>\n"
        '    <div class="row g-2 mt-1">\n'
        f"{fields(MORE_FILTERS, '      ')}"
        "    </div>\n"
        "  </details>"
    )
    return before, after
