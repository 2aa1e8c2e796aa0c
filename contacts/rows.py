"""The rows of the All Contacts table, built in Python.

This is the hottest markup of the app: as a template loop it cost about a quarter of
a millisecond per row (filters, date formatting, permission lookups), most of the
list's time (docs/performance.md). Every value goes through `esc`; the markup is the
same as the template's was.
"""

from collections.abc import Iterable
from html import escape
from urllib.parse import quote

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from contacts.models import Contact
from contacts.validation import display_email

ALIAS_SHOWN = 40


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def contact_rows(contacts: Iterable[Contact], *, user: User, back_url: str) -> SafeString:
    """The <tr> of each contact, with the check box and actions this user may use."""
    base = reverse("contacts:list")
    exports = reverse("exports:list")
    back = quote(back_url, safe="")
    can = {
        name: user.has_perm(f"contacts.{name}")
        for name in ("delete_contact", "view_membership", "export_contact", "anonymize_contact")
    }
    html = "".join(_row(contact, base, exports, back, can) for contact in contacts)
    return mark_safe(html)  # noqa: S308 (every value above is escaped by esc)


def _row(contact: Contact, base: str, exports: str, back: str, can: dict[str, bool]) -> str:
    pk = contact.pk
    profile = esc(f"{base}{pk}/?next={back}")
    checkbox = (
        f'<input class="form-check-input" type="checkbox" name="ids" value="{pk}" '
        f'data-select-row aria-label="Select contact {pk}">'
        if can["delete_contact"]
        else ""
    )
    alias = contact.app_alias or ""
    shown = alias if len(alias) <= ALIAS_SHOWN else alias[: ALIAS_SHOWN - 1] + "…"
    # SHORT_DATETIME_FORMAT of config/formats (the header names the zone); strftime is
    # several times faster than Django's date formatting in this loop.
    created = timezone.localtime(contact.created_at)
    return (
        f'<tr><td class="select-col">{checkbox}</td><td>{pk}</td>'
        f'<td class="email-col">{breakable_address(contact.email)}</td>'
        f'<td class="text-nowrap">{esc(contact.mobile_number or "")}</td>'
        f'<td class="alias-col" title="{esc(alias)}">{esc(shown)}</td>'
        f"<td>{esc(contact.first_name)}</td><td>{esc(contact.last_name)}</td>"
        f'<td class="text-nowrap"><time datetime="{created.isoformat()}">'
        f"{created.strftime('%Y-%m-%d %H:%M')}</time></td>"
        f'<td class="actions-col text-end text-nowrap">'
        f'<a class="btn btn-sm btn-outline-primary" href="{profile}" aria-label="Edit" '
        f'title="Edit"><i class="bi bi-pencil" aria-hidden="true"></i></a> '
        f'<div class="dropdown d-inline-block">'
        f'<button class="btn btn-sm btn-outline-secondary dropdown-toggle" type="button" '
        f'data-bs-toggle="dropdown" aria-expanded="false" aria-label="Actions for contact {pk}">'
        f'<i class="bi bi-three-dots" aria-hidden="true"></i></button>'
        f'<ul class="dropdown-menu dropdown-menu-end">{_menu(pk, profile, base, exports, can)}'
        f"</ul></div></td></tr>"
    )


def breakable_address(address: str | None) -> str:
    """The address as shown (Unicode domain), escaped, with line-break opportunities before
    "@" and each dot: a long address wraps at its parts ("maximilian.schneider" /
    "@example.com") on a narrow screen."""
    return esc(display_email(address)).replace("@", "<wbr>@").replace(".", "<wbr>.")


def _menu(pk: int, profile: str, base: str, exports: str, can: dict[str, bool]) -> str:
    base = esc(base)
    items = [f'<li><a class="dropdown-item" href="{profile}">Edit Contact Profile</a></li>']
    if can["view_membership"]:
        items.append(
            f'<li><a class="dropdown-item" href="{base}{pk}/memberships/">Memberships</a></li>'
        )
    items.append(
        f'<li><a class="dropdown-item" href="{base}{pk}/history/">Message History</a></li>'
    )
    if can["export_contact"]:
        items.append(
            '<li><button type="submit" class="dropdown-item" form="row-action-form" '
            f'formaction="{esc(exports)}contact/{pk}/">Export Contact</button></li>'
        )
    if can["anonymize_contact"]:
        items.append(
            '<li><hr class="dropdown-divider"></li><li><button type="submit" '
            'class="dropdown-item text-danger" form="row-action-form" '
            f'formaction="{base}{pk}/anonymize/">Anonymize Contact</button></li>'
        )
    return "".join(items)
