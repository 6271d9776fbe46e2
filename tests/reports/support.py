"""Data for the report tests, with the timestamps the figures depend on set by hand.

Aggregates are checked against counts made by hand, so problems and status reports are written
directly (with the times a hand count needs) rather than walked through the workflow: the workflow
has its own tests; here only the rows matter.
"""

import datetime as dt
import itertools

from django.utils import timezone

from cases.models import Case
from chainwork.models import Category
from enterprises.models import StatusReport
from tests.factories import EnterpriseFactory, region

_numbers = itertools.count(1)

# The 日报 tests' day (yesterday, so every cut-off is past), the two before it, and the cut-off.
D = timezone.localdate() - dt.timedelta(days=1)
D1 = D - dt.timedelta(days=1)
D2 = D - dt.timedelta(days=2)
CUT_OFF = dt.time(17, 0)


def at(date: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(date, dt.time(hour, minute)))


def report(enterprise, date, resumed, *, staff=None, output=None, logged_at=None):
    """A StatusReport; staff and output are (actual, normal) pairs; logged_at sets created_at."""
    row = StatusReport.objects.create(
        enterprise=enterprise, date=date, resumed=resumed,
        staff_at_work=staff[0] if staff else None, staff_normal=staff[1] if staff else None,
        output=output[0] if output else None, output_normal=output[1] if output else None,
    )
    if logged_at is not None:
        StatusReport.objects.filter(pk=row.pk).update(created_at=logged_at)
    return row


def problem(enterprise, reporter, *, created_at, state="new", level="local", category="logistics", **fields):
    n = next(_numbers)
    return Case.objects.create(
        number=f"T{n:05d}", region=enterprise.list_region, year=created_at.year, sequence=n,
        enterprise=enterprise, category=Category.objects.get(slug=category), title=f"问题{n}",
        description="描述", request="诉求", reporter=reporter, state=state, level=level,
        created_at=created_at, **fields,
    )


def enterprise(code="42", **fields):
    return EnterpriseFactory(region=region(code), **fields)
