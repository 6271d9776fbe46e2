"""Deadlines by urgency (and, where configured, by state) and the lights every list shows.

特急 24 hours, 紧急 3 calendar days, 一般 5 working days on the holiday calendar, by default for every
state; settings.CASE_DEADLINES overrides per state: {"escalated": {"normal": ["workdays", 3]}}.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar

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


# While a page is rendered to be kept (cases/page_cache.py): the first instant one of its lights changes.
_next_change: ContextVar[list | None] = ContextVar("next_light_change", default=None)


@contextmanager
def watching_lights():
    """Within the block, light() notes when the first light it gave changes: `box[0]`, None if none will."""
    box: list[dt.datetime | None] = [None]
    token = _next_change.set(box)
    try:
        yield box
    finally:
        _next_change.reset(token)


def _changes_at(instant: dt.datetime) -> None:
    box = _next_change.get()
    if box is not None and (box[0] is None or instant < box[0]):
        box[0] = instant


def light(due_at: dt.datetime | None, now: dt.datetime | None = None) -> str:
    if due_at is None:
        return Light.NONE
    now = now or timezone.now()
    if due_at < now:
        return Light.RED
    if due_at - now <= WARNING_WINDOW:
        _changes_at(due_at)
        return Light.YELLOW
    _changes_at(due_at - WARNING_WINDOW)
    return Light.GREEN


def first_change(due_ats, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the first light of open problems with these deadlines changes (None: none will): yellow a
    WARNING_WINDOW before the deadline, red at it."""
    now = now or timezone.now()
    instants = [instant for due_at in due_ats if due_at is not None
                for instant in (due_at - WARNING_WINDOW, due_at) if instant > now]
    return min(instants, default=None)


def next_crossing(queryset, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the next open problem of `queryset` changes light: one aggregate over its deadlines."""
    from django.db.models import Min, Q

    now = now or timezone.now()
    found = queryset.exclude(state="closed").order_by().aggregate(
        red=Min("due_at", filter=Q(due_at__gt=now)), yellow=Min("due_at", filter=Q(due_at__gt=now + WARNING_WINDOW)))
    return first_change([found["red"]] + ([found["yellow"]] if found["yellow"] else []), now)
