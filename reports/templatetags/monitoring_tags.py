from django import template

from chainwork.scope import role_for
from reports.views_monitoring import WATCHERS

register = template.Library()


@register.simple_tag(takes_context=True)
def may_watch(context) -> bool:
    """Whether the user may open the 监测 page (its tab is shown to them only)."""
    return role_for(context["request"].user) in WATCHERS
