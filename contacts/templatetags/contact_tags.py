from collections.abc import Iterable
from typing import Any

from django import forms, template
from django.template import Context
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from contacts import rows
from contacts.activity_rows import activity_rows as _activity_rows
from contacts.filter_bar import filter_fields as _filter_fields
from contacts.forms import ContactProfileForm
from contacts.list_markup import pager
from contacts.list_markup import sort_headers as _sort_headers
from contacts.membership_rows import membership_cells as _membership_cells
from contacts.membership_rows import profile_membership_rows as _profile_membership_rows
from contacts.models import Membership
from contacts.profile_markup import attribute_columns as _attribute_columns
from contacts.selectors import ActivityRow
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
def contact_rows(context: Context, contacts: Iterable[rows.ListedContact]) -> SafeString:
    request = context["request"]
    return rows.contact_rows(contacts, user=request.user, back_url=request.get_full_path())


@register.simple_tag
def activity_rows(events: Iterable[ActivityRow]) -> SafeString:
    return _activity_rows(events)


@register.simple_tag
def membership_cells(membership: Membership) -> SafeString:
    return _membership_cells(membership)


@register.simple_tag(takes_context=True)
def profile_membership_rows(context: Context, memberships: Iterable[Membership]) -> SafeString:
    request = context["request"]
    return _profile_membership_rows(
        memberships, back_path=request.get_full_path(), user=request.user
    )


@register.simple_tag
def attribute_columns(form: ContactProfileForm) -> SafeString:
    return _attribute_columns(form)


@register.simple_tag
def filter_fields(form: forms.Form) -> SafeString:
    return _filter_fields(form)


@register.simple_tag
def sort_headers(columns: Iterable[dict[str, Any]]) -> SafeString:
    return _sort_headers(columns)


@register.simple_tag(takes_context=True)
def list_pager(context: Context) -> SafeString:
    """The pager of All Contacts, from the listing view's context."""
    return pager(
        links=context["page_links"],
        number=context["page"].number,
        shown=context["range"],
        total=context["total"],
        query=context["request"].GET,
        list_url=reverse("contacts:list"),
        page_sizes=context["page_sizes"],
        per_page=context["per_page"],
    )
