"""The 日报's and 周报's figures of a day: per region, how many enterprises are listed (all, lead
enterprises, core suppliers) and how many had reported resumed (or partly) by the day's cut-off, and how
many problems the region had logged (about lead enterprises, core suppliers) and closed by then.

Counting them means finding each of 120,000 enterprises' latest report as of the cut-off and going
through 300,000 problems, seconds of work. So a day's figures are counted once its cut-off has passed
and kept (reports.DayFigure), by the beat task or `manage.py keep_day_figures`; reports read the kept
rows. A day not kept yet is counted live (a page never writes them: a GET writes nothing), but for today
before its cut-off: counted for everyone at once, kept a few minutes and recounted in the background
(chainwork.kept, the dashboard's way), so no reader waits for the count but the first of the day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from django.db.models import Count, Q, QuerySet, Subquery
from django.utils import timezone

from cases.models import Case
from chainwork.scope import Scope
from enterprises.models import Criticality, Direction, Enterprise, SupplyLink
from reports import figures
from reports.figures import RESUMED, latest_report
from reports.models import DailyReport, DayFigure, default_daily_cut_off

DAY = dt.timedelta(days=1)
# The region an enterprise's figures count in, and the one rule of which enterprises a scope counts.
COUNTED_BY = "list_region"
# A problem counts in the region that logged it, never in one it is shared with.
CASES_COUNTED_BY = "region"


def counted_enterprises(scope: Scope | None = None) -> QuerySet:
    """The enterprises a scope's 日报 counts (all of them without a scope): those on its regions' own lists,
    not those abroad a region listed for its chains (reports.figures.own_list's rule). The kept rows group
    by the same field, so a scope's figures are the sum of its regions' rows."""
    enterprises = Enterprise.objects.filter(region__isnull=False)
    return enterprises if scope is None else enterprises.filter(scope.region_q(COUNTED_BY))


def in_scope(scope: Scope, region: str | None) -> bool:
    """Whether a kept row of `region` belongs to the scope's figures (counted_enterprises' rule on rows)."""
    return scope.regions is None or region in scope.regions


def cut_off_at(date: dt.date, cut_off: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(date, cut_off))


def core_supplier(field: str = "pk") -> Q:
    """核心配套企业 (`field` names the enterprise): the partner of an upstream link of criticality core.
    An IN over the links rather than EXISTS per row: PostgreSQL hashes the partners once, where an
    EXISTS in three FILTERs probed the links three times for each of 300,000 problems."""
    partners = SupplyLink.objects.filter(direction=Direction.UPSTREAM, criticality=Criticality.CORE)
    return Q(**{f"{field}__in": partners.values("partner_id")})


@dataclass(frozen=True)
class Counts:
    enterprises: int = 0
    leads: int = 0
    cores: int = 0
    resumed: int = 0
    resumed_leads: int = 0
    resumed_cores: int = 0
    logged: int = 0
    logged_leads: int = 0
    logged_cores: int = 0
    closed: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, n) + getattr(other, n) for n in FIELDS))

    def __sub__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, n) - getattr(other, n) for n in FIELDS))


FIELDS = [f.name for f in fields(Counts)]
CASE_FIELDS = ["logged", "logged_leads", "logged_cores", "closed"]
ENTERPRISE_FIELDS = [name for name in FIELDS if name not in CASE_FIELDS]
ByRegion = dict[str | None, Counts]


def count(enterprises: QuerySet, date: dt.date, mark: dt.datetime, cases: QuerySet | None = None) -> ByRegion:
    """Per region, `enterprises` listed and those whose latest report on or before `date` logged before
    `mark` says resumed (or partly); and `cases` (all problems by default) logged and closed before `mark`.
    Two queries."""
    status = Q(day_status__in=RESUMED)
    lead, core = Q(is_lead=True), core_supplier()
    rows = (
        enterprises.annotate(day_status=Subquery(latest_report(date, before=mark).values("resumed")[:1]))
        .values(COUNTED_BY)
        .annotate(n_enterprises=Count("pk"), n_leads=Count("pk", filter=lead), n_cores=Count("pk", filter=core),
                  n_resumed=Count("pk", filter=status), n_resumed_leads=Count("pk", filter=status & lead),
                  n_resumed_cores=Count("pk", filter=status & core))
        .order_by()
    )
    by_region = {row[COUNTED_BY]: Counts(**{name: row[f"n_{name}"] for name in ENTERPRISE_FIELDS}) for row in rows}
    for region, counts in count_cases(Case.objects.all() if cases is None else cases, mark).items():
        by_region[region] = by_region.get(region, Counts()) + counts
    return by_region


def count_cases(cases: QuerySet, mark: dt.datetime) -> ByRegion:
    logged = Q(created_at__lt=mark)
    rows = (
        cases.values(CASES_COUNTED_BY)
        .annotate(n_logged=Count("pk", filter=logged),
                  n_logged_leads=Count("pk", filter=logged & Q(enterprise__is_lead=True)),
                  n_logged_cores=Count("pk", filter=logged & core_supplier("enterprise")),
                  n_closed=Count("pk", filter=logged & Q(closed_at__lt=mark)))
        .order_by()
    )
    return {row[CASES_COUNTED_BY]: Counts(**{name: row[f"n_{name}"] for name in CASE_FIELDS}) for row in rows}


def kept(date: dt.date, cut_off: dt.time) -> ByRegion | None:
    """The kept rows of the day, or None when the day is not kept."""
    rows = DayFigure.objects.filter(date=date, cut_off=cut_off).values("region", *FIELDS)
    by_region = {row["region"]: Counts(**{name: row[name] for name in FIELDS}) for row in rows}
    return by_region or None


def keep(date: dt.date, cut_off: dt.time | None = None, now: dt.datetime | None = None) -> bool:
    """Count and keep the day's figures once its cut-off has passed (False before). Idempotent: a kept day
    is left as it is, and two runs at once write its rows once."""
    cut_off = cut_off or default_daily_cut_off()
    mark = cut_off_at(date, cut_off)
    if mark > (now or timezone.now()):
        return False
    if DayFigure.objects.filter(date=date, cut_off=cut_off).exists():
        return True
    counts = count(counted_enterprises(), date, mark)
    DayFigure.objects.bulk_create(
        [DayFigure(date=date, cut_off=cut_off, region_id=region, **vars(c)) for region, c in counts.items()],
        ignore_conflicts=True)
    return True


# Days kept back from today by each run: the 周报 of a week ago compares with the week before it.
KEEP_DAYS = 15


def keep_recent(now: dt.datetime | None = None, days: int = KEEP_DAYS) -> int:
    """Keep the last `days` days (today once past its cut-off) at the default cut-off and at any other
    cut-off a 日报 of those days set. What beat runs; kept days cost one query each. Days kept now."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    start = today - DAY * (days - 1)
    cut_offs = {default_daily_cut_off(), *DailyReport.objects.filter(date__gte=start).values_list("cut_off", flat=True)}
    written = 0
    for offset in range(days):
        day = today - DAY * offset
        for cut_off in sorted(cut_offs):
            if DayFigure.objects.filter(date=day, cut_off=cut_off).exists():
                continue
            written += keep(day, cut_off, now)
    return written


def day_counts(date: dt.date, cut_off: dt.time, now: dt.datetime | None = None) -> tuple[ByRegion, dt.datetime | None]:
    """The day's figures per region and, for today before its cut-off, when they were counted. A kept day
    is read; today so far is counted for everyone at once and kept a few minutes (chainwork.kept,
    recounted by beat: a count of the nation takes seconds); another day not kept is counted live."""
    now = now or timezone.now()
    found = kept(date, cut_off)
    if found is not None:
        return found, None
    mark = cut_off_at(date, cut_off)
    if date == timezone.localdate(now) and mark > now:
        spec = {"kind": "day_so_far", "date": date.isoformat(), "cut_off": cut_off.isoformat()}
        entry = figures.kept(f"day-so-far:v1:{date.isoformat()}:{cut_off.isoformat()}", spec,
                             lambda: so_far(date, cut_off))
        return entry["by_region"], dt.datetime.fromisoformat(entry["counted_at"])
    return count(counted_enterprises(), date, mark), None


def so_far(date: dt.date, cut_off: dt.time) -> dict:
    """Today's figures before its cut-off, as of now: every report logged so far counts."""
    counted_at = timezone.now()
    return {"counted_at": counted_at.isoformat(),
            "by_region": count(counted_enterprises(), date, cut_off_at(date, cut_off))}


def total(scope: Scope, by_region: ByRegion) -> Counts:
    """The scope's figures: the sum of its regions' rows."""
    result = Counts()
    for region, counts in by_region.items():
        if in_scope(scope, region):
            result += counts
    return result
