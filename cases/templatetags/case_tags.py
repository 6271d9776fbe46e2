"""A problem's marks: its urgency, state and deadline light. Each is a partial of templates/cases/partials/
rendered once per value and language (chainwork.partials): the lists show them on every row."""

from __future__ import annotations

from django import template

from cases.extensions import pending_for
from cases.models import State, Urgency
from cases.referrals import department_queue, recently_answered, referral_light
from chainwork.partials import render_once

register = template.Library()


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


@register.simple_tag
def urgency_badge(value: str) -> str:
    return render_once("cases/partials/_urgency_badge.html", value=value, label=_label(Urgency, value))


@register.simple_tag
def state_badge(value: str) -> str:
    return render_once("cases/partials/_state_badge.html", value=value, label=_label(State, value))


@register.simple_tag
def light_badge(value: str) -> str:
    return render_once("cases/partials/_light.html", value=value)


@register.simple_tag
def referral_light_badge(referral) -> str:
    """A referral's light: its deadline's while pending; 已反馈 on time or late once answered."""
    return render_once("cases/partials/_referral_light.html", value=referral_light(referral))


# A department holds hundreds of referrals at national scale: its 工作台 shows the nearest ones, each with
# its forms, and links to the whole 转办 list.
QUEUE_SHOWN = 20


@register.inclusion_tag("cases/partials/_department_queue.html", takes_context=True)
def department_referrals(context):
    """A department's 工作台: its pending referrals due soonest first, each with its light and the 反馈 /
    退回 / 申请延期 forms one click away, then the ones it answered recently."""
    request = context["request"]
    pending = department_queue(request.user)
    return {"queue": list(pending[:QUEUE_SHOWN]), "pending_count": pending.count(),
            "answered": list(recently_answered(request.user)),
            "next": request.get_full_path(), "csrf_token": context.get("csrf_token"), "request": request}


@register.inclusion_tag("cases/partials/_extension_requests.html", takes_context=True)
def extension_requests(context):
    """The 申请延期 this user decides (the 部专班: referrals'; a province lead: its local problems'), with
    their 批准 / 不予延期 forms: for a 工作台 to show."""
    request = context["request"]
    return {"pending": list(pending_for(request.user)), "next": request.get_full_path(),
            "csrf_token": context.get("csrf_token"), "failed": {}, "request": request}
