from django import template
from django.utils.safestring import mark_safe

from contacts import rows
from contacts.validation import display_email as _display_email

register = template.Library()


@register.filter
def display_email(value) -> str:
    """An email address with an internationalised domain in Unicode (stored as IDNA)."""
    return _display_email(value)


@register.filter
def breakable(address) -> str:
    """An address that wraps at its parts on a narrow screen (see rows.breakable_address)."""
    return mark_safe(rows.breakable_address(address or ""))  # noqa: S308 (escaped there)


@register.simple_tag(takes_context=True)
def contact_rows(context, contacts):
    request = context["request"]
    return rows.contact_rows(contacts, user=request.user, back_url=request.get_full_path())
