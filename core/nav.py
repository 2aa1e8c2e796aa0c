"""The main navigation bar of every page, written in Python.

It is the same on every page for a user (their permissions decide its links), and as
template it was about sixty nodes with eight URL tags and six permission lookups per
request. templates/base.html includes it with `{% main_nav %}`; the markup is the
template's (tests/core/test_nav.py compares them for each kind of user).
"""

from typing import Any

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from core.links import url_for
from core.permissions import opens_administration

BRAND = (
    '<a class="navbar-brand" href="/"><i class="bi bi-people-fill" aria-hidden="true"></i> '
    "Contact Management</a>"
)
TOGGLER = (
    '<button class="navbar-toggler" type="button" data-bs-toggle="collapse" '
    'data-bs-target="#main-nav" aria-controls="main-nav" aria-expanded="false" '
    'aria-label="Toggle navigation"><span class="navbar-toggler-icon"></span></button>'
)
DROPDOWN_BUTTON = (
    '<button type="button" class="nav-link dropdown-toggle btn btn-link" '
    'data-bs-toggle="dropdown" aria-expanded="false">'
)


def main_nav(user: Any, csrf_token: object) -> SafeString:
    """The bar for `user` (its links those the user may open); `csrf_token` is the
    page's token, for the logout form."""
    if user is None or not user.is_authenticated:  # no user: a page without a request
        return _bar("")
    return _bar(
        f'{TOGGLER}<div class="collapse navbar-collapse" id="main-nav">'
        f"{_app_menu(user)}{_user_menu(user, csrf_token)}</div>"
    )


def _bar(inner: str) -> SafeString:
    return mark_safe(  # noqa: S308 (the parts are constants, reversed URLs and escaped values)
        '<nav class="navbar navbar-expand-md navbar-dark bg-primary" aria-label="Main">'
        f'<div class="container-fluid">{BRAND}{inner}</div></nav>'
    )


def _link(name: str, text: str, css: str = "dropdown-item") -> str:
    return f'<a class="{css}" href="{conditional_escape(url_for(name))}">{text}</a>'


def _app_menu(user: Any) -> str:
    audience = ['<li><h2 class="dropdown-header fs-6">Contact Management</h2></li>']
    if user.has_perm("contacts.view_contact"):
        audience.append(f"<li>{_link('contacts:list', 'All Contacts')}</li>")
    if user.has_perm("contacts.add_contact"):
        audience.append(f"<li>{_link('contacts:new', 'New Contact Profile')}</li>")
    if user.has_perm("contacts.view_group"):
        audience.append('<li><hr class="dropdown-divider"></li>')
        audience.append(f"<li>{_link('groups:list', 'Groups')}</li>")
    items = []
    if len(audience) > 1:  # a role without contacts or groups gets no empty menu
        items.append(
            f'<li class="nav-item dropdown">{DROPDOWN_BUTTON}Audience</button>'
            f'<ul class="dropdown-menu">{"".join(audience)}</ul></li>'
        )
    if user.has_perm("exports.view_exportjob"):
        items.append(f'<li class="nav-item">{_link("exports:list", "Exports", "nav-link")}</li>')
    if user.has_perm("contacts.import_contact"):
        items.append(f'<li class="nav-item">{_link("imports:list", "Imports", "nav-link")}</li>')
    return f'<ul class="navbar-nav me-auto">{"".join(items)}</ul>'


def _user_menu(user: Any, csrf_token: object) -> str:
    admin = ""
    if opens_administration(user):
        admin = f'<li class="nav-item">{_link("admin:index", "Administration", "nav-link")}</li>'
    logout = conditional_escape(url_for("logout"))
    menu = (
        f"<li>{_link('password_change', 'Change password')}</li>"
        f"<li>{_link('api_tokens:list', 'API tokens')}</li>"
        f'<li><form method="post" action="{logout}">{_csrf_input(csrf_token)}'
        '<button class="dropdown-item" type="submit">Log out</button></form></li>'
    )
    return (
        f'<ul class="navbar-nav">{admin}<li class="nav-item dropdown">{DROPDOWN_BUTTON}'
        f'<i class="bi bi-person-circle" aria-hidden="true"></i> '
        f"{conditional_escape(user.get_username())} </button>"
        f'<ul class="dropdown-menu dropdown-menu-end">{menu}</ul></li></ul>'
    )


def _csrf_input(token: object) -> str:
    """What {% csrf_token %} writes for the context's token."""
    if not token or token == "NOTPROVIDED":
        return ""
    value = conditional_escape(str(token))
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{value}">'
