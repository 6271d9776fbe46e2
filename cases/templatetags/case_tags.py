"""A problem's rows and marks in the lists: its urgency, state and deadline light, its times, the whole
row of the 问题台账 and of the 部专班 queue. They render in Python rather than as template code: a page
shows 50 rows, and the template engine spent about 10 ms of a 30 ms page on them where format_html
takes 2 (bench/profile_pages.py at w1). The markup is the one the templates had; tests/cases pin it."""

from __future__ import annotations

import datetime as dt
import functools

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cases.models import State, Supervision, Urgency

register = template.Library()

URGENCY_CLASS = {Urgency.CRITICAL: "badge text-bg-danger", Urgency.URGENT: "badge text-bg-warning"}


# A badge depends on its value and the language only: each is built once per process and language.


@register.simple_tag
def urgency_badge(value: str) -> str:
    return _urgency_badge(value, get_language())


@functools.lru_cache(maxsize=256)
def _urgency_badge(value: str, language: str) -> str:
    label = Urgency(value).label if value in Urgency.values else value
    return format_html('<span class="{}">{}</span>', URGENCY_CLASS.get(value, "text-body-secondary"), label)


@register.simple_tag
def state_badge(value: str) -> str:
    return _state_badge(value, get_language())


@functools.lru_cache(maxsize=256)
def _state_badge(value: str, language: str) -> str:
    label = State(value).label if value in State.values else value
    return format_html('<span class="badge cw-state cw-state-{}" data-state="{}">{}</span>', value, value, label)


@register.simple_tag
def light_badge(value: str) -> str:
    return _light_badge(value, get_language())


@functools.lru_cache(maxsize=64)
def _light_badge(value: str, language: str) -> str:
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


# --- whole rows -------------------------------------------------------------------------------------------

SUPERVISION_CLASS = {Supervision.LISTED: "text-bg-danger", Supervision.SUPERVISE: "text-bg-warning"}


EMPTY_CHECK = mark_safe('<td class="cw-check"></td>')


def _check_cell(case, *, form: str = "") -> str:
    """The bulk-action checkbox: the problem's id and the version it was seen at."""
    return format_html(
        '<td class="cw-check"><input type="checkbox" class="form-check-input" name="ids"{} value="{}:{}" '
        'aria-label="{}"></td>', format_html(' form="{}"', form) if form else "", case.pk, case.version,
        _("选择%(number)s") % {"number": case.number})


def _due_cell(case, *, open_only: bool) -> str:
    due = format_html('<div class="small text-muted">{}</div>', short_time(case.due_at)) \
        if case.due_at and (case.state != State.CLOSED or not open_only) else ""
    return format_html('<td class="text-nowrap">{}{}</td>', light_badge(case.light_value), due)


@register.simple_tag(takes_context=True)
def case_row(context, case) -> str:
    """One row of the 问题台账 (cases/partials/_list_table.html)."""
    check = ""
    if context.get("bulk_action"):  # a box only where the action applies; an empty cell elsewhere
        check = _check_cell(case) if case.state == context.get("bulk_state") else EMPTY_CHECK
    href = reverse("cases-detail", args=[case.pk])
    return format_html(
        '<tr data-case="{pk}">{check}<td class="text-nowrap"><a href="{href}">{number}</a></td>'
        '<td class="cw-case-title"><a class="link-body-emphasis text-decoration-none" href="{href}">{title}</a>'
        '{supervision}</td><td>{enterprise}</td><td class="text-nowrap">{region}</td>'
        '<td class="text-nowrap">{category}</td><td class="text-nowrap">{urgency}</td>'
        '<td class="text-nowrap">{state}</td>{due}<td class="text-nowrap small">{created}</td></tr>',
        pk=case.pk, check=check, href=href, number=case.number, title=case.title,
        supervision=format_html(' <span class="badge {}">{}</span>', SUPERVISION_CLASS[case.supervision],
                                Supervision(case.supervision).label) if case.supervision in SUPERVISION_CLASS else "",
        enterprise=case.enterprise.name, region=case.region.name, category=case.category.name,
        urgency=urgency_badge(case.urgency), state=state_badge(case.state), due=_due_cell(case, open_only=True),
        created=timezone.localtime(case.created_at).strftime("%Y-%m-%d %H:%M"),  # |date:"Y-m-d H:i"
    )


@register.simple_tag(takes_context=True)
def queue_row(context, case) -> str:
    """One row of the 部专班 queue (cases/partials/_queue_table.html): 受理 and 退回 for the ministry, a
    link to the problem for the others."""
    href = reverse("cases-detail", args=[case.pk])
    if context.get("can_accept"):
        actions = queue_actions(context, case)
    else:
        actions = format_html('<a class="btn btn-sm btn-outline-secondary" href="{}">{}</a>', href, _("查看"))
    return format_html(
        '<tr data-case="{pk}">{check}<td class="text-nowrap"><a href="{href}">{number}</a></td>'
        '<td class="cw-case-title">{title}</td><td>{enterprise}</td><td class="text-nowrap">{region}</td>'
        '<td class="text-nowrap">{category}</td><td class="text-nowrap">{urgency}</td>'
        '<td class="text-nowrap small">{escalated}<div class="text-muted">{waited}</div></td>{due}'
        '<td class="cw-queue-actions">{actions}</td></tr>',
        pk=case.pk, check=_check_cell(case, form="bulk-form") if context.get("bulk_action") else "", href=href,
        number=case.number, title=case.title, enterprise=case.enterprise.name, region=case.region.name,
        category=case.category.name, urgency=urgency_badge(case.urgency), escalated=short_time(case.escalated_at),
        waited=_("已等待%(age)s") % {"age": timesince(case.escalated_at) if case.escalated_at else ""},
        due=_due_cell(case, open_only=False), actions=actions,
    )


@register.simple_tag
def shared_row(case) -> str:
    """One row of the 协办 problems on the 问题台账 page (templates/cases/list.html)."""
    due = format_html(' <small class="text-muted">{}</small>', short_time(case.due_at)) if case.due_at else ""
    return format_html(
        '<tr><td class="text-nowrap"><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
        '<td class="text-nowrap">{}{}</td></tr>',
        reverse("cases-detail", args=[case.pk]), case.number, case.title, case.region.name, case.category.name,
        state_badge(case.state), light_badge(case.light_value), due)
