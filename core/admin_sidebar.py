"""The admin's navigation sidebar, rendered once for each page and view of the apps.

Django renders the sidebar (admin/nav_sidebar.html: every app and model the user may see)
on every admin page, about a tenth of a 50-row admin list's time. What it shows depends
only on the page's path and on the apps and models listed for the user, so the markup is
kept per (path, that list): a user whose permissions change gets another list, and
another entry.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.template import Context, Engine
from django.utils.safestring import SafeString, mark_safe

from core.kept import keep

_KEPT = 256  # paths of list pages times the views of the apps people have: few
_RENDERED: dict[tuple[Any, ...], SafeString] = {}


def nav_sidebar(context: Context) -> SafeString:
    """admin/nav_sidebar.html rendered in `context`, or the same markup kept from before."""
    key = (context["request"].path, _apps_key(context.get("available_apps") or ()))
    html = _RENDERED.get(key)
    if html is None:
        engine = context.template.engine if context.template else Engine.get_default()
        template = engine.get_template("admin/nav_sidebar.html")
        rendered = mark_safe(template.render(context))  # noqa: S308 (a template's output)
        html = keep(_RENDERED, key, rendered, at_most=_KEPT)
    return html


def _apps_key(apps: Iterable[Mapping[str, Any]]) -> tuple[Any, ...]:
    """Everything of the apps and models that admin/app_list.html writes."""
    return tuple(
        (
            str(app["name"]),
            app["app_label"],
            app["app_url"],
            tuple(
                (
                    str(model["name"]),
                    model["object_name"],
                    model["admin_url"],
                    model["add_url"],
                    model.get("view_only"),
                )
                for model in app["models"]
            ),
        )
        for app in apps
    )
