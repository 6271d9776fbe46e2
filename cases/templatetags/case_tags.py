"""The small marks a problem shows in every list row: its urgency, state and deadline light, and its
times. They render in Python rather than as included templates: a 问题台账 page shows them 50 times
and more, and an {% include %} costs tens of microseconds each where format_html costs a few
(bench/profile_pages.py). The markup is the one the old partials had; tests/cases pin it."""

from __future__ import annotations

import datetime as dt

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from cases.models import State, Urgency

register = template.Library()

URGENCY_CLASS = {Urgency.CRITICAL: "badge text-bg-danger", Urgency.URGENT: "badge text-bg-warning"}


@register.simple_tag
def urgency_badge(value: str) -> str:
    label = Urgency(value).label if value in Urgency.values else value
    return format_html('<span class="{}">{}</span>', URGENCY_CLASS.get(value, "text-body-secondary"), label)


@register.simple_tag
def state_badge(value: str) -> str:
    label = State(value).label if value in State.values else value
    return format_html('<span class="badge cw-state cw-state-{}" data-state="{}">{}</span>', value, value, label)


@register.simple_tag
def light_badge(value: str) -> str:
    if value == "red":
        return format_html('<span class="cw-light cw-light-red" aria-hidden="true"></span> '
                           '<span class="cw-light-text text-danger fw-semibold">{}</span>', _("超期"))
    if value == "yellow":
        return format_html('<span class="cw-light cw-light-yellow" aria-hidden="true"></span> '
                           '<span class="cw-light-text cw-text-warning fw-semibold">{}</span>', _("临期"))
    if value == "green":
        return format_html('<span class="cw-light cw-light-green" aria-hidden="true"></span> '
                           '<span class="cw-light-text">{}</span>', _("正常"))
    return format_html('<span class="text-muted">{}</span>', "—")


@register.filter
def short_time(value: dt.datetime | None) -> str:
    """Month, day and time in the reader's language and time zone (zh: 3月5日 14:30; en: March 5 14:30)."""
    if not value:
        return ""
    return date_format(timezone.localtime(value), _("n月j日 H:i"))


QUEUE_ACTIONS = """<div class="d-flex flex-wrap gap-1 align-items-start">
  <form method="post" action="{accept}">{csrf}{hidden}
    <button type="submit" class="btn btn-sm btn-success"><i class="bi bi-check-lg" aria-hidden="true"></i>
      {l_accept}</button>
  </form>
  <button class="btn btn-sm btn-outline-secondary" type="button" data-bs-toggle="collapse" data-bs-target="#return-{pk}"
          aria-expanded="false" aria-controls="return-{pk}">{l_return}</button>
</div>
<form method="post" action="{for_info}" class="collapse mt-2 cw-return-form" id="return-{pk}">{csrf}{hidden}
  <label class="form-label small" for="reason-{pk}">{l_reason}</label>
  <textarea name="reason" id="reason-{pk}" rows="2" class="form-control form-control-sm" required></textarea>
  <div class="d-flex flex-wrap gap-1 mt-1">
    <button type="submit" class="btn btn-sm btn-outline-danger">{l_for_info}</button>
    <button type="submit" class="btn btn-sm btn-outline-danger" formaction="{local}">{l_local}</button>
  </div>
</form>"""


@register.simple_tag(takes_context=True)
def queue_actions(context, case) -> str:
    """受理 and 退回 (for information, or to be solved locally) for one row of the 部专班 queue; each form
    carries the problem's version, so a row left open while another official acted is refused (409)."""
    token = context.get("csrf_token")  # as {% csrf_token %}: nothing without one
    csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token) if token else ""
    hidden = format_html('<input type="hidden" name="version" value="{}"><input type="hidden" name="next" value="{}">',
                         case.version, context.get("next", ""))
    return format_html(
        QUEUE_ACTIONS, pk=case.pk, csrf=csrf, hidden=hidden,
        accept=reverse("cases-action", args=[case.pk, "accept"]),
        for_info=reverse("cases-action", args=[case.pk, "return-for-info"]),
        local=reverse("cases-action", args=[case.pk, "return-local"]),
        l_accept=_("受理"), l_return=_("退回"), l_reason=_("退回理由"), l_for_info=_("退回补充材料"),
        l_local=_("退回属地办理"),
    )
