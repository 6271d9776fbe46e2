"""An enterprise's resumption badge (templates/enterprises/partials/_resumption_badge.html), rendered once
per status and language: the enterprise list shows it on every row."""

from django import template

from chainwork.partials import render_once
from enterprises.models import Resumption

register = template.Library()


@register.simple_tag
def resumption_badge(status: str, label: str | None = None) -> str:
    """已复工 green, 部分复工 amber, 未复工 red; 未填报 grey when nothing was reported. A caller holding the
    status's label in the active language already (a 重点产业链's hundreds of nodes) passes it."""
    if label is None:
        label = str(Resumption(status).label) if status in Resumption.values else ""
    return render_once("enterprises/partials/_resumption_badge.html", value=status or "", label=label)
