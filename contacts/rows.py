"""The rows of the All Contacts table, built in Python.

This is the hottest markup of the app: as a template loop it cost about a quarter of
a millisecond per row (filters, date formatting, permission lookups), most of the
list's time (docs/performance.md). Every value goes through `esc`; the markup is the
same as the template's was.
"""

from collections.abc import Iterable
from datetime import datetime, tzinfo
from html import escape
from typing import Protocol
from urllib.parse import quote

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from contacts.validation import display_email
from core.links import url_for

ALIAS_SHOWN = 40
# The row links are reversed once per table, with this stand-in where the Contact ID goes
# (the longest one a URL takes, core.ids); each row puts in its own. Five reverse() calls
# per row cost more than the rest of the row.
ID_SLOT = "9" * 18
ROW_LINKS = {
    "profile": "contacts:profile",
    "memberships": "contacts:memberships",
    "history": "contacts:history",
    "export": "exports:request_contact",
    "anonymize": "anonymization:contact",
}


Links = dict[str, tuple[str, str]]


class ListedContact(Protocol):
    """What a row shows: a Contact, or the named tuple of the listed fields that All
    Contacts reads (contacts.views.listing.LISTED_FIELDS)."""

    @property
    def id(self) -> int: ...
    @property
    def email(self) -> str | None: ...
    @property
    def mobile_number(self) -> str | None: ...
    @property
    def app_alias(self) -> str | None: ...
    @property
    def first_name(self) -> str: ...
    @property
    def last_name(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def contact_rows(contacts: Iterable[ListedContact], *, user: User, back_url: str) -> SafeString:
    """The <tr> of each contact, with the check box and actions this user may use."""
    links = {key: _split_at_id(name) for key, name in ROW_LINKS.items()}
    before, after = links["profile"]
    links["profile"] = (before, after + esc(f"?next={quote(back_url, safe='')}"))
    can = {
        name: user.has_perm(f"contacts.{name}")
        for name in ("delete_contact", "view_membership", "export_contact", "anonymize_contact")
    }
    zone = timezone.get_current_timezone()  # once: each lookup reads a context variable
    html = "".join(_row(contact, links, can, zone) for contact in contacts)
    return mark_safe(html)  # noqa: S308 (every value above is escaped by esc)


def _split_at_id(name: str) -> tuple[str, str]:
    """The escaped URL of `name` for a contact, in two: before and after the Contact ID."""
    before, _, after = esc(url_for(name, ID_SLOT)).partition(ID_SLOT)
    return before, after


def _url(links: Links, key: str, pk: int) -> str:
    before, after = links[key]
    return f"{before}{pk}{after}"


def _row(contact: ListedContact, links: Links, can: dict[str, bool], zone: tzinfo) -> str:
    pk = contact.id
    profile = _url(links, "profile", pk)
    # Only a user who may delete or export selects rows; for others the column is left out.
    select = (
        f'<td class="select-col"><input class="form-check-input" type="checkbox" name="ids" '
        f'value="{pk}" data-select-row aria-label="Select contact {pk}"></td>'
        if can["delete_contact"] or can["export_contact"]
        else ""
    )
    alias = contact.app_alias or ""
    shown = alias if len(alias) <= ALIAS_SHOWN else alias[: ALIAS_SHOWN - 1] + "…"
    # SHORT_DATETIME_FORMAT of config/formats (the header names the zone); strftime is
    # several times faster than Django's date formatting in this loop.
    created = timezone.localtime(contact.created_at, zone)
    return (
        f"<tr>{select}<td>{pk}</td>"
        f'<td class="email-col">{breakable_address(contact.email)}</td>'
        f'<td class="text-nowrap">{esc(contact.mobile_number or "")}</td>'
        f'<td class="alias-col" title="{esc(alias)}">{esc(shown)}</td>'
        f"<td>{esc(contact.first_name)}</td><td>{esc(contact.last_name)}</td>"
        f'<td class="text-nowrap"><time datetime="{created.isoformat()}">'
        f"{created.strftime('%Y-%m-%d %H:%M')}</time></td>"
        f'<td class="actions-col text-end text-nowrap">'
        f'<a class="btn btn-sm btn-outline-primary" href="{profile}" '
        f'aria-label="Edit contact {pk}" title="Edit">'
        f'<i class="bi bi-pencil" aria-hidden="true"></i></a> '
        f'<div class="dropdown d-inline-block">'
        f'<button class="btn btn-sm btn-outline-secondary dropdown-toggle" type="button" '
        f'data-bs-toggle="dropdown" aria-expanded="false" aria-label="Actions for contact {pk}">'
        f'<i class="bi bi-three-dots" aria-hidden="true"></i></button>'
        f'<ul class="dropdown-menu dropdown-menu-end">{_menu(pk, profile, links, can)}'
        f"</ul></div></td></tr>"
    )


def breakable_address(address: str | None) -> str:
    """The address as shown (Unicode domain), escaped, with line-break opportunities before
    "@" and each dot: a long address wraps at its parts ("maximilian.schneider" /
    "@example.com") on a narrow screen."""
    return esc(display_email(address)).replace("@", "<wbr>@").replace(".", "<wbr>.")


def _menu(pk: int, profile: str, links: Links, can: dict[str, bool]) -> str:
    items = [f'<li><a class="dropdown-item" href="{profile}">Edit Contact Profile</a></li>']
    if can["view_membership"]:
        memberships = _url(links, "memberships", pk)
        items.append(f'<li><a class="dropdown-item" href="{memberships}">Memberships</a></li>')
    history = _url(links, "history", pk)
    items.append(f'<li><a class="dropdown-item" href="{history}">Message History</a></li>')
    if can["export_contact"]:
        items.append(
            '<li><button type="submit" class="dropdown-item" form="row-action-form" '
            f'formaction="{_url(links, "export", pk)}">Export Contact</button></li>'
        )
    if can["anonymize_contact"]:
        items.append(
            '<li><hr class="dropdown-divider"></li><li><button type="submit" '
            'class="dropdown-item text-danger" form="row-action-form" '
            f'formaction="{_url(links, "anonymize", pk)}">Anonymize Contact</button></li>'
        )
    return "".join(items)
