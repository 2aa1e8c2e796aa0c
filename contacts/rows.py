"""The rows of the All Contacts table, built in Python.

This is the hottest markup of the app: as a template loop it cost about a quarter of
a millisecond per row (filters, date formatting, permission lookups), most of the
list's time at 25-100 rows (docs/performance.md). The markup is the same.
"""

from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

ALIAS_SHOWN = 40

_ROW = (
    "<tr>"
    '<td class="select-col">{}</td>'
    "<td>{}</td>"
    '<td class="text-break">{}</td>'
    '<td class="text-nowrap">{}</td>'
    '<td class="text-break alias-col" title="{}">{}</td>'
    "<td>{}</td><td>{}</td>"
    '<td class="text-nowrap"><time datetime="{}">{}</time></td>'
    '<td class="text-end text-nowrap">'
    '<a class="btn btn-sm btn-outline-primary" href="{}" aria-label="Edit" title="Edit">'
    '<i class="bi bi-pencil" aria-hidden="true"></i></a> '
    '<div class="dropdown d-inline-block">'
    '<button class="btn btn-sm btn-outline-secondary dropdown-toggle" type="button" '
    'data-bs-toggle="dropdown" aria-expanded="false" aria-label="Actions for contact {}">'
    '<i class="bi bi-three-dots" aria-hidden="true"></i></button>'
    '<ul class="dropdown-menu dropdown-menu-end">{}</ul>'
    "</div></td></tr>"
)


def contact_rows(contacts, *, user, back_url: str) -> SafeString:
    """The <tr> of each contact, with the check box and actions this user may use."""
    base = reverse("contacts:list")
    exports = reverse("exports:list")
    back = quote(back_url, safe="")
    can = {
        name: user.has_perm(f"contacts.{name}")
        for name in ("delete_contact", "view_membership", "export_contact", "anonymize_contact")
    }
    return format_html_join("", "{}", ((_row(c, base, exports, back, can),) for c in contacts))


def _row(contact, base: str, exports: str, back: str, can: dict) -> SafeString:
    pk = contact.pk
    profile = f"{base}{pk}/?next={back}"
    checkbox = (
        format_html(
            '<input class="form-check-input" type="checkbox" name="ids" value="{}" '
            'data-select-row aria-label="Select contact {}">',
            pk,
            pk,
        )
        if can["delete_contact"]
        else ""
    )
    alias = contact.app_alias or ""
    shown = alias if len(alias) <= ALIAS_SHOWN else alias[: ALIAS_SHOWN - 1] + "…"
    created = timezone.localtime(contact.created_at)
    return format_html(
        _ROW,
        checkbox,
        pk,
        contact.email or "",
        contact.mobile_number or "",
        alias,
        shown,
        contact.first_name,
        contact.last_name,
        created.isoformat(),
        created.strftime("%Y-%m-%d %H:%M"),
        profile,
        pk,
        _menu(pk, profile, base, exports, can),
    )


def _menu(pk: int, profile: str, base: str, exports: str, can: dict) -> SafeString:
    items = [
        format_html('<li><a class="dropdown-item" href="{}">Edit Contact Profile</a></li>', profile)
    ]
    if can["view_membership"]:
        items.append(
            format_html(
                '<li><a class="dropdown-item" href="{}{}/memberships/">Memberships</a></li>',
                base,
                pk,
            )
        )
    items.append(
        format_html(
            '<li><a class="dropdown-item" href="{}{}/history/">Message History</a></li>', base, pk
        )
    )
    if can["export_contact"]:
        items.append(
            format_html(
                '<li><button type="submit" class="dropdown-item" form="row-action-form" '
                'formaction="{}contact/{}/">Export Contact</button></li>',
                exports,
                pk,
            )
        )
    if can["anonymize_contact"]:
        items.append(
            format_html(
                '<li><hr class="dropdown-divider"></li><li><button type="submit" '
                'class="dropdown-item text-danger" form="row-action-form" '
                'formaction="{}{}/anonymize/">Anonymize Contact</button></li>',
                base,
                pk,
            )
        )
    return mark_safe("".join(items))  # noqa: S308 (each item is built by format_html)
