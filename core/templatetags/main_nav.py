"""{% main_nav %}: the navigation bar of every page (see core.nav)."""

from django import template
from django.template import Context
from django.utils.safestring import SafeString

from core import nav

register = template.Library()


@register.simple_tag(takes_context=True)
def main_nav(context: Context) -> SafeString:
    return nav.main_nav(context.get("user"), context.get("csrf_token"))
