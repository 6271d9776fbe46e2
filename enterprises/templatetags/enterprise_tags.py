"""An enterprise's resumption badge, rendered in Python: the enterprise list shows it on every row, and
an {% include %} per row costs more than the rest of the cell (bench/profile_pages.py)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from enterprises.models import Resumption

register = template.Library()

BADGE_CLASS = {Resumption.YES: "text-bg-success", Resumption.PARTLY: "text-bg-warning", Resumption.NO: "text-bg-danger"}


@register.simple_tag
def resumption_badge(status: str) -> str:
    """已复工 green, 部分复工 amber, 未复工 red; 未填报 grey when nothing was reported."""
    if status in BADGE_CLASS:
        return format_html('<span class="badge {}">{}</span>', BADGE_CLASS[status], Resumption(status).label)
    return format_html('<span class="badge text-bg-secondary">{}</span>', _("未填报"))
