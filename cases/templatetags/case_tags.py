"""A problem's marks: its urgency, state and deadline light. Each is a partial of templates/cases/partials/
rendered once per value and language (chainwork.partials): the lists show them on every row."""

from __future__ import annotations

from django import template

from cases.models import State, Urgency
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
