"""{% field_group field %}: a field of the two hottest forms, written in Python (see
core.controls for why); every other form is rendered by crispy."""

from django import template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

from core import controls

register = template.Library()


@register.simple_tag
def field_group(
    field: BoundField, wrapper_class: str = "mb-3", show_errors: bool = True
) -> SafeString:
    return controls.field_group(field, wrapper_class=wrapper_class, show_errors=show_errors)
