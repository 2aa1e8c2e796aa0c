from collections.abc import Iterable

from django import template
from django.template import Context
from django.utils.safestring import SafeString, mark_safe

from contacts import rows
from contacts.activity_rows import activity_rows as _activity_rows
from contacts.forms import ContactProfileForm
from contacts.membership_rows import membership_cells as _membership_cells
from contacts.membership_rows import profile_membership_rows as _profile_membership_rows
from contacts.models import Contact, Event, Membership
from contacts.profile_markup import attribute_columns as _attribute_columns
from contacts.validation import display_email as _display_email

register = template.Library()


@register.filter
def display_email(value: str | None) -> str:
    """An email address with an internationalised domain in Unicode (stored as IDNA)."""
    return _display_email(value)


@register.filter
def breakable(address: str | None) -> SafeString:
    """An address that wraps at its parts on a narrow screen (see rows.breakable_address)."""
    return mark_safe(rows.breakable_address(address or ""))  # noqa: S308 (escaped there)


@register.simple_tag(takes_context=True)
def contact_rows(context: Context, contacts: Iterable[Contact]) -> SafeString:
    request = context["request"]
    return rows.contact_rows(contacts, user=request.user, back_url=request.get_full_path())


@register.simple_tag
def activity_rows(events: Iterable[Event]) -> SafeString:
    return _activity_rows(events)


@register.simple_tag
def membership_cells(membership: Membership) -> SafeString:
    return _membership_cells(membership)


@register.simple_tag(takes_context=True)
def profile_membership_rows(context: Context, memberships: Iterable[Membership]) -> SafeString:
    return _profile_membership_rows(memberships, back_path=context["request"].get_full_path())


@register.simple_tag
def attribute_columns(form: ContactProfileForm) -> SafeString:
    return _attribute_columns(form)
