"""{% readonly_result_list cl %}: the admin's {% result_list cl %}, rendered by core.admin_rows."""

from typing import Any

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.template.base import Parser, Token

from core.admin_rows import result_list

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
