"""Working-day arithmetic on the holiday calendar (domain.md "Working-day calendar").

Monday–Friday are working days, minus statutory days off, plus 调休 weekend days worked. Past the
last year an administrator entered, only Monday–Friday count, and `calendar_missing_year()` says
which year needs entering.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max

from chainwork.models import Holiday


def _exceptions(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    return dict(Holiday.objects.filter(date__range=(start, end)).values_list("date", "kind"))


def is_working_day(day: dt.date, exceptions: dict[dt.date, str] | None = None) -> bool:
    if exceptions is None:
        exceptions = _exceptions(day, day)
    kind = exceptions.get(day)
    if kind == Holiday.Kind.DAY_OFF:
        return False
    if kind == Holiday.Kind.WORKDAY:
        return True
    return day.weekday() < 5


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (start itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    # Long holidays are at most nine days: three weeks per working week is always enough.
    exceptions = _exceptions(start, start + dt.timedelta(days=days * 3 + 21))
    day = start
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day, exceptions):
            remaining -= 1
    return day


def last_calendar_year() -> int | None:
    last = Holiday.objects.aggregate(last=Max("date"))["last"]
    return last.year if last else None


def calendar_missing_year(day: dt.date) -> int | None:
    """The year an administrator must still enter for `day` to be counted exactly, if any."""
    last = last_calendar_year()
    if last is None or day.year > last:
        return day.year
    return None
