"""Deadlines by urgency (and, where configured, by state) and the lights every list shows.

特急 24 hours, 紧急 3 calendar days, 一般 5 working days on the holiday calendar, by default for every
state; settings.CASE_DEADLINES overrides per state: {"escalated": {"normal": ["workdays", 3]}}.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chainwork.workdays import add_working_days

DEFAULT_RULES = {"critical": ("hours", 24), "urgent": ("days", 3), "normal": ("workdays", 5)}
WARNING_WINDOW = dt.timedelta(days=1)  # 临期: a day or less left


def rule_for(urgency: str, state: str) -> tuple[str, int]:
    overrides = getattr(settings, "CASE_DEADLINES", {}) or {}
    unit, amount = overrides.get(state, {}).get(urgency) or DEFAULT_RULES[urgency]
    return unit, int(amount)


def end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def due_for(urgency: str, state: str, start: dt.datetime | None = None) -> dt.datetime:
    start = start or timezone.now()
    unit, amount = rule_for(urgency, state)
    if unit == "hours":
        return start + dt.timedelta(hours=amount)
    if unit == "days":
        return start + dt.timedelta(days=amount)
    return end_of_day(add_working_days(timezone.localtime(start).date(), amount))


class Light:
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    NONE = ""

    LABELS = {GREEN: _("正常"), YELLOW: _("临期"), RED: _("超期"), NONE: ""}


def light(due_at: dt.datetime | None, now: dt.datetime | None = None) -> str:
    if due_at is None:
        return Light.NONE
    now = now or timezone.now()
    if due_at < now:
        return Light.RED
    if due_at - now <= WARNING_WINDOW:
        return Light.YELLOW
    return Light.GREEN
