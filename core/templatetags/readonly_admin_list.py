"""{% readonly_result_list cl %}: the admin's {% result_list cl %}, rendered by core.admin_rows;
{% kept_nav_sidebar %}: the admin's sidebar, by core.admin_sidebar."""

from typing import Any

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.template import Context
from django.template.base import Parser, Token
from django.utils.safestring import SafeString

from core.admin_rows import result_list
from core.admin_sidebar import nav_sidebar

register = template.Library()
# Called as admin_list calls it; the stubs give the class an argument Django's has not.
_Node: Any = InclusionAdminNode


@register.tag(name="readonly_result_list")
def readonly_result_list(parser: Parser, token: Token) -> InclusionAdminNode:
    node: InclusionAdminNode = _Node(
        parser,
        token,
        func=result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
    return node


@register.simple_tag(takes_context=True, name="kept_nav_sidebar")
def kept_nav_sidebar(context: Context) -> SafeString:
    """{% include "admin/nav_sidebar.html" %}, kept per page and user's apps."""
    return nav_sidebar(context)
