"""The Attributes tab of the Contact Profile: its field columns, built in Python.

A template loop with a test per field (where the custom attributes begin) and a badge
each cost the profile about as much as the fields' own markup; this writes the same
columns (tests/contacts/test_profile_markup.py compares them with the template's).
"""

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from contacts.forms import ContactProfileForm
from core.controls import field_group

CUSTOM_HEADING = '<h2 class="h6 text-uppercase text-secondary mt-3">Custom attributes</h2>'
CHANNEL_BADGE = (
    '<div class="mt-n2 mb-3"><span class="badge rounded-pill text-bg-light border '
    'channel-badge" title="Channels this attribute applies to">Applies to: {}</span></div>'
)


def attribute_columns(form: ContactProfileForm) -> SafeString:
    """The standard attributes in a row, then (under their heading) the custom ones."""
    standard = len(form.ATTRIBUTE_FIELDS)
    parts = ['<div class="row">']
    for index, (field, channels) in enumerate(form.attribute_fields()):
        if index == standard:
            parts.append(f'</div>{CUSTOM_HEADING}<div class="row">')
        badge = CHANNEL_BADGE.format(conditional_escape(channels))
        parts.append(f'<div class="col-md-6 col-xl-4">{field_group(field)}{badge}</div>')
    parts.append("</div>")
    return mark_safe("".join(parts))  # noqa: S308 (field_group escapes; channels above)
